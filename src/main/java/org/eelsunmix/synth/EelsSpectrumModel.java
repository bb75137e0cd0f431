package org.eelsunmix.synth;

import java.util.List;
import java.util.Objects;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.linalg.SpecialFunctions;

/**
 * A core-loss EELS spectrum built from textbook components (R. F. Egerton, <i>Electron Energy-Loss Spectroscopy
 * in the Electron Microscope</i>, 3rd ed., Springer 2011, §3.5–3.8 and §4.4), summed:
 *
 * <ul>
 *   <li>{@link PowerLawBackground}: the tail of the valence and earlier core losses,
 *       {@code I(E) = A (E/E₀)^−r} (Egerton eq. 4.61, {@code A E^−r} with the amplitude quoted at a reference
 *       energy {@code E₀} so that it is a readable number).</li>
 *   <li>{@link IonisationEdge}: the hydrogenic "sawtooth" of a core shell, {@code I(E) = h S(E) D(E) (E/E_k)^−s}:
 *       a step {@code S(E) = ½[1 + erf((E − E_k)/(√2 σ))]} smoothed by the energy resolution (σ = FWHM/2.3548),
 *       then a power-law decay with exponent {@code s}. A delayed edge (the M₄,₅ edges of 4d elements such as Ru,
 *       whose final states lie above a centrifugal barrier, Egerton §3.7.3) also rises over tens of eV:
 *       {@code D(E) = 1 − exp(−((E − E_k)/δ)²)} above the onset, 0 below; {@code δ = 0} means a sharp edge,
 *       {@code D ≡ 1}.</li>
 *   <li>{@link Peak}: white lines (L₃ and L₂ of 3d metals, transitions into empty d states) as Lorentzian peaks, and
 *       ELNES peaks such as the π* and σ* resonances of K edges as Gaussian or Lorentzian peaks, each given by its
 *       area so that the L₃:L₂ "white-line ratio" is the ratio of the areas.</li>
 * </ul>
 *
 * <p>A spectrometer channel counts every electron whose loss falls in it, so {@link #channelCounts} integrates
 * the intensity over each channel {@code [E_i − Δ/2, E_i + Δ/2]} by the midpoint rule with
 * {@value #SUBSAMPLES} sub-samples; a white line a channel wide then keeps its area. All arithmetic uses
 * {@link StrictMath}, so the built-in endmember files are reproduced bit for bit on every JVM.
 *
 * @param name the material, e.g. {@code Co}
 * @param components the terms of the sum, at least one
 */
public record EelsSpectrumModel(String name, List<Component> components) {
  /** Sub-samples per channel of the midpoint rule in {@link #channelCounts}. */
  public static final int SUBSAMPLES = 16;
  private static final double FWHM_PER_SIGMA = 2.0 * StrictMath.sqrt(2.0 * StrictMath.log(2.0));

