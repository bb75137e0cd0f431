package org.eelsunmix.unmix;

import org.eelsunmix.linalg.VectorApi;

/**
 * The dot products {@code g_t = Σ_c v_tc y_c} of spectra y with R fixed vectors (the rows of a row-major R × B
 * matrix V): NMF's {@code y Hᵀ} ({@link NmfAbundanceUpdate#project}) and the NNDSVD start's {@code y · v_j}
 * ({@link NmfInitialisation}). Each dot product adds its B terms {@code v_tc · y_c} in channel order from 0, so every
 * entry point here gives the same bits as the plain loop, whatever the grouping.
 *
 * <p>Why the grouping: one dot product is a chain of B dependent additions, bound by the add latency (a few cycles
 * a channel) rather than by the arithmetic. Up to six chains advance side by side here: three vectors against one
 * spectrum ({@link #project}), or three vectors against two spectra ({@link #projectBlock}); where the Vector API is
 * available {@link #projectBlock} takes a vector's worth of spectra at a time, one a lane, R chains of lanes
 * ({@link VcaProjectionVector}). Splitting one sum into partial sums would change its rounding, so that is not done.
 */
final class NmfProjections {
  private NmfProjections() {}

  /** Vectors per sweep of a spectrum. */
  private static final int GROUP = 3;

  /** {@code out[o + t] = y[yOffset ..] · v_t} for t &lt; r (V row-major r × b). */
  static void project(double[] v, int r, int b, float[] y, int yOffset, double[] out, int o) {
    int t = 0;
    for (; t + GROUP <= r; t += GROUP) {
      int b0 = t * b;
      int b1 = b0 + b;
      int b2 = b1 + b;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      for (int c = 0; c < b; c++) {
        double x = y[yOffset + c];
        s0 += v[b0 + c] * x;
        s1 += v[b1 + c] * x;
        s2 += v[b2 + c] * x;
      }
      out[o + t] = s0;
      out[o + t + 1] = s1;
      out[o + t + 2] = s2;
    }
    if (r - t == 2) {
      int b0 = t * b;
      int b1 = b0 + b;
      double s0 = 0;
      double s1 = 0;
      for (int c = 0; c < b; c++) {
        double x = y[yOffset + c];
        s0 += v[b0 + c] * x;
        s1 += v[b1 + c] * x;
      }
      out[o + t] = s0;
      out[o + t + 1] = s1;
    } else if (r - t == 1) {
      int b0 = t * b;
      double s0 = 0;
      for (int c = 0; c < b; c++) {
        s0 += v[b0 + c] * y[yOffset + c];
      }
      out[o + t] = s0;
    }
  }

  /**
   * {@link #project} of the {@code count} spectra {@code y[(first + i) · b ..]} into {@code out[i · r ..]} (row-major
   * count × r), two spectra per sweep.
   */
  static void projectBlock(double[] v, int r, int b, float[] y, int first, int count, double[] out) {
    projectBlock(v, r, b, y, first, count, out, VectorApi.ENABLED ? scratch(b) : null);
  }

  /**
   * The vector path's scratch for spectra of {@code b} channels ({@link VcaProjectionVector#project}'s work and
   * sums), for callers that project many small groups; null where this JVM has no Vector API.
   */
  static double[][] scratch(int b) {
    if (!VectorApi.ENABLED) {
      return null;
    }
    int lanes = VcaProjectionVector.lanes();
    return new double[][] {new double[b * lanes], new double[4 * lanes]};
  }

  /**
   * {@link #projectBlock(double[], int, int, float[], int, int, double[])}, a vector's worth of spectra at a time
   * when {@code scratch} is given ({@link #scratch}; {@link VcaProjectionVector}, no mean: one spectrum a lane, each
   * sum in channel order from 0, the same bits; R chains of lanes side by side instead of 2R scalar chains), the
   * rest in pairs.
   */
  static void projectBlock(double[] v, int r, int b, float[] y, int first, int count, double[] out,
      double[][] scratch) {
    int i = 0;
    if (scratch != null) {
      final int lanes = VcaProjectionVector.lanes();
      for (; i + lanes <= count; i += lanes) {
        VcaProjectionVector.project(y, (first + i) * b, b, r, v, null, out, i * r, scratch[0], scratch[1]);
      }
    }
    for (; i + 1 < count; i += 2) {
      projectPair(v, r, b, y, (first + i) * b, i * r, out);
    }
    if (i < count) {
      project(v, r, b, y, (first + i) * b, out, i * r);
    }
  }

  /** {@link #project} of the spectra at {@code ya} and {@code ya + b} into {@code out[o ..]} and {@code out[o + r ..]}. */
  private static void projectPair(double[] v, int r, int b, float[] y, int ya, int o, double[] out) {
    final int yb = ya + b;
    final int ob = o + r;
    int t = 0;
    for (; t + GROUP <= r; t += GROUP) {
      int b0 = t * b;
      int b1 = b0 + b;
      int b2 = b1 + b;
      double a0 = 0;
      double a1 = 0;
      double a2 = 0;
      double c0 = 0;
      double c1 = 0;
      double c2 = 0;
      for (int c = 0; c < b; c++) {
        double x = y[ya + c];
        double z = y[yb + c];
        double v0 = v[b0 + c];
        double v1 = v[b1 + c];
        double v2 = v[b2 + c];
        a0 += v0 * x;
        a1 += v1 * x;
        a2 += v2 * x;
        c0 += v0 * z;
        c1 += v1 * z;
        c2 += v2 * z;
      }
      out[o + t] = a0;
      out[o + t + 1] = a1;
      out[o + t + 2] = a2;
      out[ob + t] = c0;
      out[ob + t + 1] = c1;
      out[ob + t + 2] = c2;
    }
    if (r - t == 2) {
      int b0 = t * b;
      int b1 = b0 + b;
      double a0 = 0;
      double a1 = 0;
      double c0 = 0;
      double c1 = 0;
      for (int c = 0; c < b; c++) {
        double x = y[ya + c];
        double z = y[yb + c];
        double v0 = v[b0 + c];
        double v1 = v[b1 + c];
        a0 += v0 * x;
        a1 += v1 * x;
        c0 += v0 * z;
        c1 += v1 * z;
      }
      out[o + t] = a0;
      out[o + t + 1] = a1;
      out[ob + t] = c0;
      out[ob + t + 1] = c1;
    } else if (r - t == 1) {
      int b0 = t * b;
      double a0 = 0;
      double c0 = 0;
      for (int c = 0; c < b; c++) {
        double v0 = v[b0 + c];
        a0 += v0 * y[ya + c];
        c0 += v0 * y[yb + c];
      }
      out[o + t] = a0;
      out[ob + t] = c0;
    }
  }
}
