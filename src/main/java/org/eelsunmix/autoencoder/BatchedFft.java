package org.eelsunmix.autoencoder;

/**
 * The discrete Fourier transform {@code X[k] = Σ_t x[t]·e^{∓2πi·kt/n}} of length {@code n = 2^a·3^b} applied to a
 * batch of sequences at once, by the Stockham autosort algorithm (Cochran et al., "What is the fast Fourier
 * transform?", Proc. IEEE 55(10), 1967; decimation in frequency, radices 4, 2 and 3): {@code log n} passes, no bit
 * reversal. Sequence {@code b} is column {@code b} of {@code n} rows ({@code x[t][b]}), so every butterfly is a loop
 * over whole rows sharing one twiddle factor ({@link SpectrumRows#butterfly4}, {@link SpectrumRows#butterfly3}): for
 * double rows split into sums, differences and rotations, loops simple enough for the JIT to vectorise (JDK 17's does
 * not vectorise a whole complex butterfly, nor a loop indexing at an offset); for float rows one pass on the Vector
 * API, each input loaded and each output stored once (a 48×48 transform 14.5 → 9.3 µs with the blocked transpose, same
 * bits). The rows are of the network's type ({@link SpectrumRows}: double, or float on the Vector API). Twiddles are precomputed in double (rounded to float per pass for float rows); the inverse is unscaled (divide
 * by {@code n}). Immutable plan, thread-safe; callers pass the work rows.
 *
 * @param <A> one row: {@code double[]} or {@code float[]}
 */
final class BatchedFft<A> {
  final int n;
  private final SpectrumRows<A> ops;
  private final int[] radices;
  /** Per pass: {@code cos} and {@code sin} of {@code 2π·j·u/len}, index {@code j·p + u}. */
  private final double[][] cos;
  private final double[][] sin;
  private static final double HALF_SQRT3 = Math.sqrt(3) / 2;

  BatchedFft(int n, SpectrumRows<A> ops) {
    this.ops = ops;
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
   * Transforms the sequences held in the columns of {@code re, im} ({@code n} rows of {@code batch} values) in
   * place: {@code e^{−2πi·kt/n}} forward, {@code e^{+…}} inverse (unscaled). The rows may be exchanged with the work
   * rows (no copy): read the result through {@code re, im} afterwards, never through row references kept from before.
   *
   * @param workRe {@code n} work rows of at least {@code batch} values (overwritten, rows exchanged), as {@code workIm}
   * @param tmpRe a work row of at least {@code batch} values, as {@code tmpIm}
   */
  void transform(A[] re, A[] im, int batch, boolean inverse, A[] workRe, A[] workIm, A tmpRe, A tmpIm) {
    double g = inverse ? 1 : -1;
    A[] xr = re;
    A[] xi = im;
    A[] yr = workRe;
    A[] yi = workIm;
    int len = n;
    int s = 1;
    for (int pass = 0; pass < radices.length; pass++) {
      int p = radices[pass];
      int m = len / p;
      double[] c = cos[pass];
      double[] sn = sin[pass];
      switch (p) {
        case 4 -> radix4(xr, xi, yr, yi, m, s, batch, c, sn, g, tmpRe, tmpIm);
        case 2 -> radix2(xr, xi, yr, yi, m, s, batch, c, sn, g);
        default -> radix3(xr, xi, yr, yi, m, s, batch, c, sn, g, tmpRe, tmpIm);
      }
      A[] t = xr;
      xr = yr;
      yr = t;
      t = xi;
      xi = yi;
      yi = t;
      len = m;
      s *= p;
    }
    if (xr != re) {
      // The result is in the work rows: exchange the rows.
      for (int t = 0; t < n; t++) {
        A a = re[t];
        re[t] = workRe[t];
        workRe[t] = a;
        a = im[t];
        im[t] = workIm[t];
        workIm[t] = a;
      }
    }
  }

  private void radix2(A[] xr, A[] xi, A[] yr, A[] yi, int m, int s, int batch, double[] c, double[] sn, double g) {
    for (int j = 0; j < m; j++) {
      double c1 = c[2 * j + 1];
      double s1 = g * sn[2 * j + 1];
      for (int r = 0; r < s; r++) {
        int o0 = 2 * j * s + r;
        int o1 = o0 + s;
        ops.sumDifference(xr[j * s + r], xr[(j + m) * s + r], 1, yr[o0], yr[o1], batch);
        ops.sumDifference(xi[j * s + r], xi[(j + m) * s + r], 1, yi[o0], yi[o1], batch);
        if (j > 0) {
          ops.rotate(yr[o1], yi[o1], c1, s1, batch);
        }
      }
    }
  }

  private void radix4(A[] xr, A[] xi, A[] yr, A[] yi, int m, int s, int batch, double[] c, double[] sn, double g,
      A tr, A ti) {
    for (int j = 0; j < m; j++) {
      double c1 = c[4 * j + 1];
      double s1 = g * sn[4 * j + 1];
      double c2 = c[4 * j + 2];
      double s2 = g * sn[4 * j + 2];
      double c3 = c[4 * j + 3];
      double s3 = g * sn[4 * j + 3];
      for (int r = 0; r < s; r++) {
        ops.butterfly4(xr, xi, j * s + r, m * s, yr, yi, 4 * j * s + r, s, g, j > 0, c1, s1, c2, s2, c3, s3, batch,
            tr, ti);
      }
    }
  }

  private void radix3(A[] xr, A[] xi, A[] yr, A[] yi, int m, int s, int batch, double[] c, double[] sn, double g,
      A tr, A ti) {
    double h = g * HALF_SQRT3;
    for (int j = 0; j < m; j++) {
      double c1 = c[3 * j + 1];
      double s1 = g * sn[3 * j + 1];
      double c2 = c[3 * j + 2];
      double s2 = g * sn[3 * j + 2];
      for (int r = 0; r < s; r++) {
        ops.butterfly3(xr, xi, j * s + r, m * s, yr, yi, 3 * j * s + r, s, h, j > 0, c1, s1, c2, s2, batch, tr, ti);
      }
    }
  }
}
