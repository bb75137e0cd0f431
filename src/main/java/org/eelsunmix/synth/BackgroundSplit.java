package org.eelsunmix.synth;

import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;

/**
 * Each endmember split into its power-law background {@code b = A·E^−r} and its edge signal {@code e = m − b} (the
 * ionisation edges, white lines and fine structure above the background), so that spectral variability can scale
 * the edges and tilt the background separately ({@link SpectralVariability}). {@code b + e = m} exactly and
 * {@code 0 ≤ b ≤ m}.
 *
 * <ul>
 *   <li><b>Built-in sets</b> ({@link BuiltinEndmembers}) whose spectra are those of their models: {@code b} is the
 *       model's {@code PowerLawBackground} integrated over each channel, on the endmember's scale.</li>
 *   <li><b>Other spectra</b> (a user's MSA folder): a power law fitted by least squares to {@code ln m} against
 *       {@code ln E} over the first tenth of the channels (at least 3), which must lie before the first edge (the
 *       usual pre-edge window of background subtraction, Egerton 2011 §4.4.2), extrapolated over the axis and
 *       capped at {@code m}. Where that window holds a zero or negative value, or energies ≤ 0, no power law fits:
 *       {@code b = 0} and the whole spectrum counts as edge signal.</li>
 * </ul>
 *
 * @param background {@code b}, one row per endmember
 * @param edge {@code e = m − b}, one row per endmember
 * @param fitted for each endmember, whether {@code b} was fitted (false: taken from the built-in model, or 0)
 */
public record BackgroundSplit(double[][] background, double[][] edge, boolean[] fitted) {
  /** Relative agreement (of the largest value) under which given spectra count as the built-in model's. */
  private static final double MODEL_MATCH = 1e-9;

  /** The split of {@code endmembers} (any scale), using the models of built-in set {@code set} when they match. */
  public static BackgroundSplit of(String set, Endmembers endmembers) {
    List<double[]> model = BuiltinEndmembers.NAMES.contains(set) ? modelBackgrounds(set, endmembers) : null;
    int count = endmembers.count();
    double[][] background = new double[count][];
    double[][] edge = new double[count][];
    boolean[] fitted = new boolean[count];
    for (int r = 0; r < count; r++) {
      double[] m = endmembers.spectrum(r);
      double[] b = model != null ? model.get(r) : fitPowerLaw(m, endmembers.axis());
      fitted[r] = model == null;
      double[] e = new double[m.length];
      for (int i = 0; i < m.length; i++) {
        b[i] = Math.max(0.0, Math.min(b[i], m[i]));
        e[i] = m[i] - b[i];
      }
      background[r] = b;
      edge[r] = e;
    }
    return new BackgroundSplit(background, edge, fitted);
  }

  /**
   * The power law {@code exp(α + β ln E)} fitted to {@code ln m} over the first {@code max(3, ⌈B/10⌉)} channels and
   * evaluated on every channel; zeros when it cannot be fitted (see the class comment).
   */
  static double[] fitPowerLaw(double[] m, EnergyAxis axis) {
    int n = Math.min(m.length, Math.max(3, (m.length + 9) / 10));
    double[] b = new double[m.length];
    if (n < 2 || !(Math.min(axis.offset(), axis.end()) > 0)) {
      return b;
    }
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < n; i++) {
      if (!(m[i] > 0)) {
        return b;
      }
      sx += Math.log(axis.energy(i));
      sy += Math.log(m[i]);
    }
    double mx = sx / n;
    double my = sy / n;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      double dx = Math.log(axis.energy(i)) - mx;
      sxx += dx * dx;
      sxy += dx * (Math.log(m[i]) - my);
    }
    double slope = sxx > 0 ? sxy / sxx : 0.0;
    for (int i = 0; i < m.length; i++) {
      b[i] = Math.exp(my + slope * (Math.log(axis.energy(i)) - mx));
    }
    return b;
  }

  /** The models' backgrounds on the given spectra's scales, or null when the spectra are not the models'. */
  private static List<double[]> modelBackgrounds(String set, Endmembers endmembers) {
    BuiltinEndmembers.Definition d = BuiltinEndmembers.definition(set);
    if (d.entries().size() != endmembers.count() || !d.axis().sameAs(endmembers.axis(), 1e-9)) {
      return null;
    }
    List<double[]> out = new ArrayList<>();
    for (int r = 0; r < endmembers.count(); r++) {
      EelsSpectrumModel model = d.entries().get(r).model();
      double[] unit = model.normalisedSpectrum(d.axis());
      double[] m = endmembers.spectrum(r);
      double total = 0;
      double max = 0;
      for (double v : m) {
        total += v;
        max = Math.max(max, v);
      }
      for (int i = 0; i < m.length; i++) {
        if (Math.abs(unit[i] * total - m[i]) > MODEL_MATCH * max) {
          return null;
        }
      }
      List<EelsSpectrumModel.Component> power = new ArrayList<>();
      for (EelsSpectrumModel.Component c : model.components()) {
        if (c instanceof EelsSpectrumModel.PowerLawBackground) {
          power.add(c);
        }
      }
      double[] b = new double[m.length];
      if (!power.isEmpty()) {
        double[] all = model.channelCounts(d.axis());
        double modelTotal = 0;
        for (double v : all) {
          modelTotal += v;
        }
        double[] counts = new EelsSpectrumModel(model.name(), power).channelCounts(d.axis());
        for (int i = 0; i < b.length; i++) {
          b[i] = counts[i] / modelTotal * total;
        }
      }
      out.add(b);
    }
    return out;
  }
}
