package org.eelsunmix.unmix;

import org.eelsunmix.linalg.VectorApi;

/**
 * The squared residual of a linear mixture, {@code ‖y − Σ_r a_r m_r‖² = Σ_c (y_c − Σ_r a_r M_rc)²}, of four
 * consecutive pixels side by side: the one kernel behind FCLS's and NMF's per-pixel residuals (the RMSE column of
 * {@code unmix}/{@code apply}, VCA's restart losses, NMF's objective). Per pixel the fit of each channel is
 * {@code ((0 + a_0 M_0c) + a_1 M_1c) + …} and the squares are added in channel order, so each value has the bits of a
 * one-pixel loop; one pixel's sum is a chain of B dependent additions, and four chains advance together. Where the
 * JVM has the Vector API, {@link #lanes} first takes the pixels a vector's worth at a time, one pixel per lane
 * ({@link MixtureResidualsVector}), with the same bits; {@link #all} routes a block through lanes, fours (R = 3 with
 * the abundances in registers) and single pixels ({@link #one}).
 */
final class MixtureResiduals {
  /** Residuals on the Vector API ({@link MixtureResidualsVector}: same bits) where this JVM has it. */
  static final boolean VECTOR = VectorApi.ENABLED && MixtureResidualsVector.usable();

  private MixtureResiduals() {}

  /** Doubles of work buffer {@link #lanes} needs (0 without the Vector API). */
  static int workLength(int r, int b) {
    return VECTOR ? MixtureResidualsVector.workLength(r, b) : 0;
  }

  /**
   * Doubles of a channel-major copy of {@code n} pixels' spectra ({@link #channelMajor}): their whole groups of a
   * vector's lanes (0 without the Vector API).
   */
  static int channelMajorLength(int n, int b) {
    return VECTOR ? n / MixtureResidualsVector.lanes() * MixtureResidualsVector.lanes() * b : 0;
  }

  /**
   * The whole lane groups of {@code n} consecutive spectra from {@code y[yOffset]}, widened and stored channel-major
   * group after group into {@code to} (at least {@link #channelMajorLength} doubles), for {@link #lanes(double[], int,
   * double[], int, double[], int, int, double[], int, double[])}: the copy the residuals of several endmember sets
   * over the same pixels can share (VCA's restart sets). Nothing without the Vector API.
   */
  static void channelMajor(float[] y, int yOffset, int n, int b, double[] to) {
    if (!VECTOR) {
      return;
    }
    final int lanes = MixtureResidualsVector.lanes();
    for (int k = 0; k + lanes <= n; k += lanes) {
      MixtureResidualsVector.channelMajor(y, yOffset + k * b, b, to, k * b);
    }
  }

  /**
   * {@link #lanes(float[], int, int, double[], int, double[], int, int, double[], int, double[])} from the
   * channel-major copy {@link #channelMajor} made of the same {@code n} pixels; the same bits.
   */
  static int lanes(double[] channelMajor, int n, double[] a, int aOffset, double[] m, int r, int b, double[] out,
      int at, double[] work) {
    if (!VECTOR) {
      return 0;
    }
    final int lanes = MixtureResidualsVector.lanes();
    int k = 0;
    for (; k + lanes <= n; k += lanes) {
      MixtureResidualsVector.residuals(channelMajor, k * b, a, aOffset + k * r, m, r, b, out, at + k, work, 0);
    }
    return k;
  }

  /**
   * Residuals of the first pixels of {@code n} consecutive ones (as {@link #four}) in whole groups of a vector's lanes,
   * on the Vector API; returns how many it did (0 without the API): the caller does the rest four and one at a time.
   *
   * @param work at least {@link #workLength} doubles, overwritten
   */
  static int lanes(float[] y, int yOffset, int n, double[] a, int aOffset, double[] m, int r, int b, double[] out,
      int at, double[] work) {
    if (!VECTOR) {
      return 0;
    }
    final int lanes = MixtureResidualsVector.lanes();
    int k = 0;
    for (; k + lanes <= n; k += lanes) {
      MixtureResidualsVector.residuals(y, yOffset + k * b, a, aOffset + k * r, m, r, b, out, at + k, work);
    }
    return k;
  }

