package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The sums over pixels that the NMF endmember update needs: with Y the N × B pixel matrix and W the N × R
 * abundance matrix, the R × R Gram {@code WᵀW = Σ_i w_i w_iᵀ}, the R × B cross product {@code WᵀY = Σ_i w_i y_iᵀ},
 * {@code ‖Y‖² = Σ_i ‖y_i‖²}, the pixel count, and the summed |projected gradient| of the abundance update (the
 * coordinate-descent stopping rule). The endmember update of both solvers ({@link NmfEndmemberUpdate}) and the
 * objective
 *
 * <pre>  ½‖Y − W H‖² = ½ (‖Y‖² − 2 ⟨H, WᵀY⟩ + ⟨WᵀW, H Hᵀ⟩)</pre>
 *
 * depend on the pixels only through these sums, so a distributed fit adds them up per partition and
 * {@link #merge}s them (a tree aggregate) while the pixels stay where they are.
 *
 * <p>Mutable accumulator; not thread-safe. {@link #add} allocates nothing after its first call.
 */
public final class NmfStatistics implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int components;
  private final int channels;
  private long count;
  private double dataNormSquared;
  private double violation;
  /** WᵀW, row-major R × R (full, symmetric). */
  final double[] gram;
  /** WᵀY, row-major R × B. */
  final double[] cross;
  /** {@link #add}'s rows with a non-zero abundance and those abundances (scratch, made on the first add). */
  private transient int[] rows;
  private transient double[] weights;
  /** {@link #add}'s cross product on the Vector API ({@link NmfCrossVector}, the same bits) where this JVM has it. */
  private static final boolean VECTOR = org.eelsunmix.linalg.VectorApi.ENABLED && org.eelsunmix.linalg.DoubleLanes.usable();

  /**
   * @param components R ≥ 1
   * @param channels B ≥ 1
   */
  public NmfStatistics(int components, int channels) {
    if (components < 1 || channels < 1) {
      throw new IllegalArgumentException("NMF statistics need R ≥ 1 and B ≥ 1, got " + components + ", " + channels);
    }
    this.components = components;
    this.channels = channels;
    this.gram = new double[components * components];
    this.cross = new double[components * channels];
  }

  /** Number of components R. */
  public int components() {
    return components;
  }

  /** Number of channels B. */
  public int channels() {
    return channels;
  }

  /** Number of pixels added. */
  public long count() {
    return count;
  }

  /** {@code ‖Y‖²}, the summed squared counts. */
  public double dataNormSquared() {
    return dataNormSquared;
  }

  /** The summed |projected gradient| reported through {@link #addViolation}. */
  public double violation() {
    return violation;
  }

  /**
   * Adds one pixel: spectrum {@code y[yOffset .. yOffset + B)} with abundances {@code w[wOffset .. wOffset + R)};
   * returns this.
   */
  public NmfStatistics add(float[] y, int yOffset, double[] w, int wOffset) {
    return add(y, yOffset, normSquared(y, yOffset, channels), w, wOffset);
  }

  /**
   * As {@link #add(float[], int, double[], int)} with the spectrum's {@code ‖y‖²} given, as {@link #normSquared}
   * computes it (the same bits): a block that keeps it saves every pass a B-long chain of dependent additions, about
   * as long as the rest of the pixel's work.
   */
  public NmfStatistics add(float[] y, int yOffset, double yNormSquared, double[] w, int wOffset) {
    final int r = components;
    final int b = channels;
    dataNormSquared += yNormSquared;
    if (VECTOR) {
      if (rows == null) {
        rows = new int[r];
        weights = new double[r];
      }
      int n = 0;
      for (int s = 0; s < r; s++) {
        double ws = w[wOffset + s];
        if (ws == 0) {
          continue;
        }
        for (int t = 0; t < r; t++) {
          gram[s * r + t] += ws * w[wOffset + t];
        }
        rows[n] = s;
        weights[n++] = ws;
      }
      NmfCrossVector.add(cross, b, y, yOffset, rows, weights, n);
      count++;
      return this;
    }
    for (int s = 0; s < r; s++) {
      double ws = w[wOffset + s];
      if (ws == 0) {
        continue; // NMF abundances are often exactly zero: those rows add nothing
      }
      for (int t = 0; t < r; t++) {
        gram[s * r + t] += ws * w[wOffset + t];
      }
      int base = s * b;
      for (int c = 0; c < b; c++) {
        cross[base + c] += ws * y[yOffset + c];
      }
    }
    count++;
    return this;
  }

  /** {@code ‖y‖²} of the spectrum {@code y[yOffset .. yOffset + b)}, summed in channel order. */
  public static double normSquared(float[] y, int yOffset, int b) {
    double ss = 0;
    for (int c = 0; c < b; c++) {
      double v = y[yOffset + c];
      ss += v * v;
    }
    return ss;
  }

  /**
   * {@link #normSquared} of the {@code n} spectra {@code y} (row-major n × b, from offset 0) into {@code out}: the
   * same bits. Why: one spectrum's sum is a chain of b dependent additions; four spectra's chains advance side by side.
   */
  public static void normsSquared(float[] y, int n, int b, double[] out) {
    int i = 0;
    for (; i + 3 < n; i += 4) {
      int o0 = i * b;
      int o1 = o0 + b;
      int o2 = o1 + b;
      int o3 = o2 + b;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int c = 0; c < b; c++) {
        double v0 = y[o0 + c];
        double v1 = y[o1 + c];
        double v2 = y[o2 + c];
        double v3 = y[o3 + c];
        s0 += v0 * v0;
        s1 += v1 * v1;
        s2 += v2 * v2;
        s3 += v3 * v3;
      }
      out[i] = s0;
      out[i + 1] = s1;
      out[i + 2] = s2;
      out[i + 3] = s3;
    }
    for (; i < n; i++) {
      out[i] = normSquared(y, i * b, b);
    }
  }

  /** Adds a part of the abundance update's |projected gradient| sum; returns this. */
  public NmfStatistics addViolation(double v) {
    violation += v;
    return this;
  }

  /** Adds the other accumulator's sums into this one; returns this. */
  public NmfStatistics merge(NmfStatistics other) {
    if (other.components != components || other.channels != channels) {
      throw new IllegalArgumentException("cannot merge NMF statistics of " + other.components + "x" + other.channels
          + " and " + components + "x" + channels);
    }
    count += other.count;
    dataNormSquared += other.dataNormSquared;
    violation += other.violation;
    for (int i = 0; i < gram.length; i++) {
      gram[i] += other.gram[i];
    }
    for (int i = 0; i < cross.length; i++) {
      cross[i] += other.cross[i];
    }
    return this;
  }

  /** A copy of {@code WᵀW}, row-major R × R. */
  public double[] abundanceGram() {
    return gram.clone();
  }

  /** A copy of {@code WᵀY}, row-major R × B. */
  public double[] abundanceCross() {
    return cross.clone();
  }

  /**
   * The objective {@code ½‖Y − W H‖²} of the accumulated W with endmembers {@code h} (row-major R × B), from the
   * sums alone. It subtracts nearly equal terms, so its absolute error is about {@code 1e-16 · ‖Y‖²} times a
   * small factor: ample for the stopping rules, not for residuals far below that.
   */
  public double objective(double[] h) {
    final int r = components;
    final int b = channels;
    double data = 0;
    for (int i = 0; i < cross.length; i++) {
      data += h[i] * cross[i];
    }
    double model = 0;
    for (int s = 0; s < r; s++) {
      for (int t = 0; t < r; t++) {
        double g = gram[s * r + t];
        if (g == 0) {
          continue;
        }
        double hh = 0;
        for (int c = 0; c < b; c++) {
          hh += h[s * b + c] * h[t * b + c];
        }
        model += g * hh;
      }
    }
    return 0.5 * (dataNormSquared - 2 * data + model);
  }
}