  /** Validates and copies. */
  public EelsSpectrumModel {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a spectrum model needs a name");
    }
    if (components == null || components.isEmpty()) {
      throw new IllegalArgumentException("spectrum model " + name + " needs at least one component");
    }
    components = List.copyOf(components);
  }

  /** Convenience constructor. */
  public EelsSpectrumModel(String name, Component... components) {
    this(name, List.of(components));
  }

  /** One term of the model: an intensity per eV at each energy loss. */
  public sealed interface Component permits PowerLawBackground, IonisationEdge, Peak {
    /** Intensity per eV at energy loss {@code energy} (eV, positive). */
    double intensity(double energy);
  }

  /**
   * {@code A (E/E₀)^−r}.
   *
   * @param amplitude A, the intensity per eV at {@code referenceEnergy}, ≥ 0
   * @param referenceEnergy E₀ in eV, &gt; 0
   * @param exponent r, typically 2 to 5 in the core-loss region
   */
  public record PowerLawBackground(double amplitude, double referenceEnergy, double exponent) implements Component {
    /** Validates. */
    public PowerLawBackground {
      requireNonNegative(amplitude, "background amplitude");
      requirePositive(referenceEnergy, "background reference energy");
      requireFinite(exponent, "background exponent");
    }

    @Override
    public double intensity(double energy) {
      return amplitude * StrictMath.pow(energy / referenceEnergy, -exponent);
    }
  }

  /**
   * {@code h S(E) D(E) (E/E_k)^−s} (see the class comment).
   *
   * @param label e.g. {@code Co-L3}
   * @param onset E_k, the edge energy in eV, &gt; 0
   * @param height h, the step height per eV just above a sharp onset, ≥ 0
   * @param onsetFwhm width of the smoothed onset (FWHM of the Gaussian blur) in eV, &gt; 0
   * @param decayExponent s of the post-edge decay
   * @param delay δ in eV (0 for a sharp edge): the rise of a delayed edge reaches 63 % of its full height at
   *     {@code E_k + δ}
   */
  public record IonisationEdge(String label, double onset, double height, double onsetFwhm, double decayExponent,
      double delay) implements Component {
    /** Validates. */
    public IonisationEdge {
      Objects.requireNonNull(label, "label");
      requirePositive(onset, label + " onset");
      requireNonNegative(height, label + " height");
      requirePositive(onsetFwhm, label + " onset width");
      requireFinite(decayExponent, label + " decay exponent");
      requireNonNegative(delay, label + " delay");
    }

    /** A sharp (not delayed) edge. */
    public static IonisationEdge sharp(String label, double onset, double height, double onsetFwhm,
        double decayExponent) {
      return new IonisationEdge(label, onset, height, onsetFwhm, decayExponent, 0.0);
    }

    @Override
    public double intensity(double energy) {
      double sigma = onsetFwhm / FWHM_PER_SIGMA;
      double step = 0.5 * (1.0 + SpecialFunctions.erf((energy - onset) / (StrictMath.sqrt(2.0) * sigma)));
      double rise = 1.0;
      if (delay > 0.0) {
        double x = (energy - onset) / delay;
        rise = x <= 0.0 ? 0.0 : 1.0 - StrictMath.exp(-x * x);
      }
      return height * step * rise * StrictMath.pow(energy / onset, -decayExponent);
    }
  }

  /** Line shape of a {@link Peak}. */
  public enum Shape {
    /** {@code (area/π) (Γ/2) / ((E − E_c)² + (Γ/2)²)}: lifetime-broadened lines such as white lines. */
    LORENTZIAN,
    /** {@code area/(σ√(2π)) exp(−(E − E_c)²/(2σ²))}, σ = FWHM/2.3548: resolution-limited ELNES peaks. */
    GAUSSIAN
  }

  /**
   * A peak of given area.
   *
   * @param label e.g. {@code Co-L3 white line}
   * @param centre E_c in eV
   * @param fwhm full width at half maximum in eV, &gt; 0
   * @param area integrated intensity, ≥ 0
   * @param shape Lorentzian or Gaussian
   */
  public record Peak(String label, double centre, double fwhm, double area, Shape shape) implements Component {
    /** Validates. */
    public Peak {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(shape, "shape");
      requirePositive(centre, label + " centre");
      requirePositive(fwhm, label + " width");
      requireNonNegative(area, label + " area");
    }

    /** A peak whose maximum is {@code height} (per eV) rather than a given area. */
    public static Peak ofHeight(String label, double centre, double fwhm, double height, Shape shape) {
      return new Peak(label, centre, fwhm, height / unitHeight(fwhm, shape), shape);
    }

    /** The maximum of a peak of unit area. */
    static double unitHeight(double fwhm, Shape shape) {
      return shape == Shape.LORENTZIAN ? 2.0 / (StrictMath.PI * fwhm)
          : FWHM_PER_SIGMA / (fwhm * StrictMath.sqrt(2.0 * StrictMath.PI));
    }

    @Override
    public double intensity(double energy) {
      double d = energy - centre;
      if (shape == Shape.LORENTZIAN) {
        double half = 0.5 * fwhm;
        return area / StrictMath.PI * half / (d * d + half * half);
      }
      double sigma = fwhm / FWHM_PER_SIGMA;
      return area / (sigma * StrictMath.sqrt(2.0 * StrictMath.PI)) * StrictMath.exp(-0.5 * d * d / (sigma * sigma));
    }
  }

  /** Total intensity per eV at {@code energy} (eV). */
  public double intensity(double energy) {
    double sum = 0.0;
    for (Component c : components) {
      sum += c.intensity(energy);
    }
    return sum;
  }

  /**
   * The counts each channel of {@code axis} collects: the intensity integrated over the channel width (midpoint
   * rule, {@value #SUBSAMPLES} sub-samples). The axis must lie at positive energies.
   */
  public double[] channelCounts(EnergyAxis axis) {
    double width = Math.abs(axis.scale());
    double low = Math.min(axis.offset(), axis.end()) - width / 2;
    if (!(low > 0)) {
      throw new IllegalArgumentException("the core-loss model needs an axis above 0 eV, got " + axis);
    }
    double[] counts = new double[axis.channels()];
    double h = width / SUBSAMPLES;
    for (int i = 0; i < counts.length; i++) {
      double start = axis.energy(i) - width / 2;
      double sum = 0.0;
      for (int j = 0; j < SUBSAMPLES; j++) {
        sum += intensity(start + (j + 0.5) * h);
      }
      counts[i] = sum * h;
    }
    return counts;
  }

  /**
   * {@link #channelCounts} scaled to unit sum over the channels. An endmember of unit total makes a mixture with
   * sum-to-one abundances also of unit total, so that a dose {@code D} means {@code D} expected counts per pixel.
   */
  public double[] normalisedSpectrum(EnergyAxis axis) {
    double[] counts = channelCounts(axis);
    double total = 0.0;
    for (double c : counts) {
      total += c;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("spectrum model " + name + " has no intensity on " + axis);
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] /= total;
    }
    return counts;
  }

  private static void requireFinite(double v, String what) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(what + " must be finite, got " + v);
    }
  }

  private static void requirePositive(double v, String what) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(what + " must be positive, got " + v);
    }
  }

  private static void requireNonNegative(double v, String what) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(what + " must be ≥ 0, got " + v);
    }
  }
}
