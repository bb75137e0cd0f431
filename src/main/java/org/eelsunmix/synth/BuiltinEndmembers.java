package org.eelsunmix.synth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.io.Msa;
import org.eelsunmix.io.MsaSpectrum;
import org.eelsunmix.synth.EelsSpectrumModel.IonisationEdge;
import org.eelsunmix.synth.EelsSpectrumModel.Peak;
import org.eelsunmix.synth.EelsSpectrumModel.PowerLawBackground;
import org.eelsunmix.synth.EelsSpectrumModel.Shape;

/**
 * The physics behind the two built-in endmember sets, and the generator of their EMSA/MSA files in
 * {@code data-samples/endmembers/<set>/} (run {@link #main} after changing a model; a test checks that the
 * shipped files still equal these models).
 *
 * <ul>
 *   <li>{@code co-ru-pt} (R = 3; 200 channels of 3.33 eV from 200 eV, i.e. 200–863 eV, the range of a Co/Ru/Pt
 *       catalyst study): Co (power law r = 3.0, Co-L₃ 779 eV and L₂ 794 eV steps and Lorentzian white lines
 *       with L₃:L₂ areas 2:1, the statistical ratio of the 2p₃/₂ and 2p₁/₂ occupancies), Ru (r = 3.3, delayed
 *       Ru-M₅ 279 eV and M₄ 284 eV edges with M₅:M₄ = 3:2 rising over δ = 30 eV), Pt (r = 2.6, no edge in this
 *       range: Pt-N edges are weak and broad, Pt-M starts at 2122 eV).</li>
 *   <li>{@code k-edges} (R = 4; 903 channels of 1 eV from 150 eV, i.e. 150–1052 eV): amorphous C (C-K 284 eV
 *       with its π* peak at 285 eV and σ* hump), h-BN (B-K 188 eV and N-K 401 eV, each with a sharp π* and a
 *       σ* peak), Al₂O₃ (O-K 532 eV with its ELNES humps; the Al edges lie outside the range) and LiF (F-K
 *       685 eV; Li-K at 55 eV lies outside).</li>
 * </ul>
 *
 * <p>Edge steps and peaks are set relative to the intensity just before each edge, as in a thin specimen: sharp
 * edge steps 1 to 3 times the pre-edge intensity (1.5 for Co-L₃), white lines and π* peaks rising several times
 * above it (Co-L₃ 8 times), the delayed Ru-M₄,₅ edge adding about its own background at its maximum. The
 * magnitudes are therefore plausible whatever the normalisation. Each endmember is stored normalised to unit sum
 * over the channels
 * ({@link EelsSpectrumModel#normalisedSpectrum}): a mixture with sum-to-one abundances then has unit total, and a
 * synthetic dose is counts per pixel.
 */
public final class BuiltinEndmembers {
  /** The built-in set names, in the order they are listed to users. */
  public static final List<String> NAMES = List.of("co-ru-pt", "k-edges");

  /** Resource folder (inside the jar) holding one sub-folder per set; pom.xml copies data-samples/endmembers. */
  static final String RESOURCE_ROOT = "/org/eelsunmix/synth/endmembers/";

  /** One endmember of a set: its MSA file name (sorting in endmember order) and its physics. */
  public record Entry(String fileName, EelsSpectrumModel model) {
  }

  /** A built-in set: its energy axis and its endmembers in order. */
  public record Definition(String name, EnergyAxis axis, List<Entry> entries) {
    /** Validates and copies. */
    public Definition {
      entries = List.copyOf(entries);
    }
  }

  private BuiltinEndmembers() {
  }

  /**
   * The definition of built-in set {@code name}.
   *
   * @throws BadInputException naming {@code set} and listing the known sets, for an unknown name
   */
  public static Definition definition(String name) {
    if ("co-ru-pt".equals(name)) {
      return coRuPt();
    }
    if ("k-edges".equals(name)) {
      return kEdges();
    }
    throw new BadInputException("set", "unknown built-in endmember set '" + name + "'; the built-in sets are "
        + String.join(", ", NAMES));
  }

  /** The endmembers of built-in set {@code name} computed from the physics (unit-sum spectra). */
  public static Endmembers compute(String name) {
    Definition d = definition(name);
    double[][] spectra = new double[d.entries().size()][];
    List<String> names = new ArrayList<>();
    for (int r = 0; r < spectra.length; r++) {
      EelsSpectrumModel m = d.entries().get(r).model();
      spectra[r] = m.normalisedSpectrum(d.axis());
      names.add(m.name());
    }
    return new Endmembers(spectra, names, d.axis());
  }

  /** Writes every built-in set as {@code folder/<set>/<file>.msa}. */
  public static void writeAll(Path folder) {
    for (String name : NAMES) {
      Definition d = definition(name);
      for (Entry e : d.entries()) {
        Map<String, String> keywords = new LinkedHashMap<>();
        keywords.put("OWNER", "eels-unmix");
        keywords.put("YUNITS", "fraction of total (unit sum)");
        keywords.put("SIGNALTYPE", "ELS");
        keywords.put("#SOURCE", "synthetic, org.eelsunmix.synth.BuiltinEndmembers");
        MsaSpectrum s = new MsaSpectrum(e.model().name(), d.axis(), e.model().normalisedSpectrum(d.axis()),
            keywords);
        Msa.write(folder.resolve(name).resolve(e.fileName()), s);
      }
    }
  }

  /**
   * Regenerates the shipped files: {@code java ... org.eelsunmix.synth.BuiltinEndmembers [folder]} (default
   * {@code data-samples/endmembers}).
   */
  public static void main(String[] args) {
    Path folder = Path.of(args.length > 0 ? args[0] : "data-samples/endmembers");
    writeAll(folder);
    System.out.println("wrote " + NAMES + " under " + folder.toAbsolutePath());
  }

