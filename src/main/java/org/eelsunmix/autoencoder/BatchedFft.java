package org.eelsunmix.autoencoder;

/**
 * The discrete Fourier transform {@code X[k] = Σ_t x[t]·e^{∓2πi·kt/n}} of length {@code n = 2^a·3^b} applied to a
 * batch of sequences at once, by the Stockham autosort algorithm (Cochran et al., "What is the fast Fourier
 * transform?", Proc. IEEE 55(10), 1967; decimation in frequency, radices 4, 2 and 3): {@code log n} passes, no bit
 * reversal. The batch is the innermost index ({@code x[t·batch + b]}), so every butterfly is a loop over a
 * contiguous run of {@code s·batch} values sharing one twiddle factor, which the JIT vectorises. Twiddles are
 * precomputed; the inverse is unscaled (divide by {@code n}). Immutable plan, thread-safe; callers pass the work
 * arrays.
 */
final class BatchedFft {
  final int n;
  private final int[] radices;
  /** Per pass: {@code cos} and {@code sin} of {@code 2π·j·u/len}, index {@code j·p + u}. */
  private final double[][] cos;
  private final double[][] sin;
  private static final double HALF_SQRT3 = Math.sqrt(3) / 2;

  BatchedFft(int n) {
    if (!supported(n)) {
      throw new IllegalArgumentException("the batched FFT takes lengths 2^a·3^b, got " + n);
    }
    this.n = n;
    int[] r = new int[32];
    int count = 0;
    int rest = n;
    while (rest % 4 == 0) {
      r[count++] = 4;
      rest /= 4;
    }
    while (rest % 2 == 0) {
      r[count++] = 2;
      rest /= 2;
    }
    while (rest % 3 == 0) {
      r[count++] = 3;
      rest /= 3;
    }
    radices = java.util.Arrays.copyOf(r, count);
    cos = new double[count][];
    sin = new double[count][];
    int len = n;
    for (int s = 0; s < count; s++) {
      int p = radices[s];
      int m = len / p;
      cos[s] = new double[len];
      sin[s] = new double[len];
      for (int j = 0; j < m; j++) {
        for (int u = 0; u < p; u++) {
          double angle = 2 * Math.PI * ((long) j * u % len) / len;
          cos[s][j * p + u] = Math.cos(angle);
          sin[s][j * p + u] = Math.sin(angle);
        }
      }
      len = m;
    }
  }

  /** Whether {@code n ≥ 1} is of the form 2^a·3^b. */
  static boolean supported(int n) {
    if (n < 1) {
      return false;
    }
    while (n % 2 == 0) {
      n /= 2;
    }
    while (n % 3 == 0) {
      n /= 3;
    }
    return n == 1;
  }

  /** The smallest supported length ≥ {@code atLeast}. */
  static int size(int atLeast) {
    int n = Math.max(1, atLeast);
    while (!supported(n)) {
      n++;
    }
    return n;
  }

  /**
   * Transforms the {@code batch} sequences held in {@code re, im} ({@code [n][batch]}, from index 0) in place:
   * {@code e^{−2πi·kt/n}} forward, {@code e^{+…}} inverse (unscaled).
   *
   * @param workRe work array of at least {@code n·batch} values (overwritten), as {@code workIm}
   */
  void transform(double[] re, double[] im, int batch, boolean inverse, double[] workRe, double[] workIm) {
    double g = inverse ? 1 : -1;
    double[] xr = re;
    double[] xi = im;
    double[] yr = workRe;
    double[] yi = workIm;
    int len = n;
    int s = 1;
    for (int pass = 0; pass < radices.length; pass++) {
      int p = radices[pass];
      int m = len / p;
      int run = s * batch;
      double[] c = cos[pass];
      double[] sn = sin[pass];
      switch (p) {
        case 4 -> radix4(xr, xi, yr, yi, m, run, c, sn, g);
        case 2 -> radix2(xr, xi, yr, yi, m, run, c, sn, g);
        default -> radix3(xr, xi, yr, yi, m, run, c, sn, g);
      }
      double[] t = xr;
      xr = yr;
      yr = t;
      t = xi;
      xi = yi;
      yi = t;
      len = m;
      s *= p;
    }
    if (xr != re) {
      System.arraycopy(xr, 0, re, 0, n * batch);
      System.arraycopy(xi, 0, im, 0, n * batch);
    }
  }

