package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.PixelKey;

/**
 * A block of pixels held in memory, the unit every uDAS pass ({@link UdasPixelPasses}) runs its per-pixel kernels
 * on: a whole image for {@link Udas#fit}, one partition for the Spark estimator. It holds the counts (row-major
 * N × B), the pixels' addresses (VCA's tie-break), and the per-pixel state of the initialisation: the input
 * spectra, their VCA projections and the abundances H (N × R).
 *
 * <p>Every sum a pass returns is order-independent (maxima, {@link FixedPointSum}s via {@link Blu.MomentSums} and
 * {@link UdasStatistics}, VCA candidates with ties to the smaller address), so any split of the pixels into blocks
 * gives the driver the same bits. A pass that changes the state puts new arrays in place and never writes into the old ones, so a copy
 * ({@link #copy}) taken before keeps the previous state (the Spark passes build each new block from a copy and
 * keep the old one intact). Per-pixel loops allocate nothing.
 */
public final class UdasBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  private final float[] spectra;
  private final PixelKey[] keys;
  private final int channels;
  private final int count;
  /** The same counts as BLU's start reads them: the largest count and the order-independent moments. */
  private final BluSpectraBlock counts;
  private float[] input;
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
    this.counts = new BluSpectraBlock(spectra, keys, channels); // checks the shapes
    this.spectra = spectra;
    this.keys = keys;
    this.channels = channels;
    this.count = keys.length;
  }

  /** A shallow copy: same arrays, which the passes replace rather than modify. */
  public UdasBlock copy() {
    UdasBlock b = new UdasBlock(spectra, keys, channels);
    b.input = input;
    b.projections = projections;
    b.dims = dims;
    b.abundances = abundances;
    return b;
  }

  /** A copy without the initialisation's input copies and projections (no longer needed). */
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
    return counts.maxCount();
  }

  /** Adds every spectrum (counts) to {@code m} (order-independent sums); returns it. */
  public Blu.MomentSums addMoments(Blu.MomentSums m) {
    return counts.addMoments(m);
  }

  /** Keeps the normalised pixels {@code y·scale} (float) as the initialisation's input; returns this. */
  public UdasBlock keepInput(double scale) {
    float[] out = new float[spectra.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (spectra[i] * scale);
    }
    input = out;
    return this;
  }

  /** Projects every input pixel for VCA and keeps the projections; returns the largest squared norm. */
  public double project(VcaProjection p) {
    int d = p.dims();
    double[] out = new double[count * d];
    double[] x = new double[d];
    double lift = 0;
    for (int i = 0; i < count; i++) {
      p.project(requireInput(), i * channels, x);
      System.arraycopy(x, 0, out, i * d, d);
      lift = Math.max(lift, p.normSquared(x));
    }
    projections = out;
    dims = d;
    return lift;
  }

  /**
   * The pixel of this block each of VCA's directions picks (ties to the smaller address; nulls when empty), from
   * the kept projections.
   */
  public VcaCandidate[] candidates(VcaProjection p, double[][] directions, double lift) {
    if (projections == null) {
      throw new IllegalStateException("the pixels are not projected for VCA yet");
    }
    return inputBlock().candidates(p, projections, directions, lift);
  }

  /** The FCLS residuals of {@code sets} over the kept input pixels, in a new accumulator. */
  public FclsResiduals residuals(Fcls[] sets) {
    return inputBlock().addResiduals(new FclsResiduals(sets));
  }

  /** The kept input pixels as VCA's passes read them (same arrays, not copied). */
  private VcaPixelBlock inputBlock() {
    return new VcaPixelBlock(requireInput(), keys, channels);
  }

  /** FCLS abundances of every input pixel, kept as H; returns the largest. */
  public double fcls(Fcls fcls) {
    int r = fcls.endmemberCount();
    double[] h = new double[count * r];
    double[] a = new double[r];
    Fcls.Solver solver = fcls.newSolver();
    for (int i = 0; i < count; i++) {
      solver.solve(requireInput(), i * channels, a);
      System.arraycopy(a, 0, h, i * r, r);
    }
    abundances = h;
    return largest(h);
  }

  /**
   * The abundance step ({@link SumToOneNnls}) on every pixel's counts from its current H, kept as H; returns the
   * largest |h|.
   */
  public double refine(SumToOneNnls step) {
    int components = step.components();
    double[] h = abundances.clone();
    double[] work = new double[step.workLength()];
    for (int i = 0; i < count; i++) {
      step.solve(spectra, i * channels, h, i * components, work);
    }
    abundances = h;
    return largest(h);
  }

  /** The sums of the kept H with the normalised pixels, added to {@code acc}. */
  public UdasStatistics abundanceSums(double scale, UdasStatistics acc) {
    int r = abundances.length / Math.max(count, 1);
    double[] x = new double[channels];
    for (int i = 0; i < count; i++) {
      acc.add(abundances, i * r, normalised(i, scale, x));
    }
    return acc;
  }

  private static double largest(double[] h) {
    double m = 0;
    for (double v : h) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** One pass of the encoder objective (loss, sums of H = relu(W1 x), and the gradient if asked) into {@code acc}. */
  public UdasStatistics encode(UdasEncoderPass e, double scale, UdasStatistics acc) {
    int r = e.components;
    double[] x = new double[channels];
    double[] h = new double[r];
    double[] g = new double[r];
    double[] lin = new double[r];
    for (int i = 0; i < count; i++) {
      normalised(i, scale, x);
      double loss = e.pixel(x, h, g, lin);
      acc.add(h, 0, x);
      if (e.withGradient) {
        acc.addLoss(loss);
        acc.addGradient(g, x);
      }
    }
    return acc;
  }

  private double[] normalised(int i, double scale, double[] x) {
    int base = i * channels;
    for (int c = 0; c < channels; c++) {
      x[c] = spectra[base + c] * scale;
    }
    return x;
  }

  private float[] requireInput() {
    if (input == null) {
      throw new IllegalStateException("the pixels have no initialisation input yet");
    }
    return input;
  }
}
