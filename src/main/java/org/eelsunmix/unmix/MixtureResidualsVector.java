package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MixtureResiduals}' squared residuals {@code Σ_c (y_c − Σ_r a_r M_rc)²} on the JDK's Vector API, one pixel
 * per lane: a vector's worth of consecutive pixels (8 with AVX-512, 4 with AVX2) is copied channel-major into a small
 * work buffer (spectra widened to double, abundances lane by lane), then each channel's fit and squared error are a
 * few lane-wise operations for all of them. Each lane performs its pixel's scalar operations in their order — fit
 * {@code ((0 + a_0 M_0c) + a_1 M_1c) + …}, {@code e = y_c − fit}, {@code s + e·e} in channel order — with lane-wise
 * {@code mul} and {@code add}, which round as Java's scalar {@code *} and {@code +} (never a fused multiply-add), so
 * every residual has the bits of the one-pixel loop ({@code MixtureResidualsTest}). Vectorising across pixels rather
 * than channels is what keeps those bits: a pixel's sum stays one chain in channel order.
 *
 * <p>Why: the scalar four-pixel loop ran at ≈ 8 cycles a pixel and channel, half of VCA's restart pass over the
 * pixels (JFR of {@code unmix --method vca-fcls} on 2048 × 2048 × 200). Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class MixtureResidualsVector {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private MixtureResidualsVector() {}

  /** Pixels per call: the lanes of this machine's preferred double vector. */
  static int lanes() {
    return SPECIES.length();
  }

  /** Whether this machine's vectors hold at least four doubles (else the API would emulate them, slowly). */
  static boolean usable() {
    return SPECIES.vectorBitSize() >= 256;
  }

  /** Doubles of work buffer {@link #residuals} needs. */
  static int workLength(int r, int b) {
    return lanes() * (b + r);
  }

  /**
   * Residuals of the {@link #lanes()} pixels k: spectrum {@code y[yOffset + kB ..]}, abundances {@code a[aOffset + kR
   * ..]}, endmembers {@code m} (R × B row-major); into {@code out[at + k]}.
   *
   * @param work at least {@link #workLength} doubles, overwritten
   */
  static void residuals(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b, double[] out,
      int at, double[] work) {
    channelMajor(y, yOffset, b, work, 0);
    residuals(work, 0, a, aOffset, m, r, b, out, at, work, b * lanes());
  }

  /**
   * The {@link #lanes()} spectra {@code y[yOffset + kB ..]} widened to double and stored channel-major from
   * {@code to[at]}: channel c of pixel k at {@code to[at + c·L + k]}, one vector per channel.
   */
  static void channelMajor(float[] y, int yOffset, int b, double[] to, int at) {
    final int n = SPECIES.length();
    for (int k = 0; k < n; k++) {
      final int o = yOffset + k * b;
      for (int c = 0; c < b; c++) {
        to[at + c * n + k] = y[o + c];
      }
    }
  }

  /**
   * As {@link #residuals(float[], int, double[], int, double[], int, int, double[], int, double[])} from spectra
   * already stored channel-major ({@link #channelMajor}) at {@code yt[ytAt]}, so that several endmember sets share one
   * copy; the abundances go lane by lane to {@code work[workAt .. workAt + R·L)}.
   */
  static void residuals(double[] yt, int ytAt, double[] a, int aOffset, double[] m, int r, int b, double[] out,
      int at, double[] work, int workAt) {
    final int n = SPECIES.length();
    for (int k = 0; k < n; k++) {
      final int q = aOffset + k * r;
      for (int t = 0; t < r; t++) {
        work[workAt + t * n + k] = a[q + t];
      }
    }
    if (r == 3) {
      three(yt, ytAt, b, work, workAt, m, out, at);
      return;
    }
    DoubleVector s = DoubleVector.zero(SPECIES);
    for (int c = 0; c < b; c++) {
      DoubleVector fit = DoubleVector.zero(SPECIES);
      for (int t = 0; t < r; t++) {
        fit = fit.add(DoubleVector.fromArray(SPECIES, work, workAt + t * n).mul(m[t * b + c]));
      }
      DoubleVector e = DoubleVector.fromArray(SPECIES, yt, ytAt + c * n).sub(fit);
      s = s.add(e.mul(e));
    }
    s.intoArray(out, at);
  }

  /**
   * R = 3 with the abundance vectors held in registers (2–3 times faster than the loop over endmembers, measured).
   * The fit {@code (a_0 M_0c + a_1 M_1c) + a_2 M_2c} equals {@code ((0 + a_0 M_0c) + a_1 M_1c) + a_2 M_2c} except
   * perhaps for the sign of a zero, which the square removes.
   */
  private static void three(double[] yt, int ytAt, int b, double[] work, int workAt, double[] m, double[] out,
      int at) {
    final int n = SPECIES.length();
    final DoubleVector a0 = DoubleVector.fromArray(SPECIES, work, workAt);
    final DoubleVector a1 = DoubleVector.fromArray(SPECIES, work, workAt + n);
    final DoubleVector a2 = DoubleVector.fromArray(SPECIES, work, workAt + 2 * n);
    DoubleVector s = DoubleVector.zero(SPECIES);
    for (int c = 0; c < b; c++) {
      DoubleVector fit = a0.mul(m[c]).add(a1.mul(m[b + c])).add(a2.mul(m[2 * b + c]));
      DoubleVector e = DoubleVector.fromArray(SPECIES, yt, ytAt + c * n).sub(fit);
      s = s.add(e.mul(e));
    }
    s.intoArray(out, at);
  }
}