  /**
   * Residuals of pixels k = 0 … 3: spectrum {@code y[yOffset + kB ..]}, abundances {@code a[aOffset + kR ..]},
   * endmembers {@code m} (R × B row-major); into {@code out[at + k]}.
   */
  static void four(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b, double[] out, int at) {
    if (r == 3) {
      fourOfThree(y, yOffset, a, aOffset, m, b, out, at);
      return;
    }
    final int o0 = yOffset;
    final int o1 = o0 + b;
    final int o2 = o1 + b;
    final int o3 = o2 + b;
    final int q0 = aOffset;
    final int q1 = q0 + r;
    final int q2 = q1 + r;
    final int q3 = q2 + r;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    for (int c = 0; c < b; c++) {
      double f0 = 0;
      double f1 = 0;
      double f2 = 0;
      double f3 = 0;
      for (int t = 0; t < r; t++) {
        double mt = m[t * b + c];
        f0 += a[q0 + t] * mt;
        f1 += a[q1 + t] * mt;
        f2 += a[q2 + t] * mt;
        f3 += a[q3 + t] * mt;
      }
      double e0 = y[o0 + c] - f0;
      double e1 = y[o1 + c] - f1;
      double e2 = y[o2 + c] - f2;
      double e3 = y[o3 + c] - f3;
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
    out[at + 3] = s3;
  }

  /**
   * Residuals of {@code n} consecutive pixels (spectra from {@code y[yOffset]}, abundances from {@code a[aOffset]}) into
   * {@code out[0 .. n)}: a vector's lanes at a time where the JVM has the Vector API (from {@code channelMajor}, the
   * caller's {@link #channelMajor} copy of the same spectra, when not null), then four, then one; every value the
   * one-pixel loop's bits ({@link #one}).
   *
   * @param work at least {@link #workLength} doubles, overwritten
   */
  static void all(float[] y, int yOffset, int n, double[] a, int aOffset, double[] m, int r, int b, double[] out,
      double[] work, double[] channelMajor) {
    int k = channelMajor != null
        ? lanes(channelMajor, n, a, aOffset, m, r, b, out, 0, work)
        : lanes(y, yOffset, n, a, aOffset, m, r, b, out, 0, work);
    for (; k + 4 <= n; k += 4) {
      four(y, yOffset + k * b, a, aOffset + k * r, m, r, b, out, k);
    }
    for (; k < n; k++) {
      out[k] = one(y, yOffset + k * b, a, aOffset + k * r, m, r, b);
    }
  }

  /** One pixel's {@code Σ_c (y_c − Σ_r a_r M_rc)²}: fit from 0 in endmember order, squares added in channel order. */
  static double one(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b) {
    double sum = 0;
    for (int c = 0; c < b; c++) {
      double fit = 0;
      for (int t = 0; t < r; t++) {
        fit += a[aOffset + t] * m[t * b + c];
      }
      double e = y[yOffset + c] - fit;
      sum += e * e;
    }
    return sum;
  }

  /**
   * {@link #four} for R = 3 with the abundances in registers (about 1.4 times faster). The fit
   * {@code (a0 M0c + a1 M1c) + a2 M2c} equals {@code ((0 + a0 M0c) + a1 M1c) + a2 M2c} except perhaps for the sign
   * of a zero, which squaring removes.
   */
  private static void fourOfThree(float[] y, int o0, double[] a, int q, double[] m, int nb, double[] out,
      int at) {
    final int o1 = o0 + nb;
    final int o2 = o1 + nb;
    final int o3 = o2 + nb;
    final double a00 = a[q];
    final double a01 = a[q + 1];
    final double a02 = a[q + 2];
    final double a10 = a[q + 3];
    final double a11 = a[q + 4];
    final double a12 = a[q + 5];
    final double a20 = a[q + 6];
    final double a21 = a[q + 7];
    final double a22 = a[q + 8];
    final double a30 = a[q + 9];
    final double a31 = a[q + 10];
    final double a32 = a[q + 11];
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    for (int c = 0; c < nb; c++) {
      double m0 = m[c];
      double m1 = m[nb + c];
      double m2 = m[2 * nb + c];
      double e0 = y[o0 + c] - (a00 * m0 + a01 * m1 + a02 * m2);
      double e1 = y[o1 + c] - (a10 * m0 + a11 * m1 + a12 * m2);
      double e2 = y[o2 + c] - (a20 * m0 + a21 * m1 + a22 * m2);
      double e3 = y[o3 + c] - (a30 * m0 + a31 * m1 + a32 * m2);
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
    out[at + 3] = s3;
  }
}
