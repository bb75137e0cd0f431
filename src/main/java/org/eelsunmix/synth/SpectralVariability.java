package org.eelsunmix.synth;

import java.util.SplittableRandom;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.linalg.SpecialFunctions;

/**
 * The expected spectrum of a pixel under spectral variability ({@link Variability}): the extended linear mixing
 * model of Drumetz et al. (IEEE TIP 25(8), 2016; per-pixel scaling) with EELS-specific distortions. For pixel
 * {@code (y, x)} with abundances {@code a_r} and endmembers split as {@code m_r = b_r + e_r} ({@link BackgroundSplit}):
 *
 * <pre>  v_i = t · Σ_r a_r ( b_r,i · (E_i/E_0)^−δ + g_r · e_r,i )
 *  x_i = v(i − s)            (linear interpolation between channels)</pre>
 *
 * <ul>
 *   <li>{@code t = max(0, 1 + thickness·z)}: the ELMM scale, the same for every endmember, so the abundances stay
 *       the proportions and the pixel's total follows {@code t};</li>
 *   <li>{@code g_r = max(0, 1 + edgeScale·z_r)}: one factor per pixel and endmember on the edge signal only;</li>
 *   <li>{@code δ = backgroundJitter·z}: a change of the background exponent {@code r → r + δ}, applied as the factor
 *       {@code (E_i/E_0)^−δ} at each channel's centre with {@code E_0} the first channel's energy (so the background
 *       pivots about the first channel);</li>
 *   <li>{@code s = shiftDrift·(x + y)/(2(size − 1)) + shiftJitter·z} channels (0 for a one-pixel image): a drift
 *       plane, 0 at pixel (0, 0), {@code shiftDrift} at {@code (size − 1, size − 1)}, half of it at the other two
 *       corners, plus Gaussian jitter. A positive shift moves features to higher energy loss:
 *       {@code x_i = (1 − φ)·v_k + φ·v_{k+1}} with {@code k = ⌊i − s⌋}, {@code φ = i − s − k}. Linear
 *       interpolation keeps the values ≥ 0 and moves a feature's centroid by exactly {@code s}. <b>Edge
 *       channels:</b> where {@code i − s} falls outside the axis the end channel's value is repeated (constant
 *       extension; the first or last {@code ⌈|s|⌉} channels).</li>
 * </ul>
 *
 * <p>Every {@code z} is a standard normal draw ({@link SpecialFunctions#standardNormal}). Each quantity has its own
 * stream, {@code SplittableRandom(mix64(u + kγ))} for {@code k} = 1 (shift), 2 (background), 3 (thickness),
 * 4 (edges), {@code u} the variability seed, and every pixel draws the same number of values (visited in row-major
 * order), so switching one amplitude on changes no other quantity's draws.
 *
 * <p>Not thread-safe: one instance per cube.
 */
public final class SpectralVariability {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final Variability amplitudes;
  private final double[][] background;
  private final double[][] edge;
  private final double[] logEnergyRatio;
  private final int size;
  private final SplittableRandom shiftRandom;
  private final SplittableRandom backgroundRandom;
  private final SplittableRandom thicknessRandom;
  private final SplittableRandom edgeRandom;
  private final double[] mixed;
  private final double[] edgeScales;

