package org.eelsunmix.unmix;

/**
 * A random stream fully determined by a 64-bit key: SplitMix64 (Steele, Lea &amp; Flood, OOPSLA 2014), the
 * generator behind {@link java.util.SplittableRandom}, written out so one object can be re-keyed per pixel without
 * allocating. Keys are built by {@link #key} from (seed, chain, sweep, pixel address), so a pixel's draws depend on
 * those alone and never on which partition, thread or order it is processed in.
 *
 * <p>Transcendental functions use {@link StrictMath}: {@code Math.log} and friends may differ by an ulp between
 * JIT intrinsics and CPUs, which on a cluster of mixed executors would break bit-identical chains. Mutable; one
 * per thread.
 */
public final class KeyedRandom {
  private static final long GAMMA = 0x9E3779B97F4A7C15L;
  private long state;

  public KeyedRandom(long key) {
    state = key;
  }

  /** Restarts the stream at {@code key}; returns this. */
  public KeyedRandom reset(long key) {
    state = key;
    return this;
  }

  /** SplitMix64's finaliser (variant 13 of Stafford's mixers): a bijection that spreads every input bit. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A key from two parts (order matters). */
  public static long key(long a, long b) {
    return mix(mix(a + GAMMA) ^ mix(b + 2 * GAMMA));
  }

  /** A key from four parts (order matters). */
  public static long key(long a, long b, long c, long d) {
    return key(key(a, b), key(c, d));
  }

  /** The key of a pixel's address (acquisition, y, x); {@link String#hashCode} is fixed by the language. */
  public static long pixel(String acquisition, int y, int x) {
    return key(acquisition == null ? 0 : acquisition.hashCode(), ((long) y << 32) | (x & 0xFFFFFFFFL));
  }

  public long nextLong() {
    state += GAMMA;
    return mix(state);
  }

  /** Uniform on [0, 1), 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform on (0, 1] (safe under a logarithm). */
  public double nextOpenDouble() {
    return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
  }

  /** Uniform integer on [0, bound). */
  public int nextInt(int bound) {
    return (int) ((nextLong() >>> 1) % bound);
  }

  /** Standard exponential. */
  public double nextExponential() {
    return -StrictMath.log(nextOpenDouble());
  }

  /** Standard normal by Box–Muller, one value per call (no cached second value, so no hidden state). */
  public double nextGaussian() {
    double r = StrictMath.sqrt(-2 * StrictMath.log(nextOpenDouble()));
    return r * StrictMath.cos(2 * Math.PI * nextDouble());
  }

  /**
   * Gamma(shape, 1) by Marsaglia &amp; Tsang (ACM TOMS 26(3), 2000); shapes below 1 through
   * {@code Gamma(shape + 1) · U^{1/shape}}.
   */
  public double nextGamma(double shape) {
    if (!(shape > 0) || Double.isInfinite(shape)) {
      throw new IllegalArgumentException("gamma shape must be positive and finite, got " + shape);
    }
    if (shape < 1) {
      return nextGamma(shape + 1) * StrictMath.pow(nextOpenDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / StrictMath.sqrt(9 * d);
    while (true) {
      double x = nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      if (StrictMath.log(nextOpenDouble()) < 0.5 * x * x + d - d * v + d * StrictMath.log(v)) {
        return d * v;
      }
    }
  }
}
