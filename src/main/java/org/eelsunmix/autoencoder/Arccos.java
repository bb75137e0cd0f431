package org.eelsunmix.autoencoder;

/**
 * The arccosine by fdlibm's method ({@code e_acos.c}, Sun Microsystems 1993: the algorithm and rational approximation
 * {@link StrictMath#acos} is specified to reproduce), written in Java so it costs a few nanoseconds instead of JDK
 * 17's native call (≈ 250 ns a value, measured; the spectral angle loss takes one a pixel and training step):
 *
 * <pre>
 *   |x| &lt; 0.5:  acos x = π/2 − (x + x·R(x²))
 *   x  &lt; −0.5: acos x = π − 2·(s + s·R(z)),            z = (1 + x)/2, s = √z
 *   x  &gt;  0.5: acos x = 2·(s_hi + (s·R(z) + c)),        z = (1 − x)/2, s = √z, s_hi = s with its low 32 bits
 *                 cleared, c = (z − s_hi²)/(s + s_hi)
 * </pre>
 * with {@code R(t) = t·P(t)/Q(t)} fdlibm's rational approximation of {@code (asin √t − √t)/√t} and π/2 split into a
 * high and a low part. Same operations in the same order as fdlibm, so the same bits as {@link StrictMath#acos}
 * ({@code ArccosTest}, over random and edge arguments).
 */
final class Arccos {
  private static final double PI = Double.longBitsToDouble(0x400921FB54442D18L);
  private static final double PIO2_HI = Double.longBitsToDouble(0x3FF921FB54442D18L);
  private static final double PIO2_LO = Double.longBitsToDouble(0x3C91A62633145C07L);
  private static final double PS0 = Double.longBitsToDouble(0x3FC5555555555555L);
  private static final double PS1 = Double.longBitsToDouble(0xBFD4D61203EB6F7DL);
  private static final double PS2 = Double.longBitsToDouble(0x3FC9C1550E884455L);
  private static final double PS3 = Double.longBitsToDouble(0xBFA48228B5688F3BL);
  private static final double PS4 = Double.longBitsToDouble(0x3F49EFE07501B288L);
  private static final double PS5 = Double.longBitsToDouble(0x3F023DE10DFDF709L);
  private static final double QS1 = Double.longBitsToDouble(0xC0033A271C8A2D4BL);
  private static final double QS2 = Double.longBitsToDouble(0x40002AE59C598AC8L);
  private static final double QS3 = Double.longBitsToDouble(0xBFE6066C1B8D0159L);
  private static final double QS4 = Double.longBitsToDouble(0x3FB3B8C5B12E9282L);

  private Arccos() {}

  /** {@code acos x} in radians, bit for bit {@link StrictMath#acos}. */
  static double of(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int hx = (int) (bits >> 32);
    int ix = hx & 0x7fffffff;
    if (ix >= 0x3ff00000) {
      // |x| ≥ 1: exactly ±1, or outside the domain (NaN)
      if (((ix - 0x3ff00000) | (int) bits) == 0) {
        return hx > 0 ? 0.0 : PI + 2.0 * PIO2_LO;
      }
      return (x - x) / (x - x);
    }
    if (ix < 0x3fe00000) {
      if (ix <= 0x3c600000) {
        return PIO2_HI + PIO2_LO; // |x| < 2^-57
      }
      double z = x * x;
      return PIO2_HI - (x - (PIO2_LO - x * ratio(z)));
    }
    if (hx < 0) {
      double z = (1.0 + x) * 0.5;
      double s = Math.sqrt(z);
      double w = ratio(z) * s - PIO2_LO;
      return PI - 2.0 * (s + w);
    }
    double z = (1.0 - x) * 0.5;
    double s = Math.sqrt(z);
    double high = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xffffffff00000000L);
    double c = (z - high * high) / (s + high);
    double w = ratio(z) * s + c;
    return 2.0 * (high + w);
  }

  /** {@code R(z) = z·P(z) / Q(z)}, evaluated as fdlibm does. */
  private static double ratio(double z) {
    double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
    double q = 1.0 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
    return p / q;
  }
}