  /**
   * @param amplitudes the variability
   * @param split the endmembers' backgrounds and edges, on the scale of the cube
   * @param axis the energy axis (above 0 eV when {@code backgroundJitter > 0})
   * @param size image side in pixels
   * @param seed the variability seed {@code u}
   * @throws BadInputException naming {@code background_jitter} for an axis that reaches 0 eV or below
   */
  public SpectralVariability(Variability amplitudes, BackgroundSplit split, EnergyAxis axis, int size, long seed) {
    this.amplitudes = amplitudes;
    this.background = split.background();
    this.edge = split.edge();
    this.size = size;
    int channels = axis.channels();
    this.logEnergyRatio = new double[channels];
    if (amplitudes.backgroundJitter() > 0) {
      if (!(Math.min(axis.offset(), axis.end()) > 0)) {
        throw new BadInputException("background_jitter", "a power-law background needs an energy axis above 0 eV, "
            + "got " + axis);
      }
      double e0 = axis.energy(0);
      for (int i = 0; i < channels; i++) {
        logEnergyRatio[i] = StrictMath.log(axis.energy(i) / e0);
      }
    }
    this.shiftRandom = new SplittableRandom(SyntheticGenerator.mix64(seed + GOLDEN_GAMMA));
    this.backgroundRandom = new SplittableRandom(SyntheticGenerator.mix64(seed + 2 * GOLDEN_GAMMA));
    this.thicknessRandom = new SplittableRandom(SyntheticGenerator.mix64(seed + 3 * GOLDEN_GAMMA));
    this.edgeRandom = new SplittableRandom(SyntheticGenerator.mix64(seed + 4 * GOLDEN_GAMMA));
    this.mixed = new double[channels];
    this.edgeScales = new double[background.length];
  }

  /** The drift plane at pixel {@code (y, x)}, in channels (see the class comment). */
  public double driftPlane(int y, int x) {
    return size == 1 ? 0.0 : amplitudes.shiftDrift() * (x + y) / (2.0 * (size - 1));
  }

  /**
   * The expected spectrum of the next pixel: call once per pixel, in row-major order, vacuum pixels included (their
   * draws are made and ignored, so the streams do not depend on the vacuum).
   *
   * @param pixel the pixel's row-major index {@code y·size + x}
   * @param abundances all maps, pixel-major ({@code [pixel·R + r]}), not modified
   * @param out the pixel's expected spectrum, overwritten
   */
  public void expected(int pixel, double[] abundances, double[] out) {
    int count = background.length;
    int channels = mixed.length;
    double shift = driftPlane(pixel / size, pixel % size);
    if (amplitudes.shiftJitter() > 0) {
      shift += amplitudes.shiftJitter() * SpecialFunctions.standardNormal(shiftRandom);
    }
    double delta = amplitudes.backgroundJitter() > 0
        ? amplitudes.backgroundJitter() * SpecialFunctions.standardNormal(backgroundRandom) : 0.0;
    double t = amplitudes.thickness() > 0
        ? Math.max(0.0, 1.0 + amplitudes.thickness() * SpecialFunctions.standardNormal(thicknessRandom)) : 1.0;
    for (int r = 0; r < count; r++) {
      edgeScales[r] = amplitudes.edgeScale() > 0
          ? Math.max(0.0, 1.0 + amplitudes.edgeScale() * SpecialFunctions.standardNormal(edgeRandom)) : 1.0;
    }
    java.util.Arrays.fill(mixed, 0.0);
    for (int r = 0; r < count; r++) {
      double ar = abundances[pixel * count + r];
      if (ar == 0.0) {
        continue;
      }
      double[] b = background[r];
      double[] e = edge[r];
      double g = edgeScales[r];
      for (int i = 0; i < channels; i++) {
        double tilt = delta == 0.0 ? 1.0 : StrictMath.exp(-delta * logEnergyRatio[i]);
        mixed[i] += ar * (b[i] * tilt + g * e[i]);
      }
    }
    for (int i = 0; i < channels; i++) {
      out[i] = t * interpolate(mixed, i - shift);
    }
  }

  /** {@code v} at fractional channel {@code u} by linear interpolation, the end values repeated outside. */
  static double interpolate(double[] v, double u) {
    int last = v.length - 1;
    if (!(u > 0)) {
      return v[0];
    }
    if (u >= last) {
      return v[last];
    }
    int k = (int) u;
    double phi = u - k;
    return phi == 0.0 ? v[k] : (1.0 - phi) * v[k] + phi * v[k + 1];
  }
}
