package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.PixelKey;

/**
 * A block of pixels held in memory, the unit every uDAS pass ({@link UdasPixelPasses}) runs its per-pixel kernels
 * on: a whole image for {@link Udas#fit}, one partition for the Spark estimator. It holds the counts (row-major
 * N × B), the pixels' addresses (VCA's tie-break), and the per-pixel state of the initialisation: the denoised
 * spectra, their VCA projections and the abundances H (N × R).
 *
 * <p>A pass that changes the state puts new arrays in place and never writes into the old ones, so a copy
 * ({@link #copy}) taken before keeps the previous state (the Spark passes build each new block from a copy and
 * keep the old one intact). Per-pixel loops allocate nothing.
 */
public final class UdasBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  private final float[] spectra;
  private final PixelKey[] keys;
  private final int channels;
  private final int count;
  private float[] denoised;
  private double[] projections;
  private int dims;
  private double[] abundances;
  /** The statistics of the pass that made this block (Spark passes read them back); null otherwise. */
  private Serializable result;

  /**
   * @param spectra row-major N × B counts (not copied)
   * @param keys the N pixels' addresses (not copied)
   */
  public UdasBlock(float[] spectra, PixelKey[] keys, int channels) {
    if (channels < 1 || spectra.length != (long) keys.length * channels) {
      throw new IllegalArgumentException(spectra.length + " counts do not make " + keys.length + " spectra of "
          + channels + " channels");
    }
    this.spectra = spectra;
    this.keys = keys;
    this.channels = channels;
    this.count = keys.length;
  }

  /** A shallow copy: same arrays, which the passes replace rather than modify. */
  public UdasBlock copy() {
    UdasBlock b = new UdasBlock(spectra, keys, channels);
    b.denoised = denoised;
    b.projections = projections;
    b.dims = dims;
    b.abundances = abundances;
    return b;
  }

  /** A copy without the initialisation's denoised spectra and projections (no longer needed). */
  public UdasBlock released() {
    UdasBlock b = new UdasBlock(spectra, keys, channels);
    b.abundances = abundances;
    return b;
  }

  public int count() {
    return count;
  }

  /** The result a Spark pass stored with this block. */
  public Serializable result() {
    return result;
  }

  /** Stores a pass's result; returns this. */
  public UdasBlock withResult(Serializable r) {
    result = r;
    return this;
  }

  /** The largest count (0 for an empty block). */
  public double maxCount() {
    double m = 0;
    for (float v : spectra) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** Adds every spectrum (counts) to {@code m}; returns it. */
  public SpectralMoments addMoments(SpectralMoments m) {
    for (int i = 0; i < count; i++) {
      m.add(spectra, i * channels);
    }
    return m;
  }

  /** Denoises every pixel ({@code G [y·scale; 1]}), keeps the result and adds it to {@code m}; returns it. */
  public SpectralMoments denoise(Msda msda, double scale, SpectralMoments m) {
    float[] out = new float[spectra.length];
    for (int i = 0; i < count; i++) {
      msda.denoise(spectra, i * channels, scale, out, i * channels);
      m.add(out, i * channels);
    }
    denoised = out;
    return m;
  }

  /** Projects every denoised pixel for VCA and keeps the projections; returns the largest squared norm. */
  public double project(VcaProjection p) {
    int d = p.dims();
    double[] out = new double[count * d];
    double[] x = new double[d];
    double lift = 0;
    for (int i = 0; i < count; i++) {
      p.project(requireDenoised(), i * channels, x);
      System.arraycopy(x, 0, out, i * d, d);
      lift = Math.max(lift, p.normSquared(x));
    }
    projections = out;
    dims = d;
    return lift;
  }

  /** The pixel of this block VCA's direction {@code f} picks (ties to the smaller address), or null if empty. */
  public VcaCandidate candidate(VcaProjection p, double[] f, double lift) {
    int best = -1;
    double bestScore = 0;
    double[] x = new double[dims];
    for (int i = 0; i < count; i++) {
      System.arraycopy(projections, i * dims, x, 0, dims);
      double s = coarse(p.score(f, x, lift));
      if (best < 0 || s > bestScore || (s == bestScore && keys[i].compareTo(keys[best]) < 0)) {
        best = i;
        bestScore = s;
      }
    }
    if (best < 0) {
      return null;
    }
    double[] xb = new double[dims];
    System.arraycopy(projections, best * dims, xb, 0, dims);
    return new VcaCandidate(bestScore, keys[best], xb);
  }

  /**
   * The score with its 24 lowest mantissa bits cleared (about 8.7 significant digits kept). Denoised pixels of a
   * smooth region score alike to many digits, and the scatter behind the denoising is summed in another order on
   * another partitioning: compared at full precision, rounding alone could pick another pixel there. Coarse scores
   * that tie go to the smaller address.
   */
  static double coarse(double score) {
    return Double.longBitsToDouble(Double.doubleToRawLongBits(score) & ~((1L << 24) - 1));
  }

  /** FCLS abundances of every denoised pixel, kept as H; their sums (with the denoised) added to {@code acc}. */
  public UdasStatistics fcls(Fcls fcls, double scale, UdasStatistics acc) {
    int r = fcls.endmemberCount();
    double[] h = new double[count * r];
    double[] a = new double[r];
    Fcls.Solver solver = fcls.newSolver();
    double[] x = new double[channels];
    for (int i = 0; i < count; i++) {
      solver.solve(requireDenoised(), i * channels, a);
      System.arraycopy(a, 0, h, i * r, r);
      acc.add(h, i * r, normalised(i, scale, x), denoised, i * channels);
    }
    abundances = h;
    return acc;
  }

  /** The sum-to-one NNLS step on every denoised pixel from its current H, kept as H; sums added to {@code acc}. */
  public UdasStatistics refine(SumToOneNnls step, double scale, UdasStatistics acc) {
    int components = step.components();
    double[] h = abundances.clone();
    double[] work = new double[step.workLength()];
    double[] x = new double[channels];
    for (int i = 0; i < count; i++) {
      step.solve(requireDenoised(), i * channels, h, i * components, work);
      acc.add(h, i * components, normalised(i, scale, x), denoised, i * channels);
    }
    abundances = h;
    return acc;
  }

  /** One pass of the encoder objective (loss, sums of H = relu(W1 x), and the gradient if asked) into {@code acc}. */
  public UdasStatistics encode(UdasEncoderPass e, double scale, UdasStatistics acc) {
    int r = e.components;
    double[] x = new double[channels];
    double[] h = new double[r];
    double[] g = new double[r];
    double[] lin = new double[r];
    double loss = 0;
    for (int i = 0; i < count; i++) {
      normalised(i, scale, x);
      loss += e.pixel(x, h, g, lin);
      acc.add(h, 0, x, null, 0);
      if (e.withGradient) {
        acc.addGradient(g, x);
      }
    }
    acc.addLoss(loss);
    return acc;
  }

  private double[] normalised(int i, double scale, double[] x) {
    int base = i * channels;
    for (int c = 0; c < channels; c++) {
      x[c] = spectra[base + c] * scale;
    }
    return x;
  }

  private float[] requireDenoised() {
    if (denoised == null) {
      throw new IllegalStateException("the pixels are not denoised yet");
    }
    return denoised;
  }
}