  private static Definition coRuPt() {
    EnergyAxis axis = EnergyAxis.ofEv(200.0, 3.33, 200);
    double resolution = 2.0; // onset blur (eV): resolution and core-hole lifetime at this coarse dispersion

    PowerLawBackground coBackground = new PowerLawBackground(1.0, 200.0, 3.0);
    double coAtL3 = coBackground.intensity(779.0);
    Peak l3 = Peak.ofHeight("Co-L3 white line", 779.0, 3.0, 8.0 * coAtL3, Shape.LORENTZIAN);
    Peak l2 = new Peak("Co-L2 white line", 794.0, 3.0, l3.area() / 2.0, Shape.LORENTZIAN);
    EelsSpectrumModel co = new EelsSpectrumModel("Co", coBackground,
        IonisationEdge.sharp("Co-L3", 779.0, 1.5 * coAtL3, resolution, 2.5),
        IonisationEdge.sharp("Co-L2", 794.0, 0.75 * coAtL3, resolution, 2.5), l3, l2);

    PowerLawBackground ruBackground = new PowerLawBackground(1.0, 200.0, 3.3);
    double ruAtM5 = ruBackground.intensity(279.0);
    EelsSpectrumModel ru = new EelsSpectrumModel("Ru", ruBackground,
        new IonisationEdge("Ru-M5", 279.0, 0.54 * ruAtM5, resolution, 1.5, 30.0),
        new IonisationEdge("Ru-M4", 284.0, 0.36 * ruAtM5, resolution, 1.5, 30.0));

    EelsSpectrumModel pt = new EelsSpectrumModel("Pt", new PowerLawBackground(1.0, 200.0, 2.6));

    return new Definition("co-ru-pt", axis,
        List.of(new Entry("01-co.msa", co), new Entry("02-ru.msa", ru), new Entry("03-pt.msa", pt)));
  }

  private static Definition kEdges() {
    EnergyAxis axis = EnergyAxis.ofEv(150.0, 1.0, 903);
    double resolution = 1.0;

    // K edges decay a little more slowly than the background (s = r − 0.3): the hydrogenic sawtooth.
    PowerLawBackground cBackground = new PowerLawBackground(1.0, 150.0, 3.0);
    double cStep = 2.5 * cBackground.intensity(284.0);
    EelsSpectrumModel carbon = new EelsSpectrumModel("amorphous C", cBackground,
        IonisationEdge.sharp("C-K", 284.0, cStep, resolution, 2.7),
        Peak.ofHeight("C-K pi*", 285.0, 1.5, 1.5 * cStep, Shape.GAUSSIAN),
        Peak.ofHeight("C-K sigma*", 292.0, 8.0, 0.5 * cStep, Shape.GAUSSIAN));

    PowerLawBackground bnBackground = new PowerLawBackground(1.0, 150.0, 3.2);
    double bStep = 3.0 * bnBackground.intensity(188.0);
    IonisationEdge boronK = IonisationEdge.sharp("B-K", 188.0, bStep, resolution, 2.9);
    // The N-K step is set against everything before it: the background plus the tail of the B-K edge.
    double nStep = 1.0 * (bnBackground.intensity(401.0) + boronK.intensity(400.0));
    EelsSpectrumModel bn = new EelsSpectrumModel("h-BN", bnBackground, boronK,
        Peak.ofHeight("B-K pi*", 192.0, 1.2, 4.0 * bStep, Shape.GAUSSIAN),
        Peak.ofHeight("B-K sigma*", 199.0, 6.0, 0.8 * bStep, Shape.GAUSSIAN),
        IonisationEdge.sharp("N-K", 401.0, nStep, resolution, 2.9),
        Peak.ofHeight("N-K pi*", 401.5, 1.5, 1.5 * nStep, Shape.GAUSSIAN),
        Peak.ofHeight("N-K sigma*", 408.0, 8.0, 0.6 * nStep, Shape.GAUSSIAN));

    PowerLawBackground aloBackground = new PowerLawBackground(1.0, 150.0, 2.8);
    double oStep = 3.0 * aloBackground.intensity(532.0);
    EelsSpectrumModel alumina = new EelsSpectrumModel("Al2O3", aloBackground,
        IonisationEdge.sharp("O-K", 532.0, oStep, resolution, 2.5),
        Peak.ofHeight("O-K ELNES 1", 539.0, 5.0, 0.8 * oStep, Shape.GAUSSIAN),
        Peak.ofHeight("O-K ELNES 2", 560.0, 12.0, 0.4 * oStep, Shape.GAUSSIAN));

    PowerLawBackground lifBackground = new PowerLawBackground(1.0, 150.0, 3.4);
    double fStep = 3.0 * lifBackground.intensity(685.0);
    EelsSpectrumModel lif = new EelsSpectrumModel("LiF", lifBackground,
        IonisationEdge.sharp("F-K", 685.0, fStep, resolution, 3.1),
        Peak.ofHeight("F-K ELNES 1", 692.0, 4.0, 0.8 * fStep, Shape.GAUSSIAN),
        Peak.ofHeight("F-K ELNES 2", 705.0, 10.0, 0.4 * fStep, Shape.GAUSSIAN));

    return new Definition("k-edges", axis, List.of(new Entry("01-carbon.msa", carbon),
        new Entry("02-boron-nitride.msa", bn), new Entry("03-alumina.msa", alumina),
        new Entry("04-lithium-fluoride.msa", lif)));
  }
}
