package org.eelsunmix.unmix;

import org.eelsunmix.linalg.Dot;
import org.eelsunmix.linalg.VectorApi;

/**
 * The squared residual of a linear mixture, {@code ‖y − Σ_r a_r m_r‖² = Σ_c (y_c − Σ_r a_r M_rc)²}: the one kernel
 * behind FCLS's and NMF's per-pixel residuals (the RMSE column of {@code unmix}/{@code apply}, VCA's restart losses,
 * NMF's objective). Summed channel by channel, never from {@code yᵀy − 2aᵀMy + aᵀMMᵀa}, whose terms are each about
 * {@code ‖y‖²} and cancel to the residual, which is orders of magnitude smaller on counts.
 *
 * <h2>Order of the operations (the bits)</h2>
 * Per channel the fit is {@code ((0 + a_0 M_0c) + a_1 M_1c) + …} (endmembers in order) and {@code e = y_c − fit}.
 * The squares go to eight partial sums, {@code s_j = Σ e_c²} over the channels {@code c ≡ j (mod 8)} of the whole
 * groups of eight, the leftover {@code B mod 8} channels added to {@code s_0}, and the result is
 * {@code ((s_0 + s_1) + (s_2 + s_3)) + ((s_4 + s_5) + (s_6 + s_7))}: the order of
 * {@link org.eelsunmix.linalg.Dot}'s row products. Where the JVM has the Vector API the eight sums are the lanes of
 * one 512-bit vector or of two 256-bit ones, as wide as the machine's doubles ({@link MixtureResidualsVector},
 * {@link org.eelsunmix.linalg.DoubleLanes}); the scalar loop here performs the same operations in the same order, so
 * all give the same bits ({@code MixtureResidualsTest}). (Four sums in one 256-bit vector until stop 31: on AVX-512
 * machines that second double shape made C2 box these vectors after the 512-bit moments had run; the residuals moved
 * in their last bits.)
 *
 * <p>Why this order: vectorised along the channels, a pixel's residual is computed from its own spectrum, in place,
 * right after its abundances while the spectrum is in the first-level cache. The previous order (one chain in channel
 * order per pixel, several pixels side by side in a vector's lanes) needed a channel-major copy of each group of
 * pixels and a second pass over the block: 155 ns a pixel against 105–120 ns (B = 200, R = 3, one core), and in a
 * Spark FCLS transform a third of the tasks' CPU (JFR). The residual values moved in their last bits (relative
 * differences of order 1e-16), far inside the 1e-9 to which classical results are held.
 */
final class MixtureResiduals {
  /** Residuals on the Vector API ({@link MixtureResidualsVector}: same bits) where this JVM has it. */
  static final boolean VECTOR = VectorApi.ENABLED && org.eelsunmix.linalg.DoubleLanes.usable();

  private MixtureResiduals() {}

  /**
   * Residuals of {@code n} consecutive pixels (spectra from {@code y[yOffset]}, B apart; abundances from
   * {@code a[aOffset]}, R apart) into {@code out[0 .. n)}.
   */
  static void all(float[] y, int yOffset, int n, double[] a, int aOffset, double[] m, int r, int b, double[] out) {
    for (int k = 0; k < n; k++) {
      out[k] = one(y, yOffset + k * b, a, aOffset + k * r, m, r, b);
    }
  }

  /** One pixel's {@code Σ_c (y_c − Σ_r a_r M_rc)²} in the order of the class comment. */
  static double one(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b) {
    return VECTOR ? MixtureResidualsVector.one(y, yOffset, a, aOffset, m, r, b)
        : oneScalar(y, yOffset, a, aOffset, m, r, b);
  }

  /** The scalar twin of {@link MixtureResidualsVector#one}: the same operations in the same order. */
  static double oneScalar(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b) {
    double[] s = new double[8];
    int c = 0;
    for (; c + 7 < b; c += 8) {
      for (int j = 0; j < 8; j++) {
        double e = y[yOffset + c + j] - fit(a, aOffset, m, r, b, c + j);
        s[j] += e * e;
      }
    }
    for (; c < b; c++) {
      double e = y[yOffset + c] - fit(a, aOffset, m, r, b, c);
      s[0] += e * e;
    }
    return Dot.sumOfEight(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
  }

  /** Channel c's fit {@code ((0 + a_0 M_0c) + a_1 M_1c) + …}. */
  private static double fit(double[] a, int aOffset, double[] m, int r, int b, int c) {
    double f = 0;
    for (int t = 0; t < r; t++) {
      f += a[aOffset + t] * m[t * b + c];
    }
    return f;
  }
}