  private static void radix2(double[] xr, double[] xi, double[] yr, double[] yi, int m, int run, double[] c,
      double[] sn, double g) {
    for (int j = 0; j < m; j++) {
      int i0 = j * run;
      int i1 = (j + m) * run;
      int o0 = 2 * j * run;
      int o1 = o0 + run;
      double c1 = c[2 * j + 1];
      double s1 = g * sn[2 * j + 1];
      for (int q = 0; q < run; q++) {
        double ar = xr[i0 + q];
        double ai = xi[i0 + q];
        double br = xr[i1 + q];
        double bi = xi[i1 + q];
        yr[o0 + q] = ar + br;
        yi[o0 + q] = ai + bi;
        double dr = ar - br;
        double di = ai - bi;
        yr[o1 + q] = dr * c1 - di * s1;
        yi[o1 + q] = dr * s1 + di * c1;
      }
    }
  }

  private static void radix4(double[] xr, double[] xi, double[] yr, double[] yi, int m, int run, double[] c,
      double[] sn, double g) {
    for (int j = 0; j < m; j++) {
      int i0 = j * run;
      int i1 = (j + m) * run;
      int i2 = (j + 2 * m) * run;
      int i3 = (j + 3 * m) * run;
      int o0 = 4 * j * run;
      int o1 = o0 + run;
      int o2 = o1 + run;
      int o3 = o2 + run;
      double c1 = c[4 * j + 1];
      double s1 = g * sn[4 * j + 1];
      double c2 = c[4 * j + 2];
      double s2 = g * sn[4 * j + 2];
      double c3 = c[4 * j + 3];
      double s3 = g * sn[4 * j + 3];
      for (int q = 0; q < run; q++) {
        double a0r = xr[i0 + q];
        double a0i = xi[i0 + q];
        double a1r = xr[i1 + q];
        double a1i = xi[i1 + q];
        double a2r = xr[i2 + q];
        double a2i = xi[i2 + q];
        double a3r = xr[i3 + q];
        double a3i = xi[i3 + q];
        double s0r = a0r + a2r;
        double s0i = a0i + a2i;
        double d0r = a0r - a2r;
        double d0i = a0i - a2i;
        double s1r = a1r + a3r;
        double s1i = a1i + a3i;
        double d1r = a1r - a3r;
        double d1i = a1i - a3i;
        yr[o0 + q] = s0r + s1r;
        yi[o0 + q] = s0i + s1i;
        // y1 = d0 + g·i·d1, y2 = s0 − s1, y3 = d0 − g·i·d1; then the twiddles.
        double y1r = d0r - g * d1i;
        double y1i = d0i + g * d1r;
        double y2r = s0r - s1r;
        double y2i = s0i - s1i;
        double y3r = d0r + g * d1i;
        double y3i = d0i - g * d1r;
        yr[o1 + q] = y1r * c1 - y1i * s1;
        yi[o1 + q] = y1r * s1 + y1i * c1;
        yr[o2 + q] = y2r * c2 - y2i * s2;
        yi[o2 + q] = y2r * s2 + y2i * c2;
        yr[o3 + q] = y3r * c3 - y3i * s3;
        yi[o3 + q] = y3r * s3 + y3i * c3;
      }
    }
  }

  private static void radix3(double[] xr, double[] xi, double[] yr, double[] yi, int m, int run, double[] c,
      double[] sn, double g) {
    double h = g * HALF_SQRT3;
    for (int j = 0; j < m; j++) {
      int i0 = j * run;
      int i1 = (j + m) * run;
      int i2 = (j + 2 * m) * run;
      int o0 = 3 * j * run;
      int o1 = o0 + run;
      int o2 = o1 + run;
      double c1 = c[3 * j + 1];
      double s1 = g * sn[3 * j + 1];
      double c2 = c[3 * j + 2];
      double s2 = g * sn[3 * j + 2];
      for (int q = 0; q < run; q++) {
        double a0r = xr[i0 + q];
        double a0i = xi[i0 + q];
        double a1r = xr[i1 + q];
        double a1i = xi[i1 + q];
        double a2r = xr[i2 + q];
        double a2i = xi[i2 + q];
        double tr = a1r + a2r;
        double ti = a1i + a2i;
        double mr = a0r - 0.5 * tr;
        double mi = a0i - 0.5 * ti;
        double dr = a1r - a2r;
        double di = a1i - a2i;
        yr[o0 + q] = a0r + tr;
        yi[o0 + q] = a0i + ti;
        // y1 = m + g·i·(√3/2)·d, y2 = m − g·i·(√3/2)·d; then the twiddles.
        double y1r = mr - h * di;
        double y1i = mi + h * dr;
        double y2r = mr + h * di;
        double y2i = mi - h * dr;
        yr[o1 + q] = y1r * c1 - y1i * s1;
        yi[o1 + q] = y1r * s1 + y1i * c1;
        yr[o2 + q] = y2r * c2 - y2i * s2;
        yi[o2 + q] = y2r * s2 + y2i * c2;
      }
    }
  }
}
