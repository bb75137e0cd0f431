package org.eelsunmix.autoencoder;

/**
 * The row loops of {@link BatchedFft}, {@link Fft2d} and {@link FftConvolution} on one element type: {@code A} is
 * {@code double[]} ({@link #DOUBLE}) or {@code float[]} ({@link #FLOAT}), one row of an image or spectrum held as an
 * array of rows. The decoder computes in the network's type: a float network's FFTs and spectral products run on
 * float rows, half the bytes of the double rows they ran on before and twice the values per vector (the spectral
 * products stream the kernel and input spectra from cache once per patch and pair, so they are bound by bytes; the
 * butterflies by vector width); a double network (the gradient checks) keeps double arithmetic throughout.
 *
 * <p>The float loops run on the Vector API where this JVM has it ({@link SpectrumRowsVector}), the same lane-wise
 * multiplications and additions as the scalar loops here (never fused), so the same bits either way. Stateless,
 * thread-safe.
 *
 * @param <A> one row: {@code double[]} or {@code float[]}
 */
abstract class SpectrumRows<A> {
  /** Double rows: the loops the JIT vectorises by itself (rows indexed from zero). */
  static final SpectrumRows<double[]> DOUBLE = new Doubles();
  /** Float rows, on the Vector API where available. */
  static final SpectrumRows<float[]> FLOAT = new Floats();

  /** The rows of the network type {@code float} or {@code double}. */
  static SpectrumRows<?> of(org.nd4j.linalg.api.buffer.DataType type) {
    return switch (type) {
      case FLOAT -> FLOAT;
      case DOUBLE -> DOUBLE;
      default -> throw new IllegalArgumentException("the FFT convolution takes FLOAT or DOUBLE, got " + type);
    };
  }

  /** {@code count} zero rows of {@code length} values. */
  abstract A[] rows(int count, int length);

  /** {@code count} arrays of {@code rows × length} zeros. */
  final A[][] planes(int count, int rows, int length) {
    @SuppressWarnings("unchecked")
    A[][] p = (A[][]) new Object[count][];
    for (int i = 0; i < count; i++) {
      p[i] = rows(rows, length);
    }
    return p;
  }

  abstract void zero(A[] rows);

  /** {@code to ← from}, row by row. */
  abstract void copy(A[] from, A[] to);

  /** {@code to += from}, row by row. */
  abstract void add(A[] from, A[] to);

  abstract double get(A row, int i);

  abstract void set(A row, int i, double v);

  /** {@code plus = a + k·b, minus = a − k·b} over {@code [0, n)} (either output may be {@code a} or {@code b}). */
  abstract void sumDifference(A a, A b, double k, A plus, A minus, int n);

  /** {@code plus = a + k·b, minus = a − l·k·b} over {@code [0, n)}. */
  abstract void sumDifference(A a, A b, double k, A plus, A minus, double l, int n);

  /** {@code (re, im) ← (re, im)·(c + i·s)} over {@code [0, n)}, in place. */
  abstract void rotate(A re, A im, double c, double s, int n);

  /** {@code out[c][r] = in[r][c]} for real and imaginary parts. */
  abstract void transpose(A[] re, A[] im, A[] outRe, A[] outIm);

  /** {@code c += conj(u)·x} element-wise over every row. */
  abstract void conjugateProductAdd(A[] ur, A[] ui, A[] xr, A[] xi, A[] cr, A[] ci);

  /**
   * {@code q += u·ĉ} and {@code g += conj(ĉ)·x̂} element-wise over every row (∂x and ∂W of the decoder), as two loops
   * per row: one loop of both is not vectorised by the JIT.
   */
  abstract void backwardProducts(A[] cr, A[] ci, A[] ur, A[] ui, A[] xr, A[] xi, A[] qr, A[] qi, A[] gr, A[] gi);

  /**
   * Reads the plane {@code plane[0, h·w)} ({@code float[]} or {@code double[]} of this type, row-major) into the
   * first {@code h} rows' first {@code w} values of {@code re}, every other value zero.
   */
  final void readPlane(Object plane, int h, int w, A[] re) {
    for (int y = 0; y < re.length; y++) {
      if (y < h) {
        System.arraycopy(plane, y * w, re[y], 0, w);
        zero(re[y], w);
      } else {
        zero(re[y], 0);
      }
    }
  }

  /** Zeroes {@code row[from, length)}. */
  abstract void zero(A row, int from);

  /** Writes {@code scale·src} of the first {@code h} rows' first {@code w} values into {@code plane} (row-major). */
  abstract void writePlane(A[] src, double scale, int h, int w, Object plane);

  private static final class Doubles extends SpectrumRows<double[]> {
    @Override
    double[][] rows(int count, int length) {
      return new double[count][length];
    }

    @Override
    void zero(double[][] rows) {
      for (double[] row : rows) {
        java.util.Arrays.fill(row, 0.0);
      }
    }

    @Override
    void zero(double[] row, int from) {
      java.util.Arrays.fill(row, from, row.length, 0.0);
    }

    @Override
    void copy(double[][] from, double[][] to) {
      for (int row = 0; row < to.length; row++) {
        System.arraycopy(from[row], 0, to[row], 0, to[row].length);
      }
    }

    @Override
    void add(double[][] from, double[][] to) {
      for (int row = 0; row < to.length; row++) {
        double[] a = from[row];
        double[] b = to[row];
        for (int f = 0; f < b.length; f++) {
          b[f] += a[f];
        }
      }
    }

    @Override
    double get(double[] row, int i) {
      return row[i];
    }

    @Override
    void set(double[] row, int i, double v) {
      row[i] = v;
    }

    @Override
    void sumDifference(double[] a, double[] b, double k, double[] plus, double[] minus, int n) {
      for (int q = 0; q < n; q++) {
        double x = a[q];
        double y = k * b[q];
        plus[q] = x + y;
        minus[q] = x - y;
      }
    }

    @Override
    void sumDifference(double[] a, double[] b, double k, double[] plus, double[] minus, double l, int n) {
      for (int q = 0; q < n; q++) {
        double x = a[q];
        double y = k * b[q];
        plus[q] = x + y;
        minus[q] = x - l * y;
      }
    }

    @Override
    void rotate(double[] re, double[] im, double c, double s, int n) {
      for (int q = 0; q < n; q++) {
        double x = re[q];
        double y = im[q];
        re[q] = x * c - y * s;
        im[q] = x * s + y * c;
      }
    }

    @Override
    void transpose(double[][] re, double[][] im, double[][] outRe, double[][] outIm) {
      for (int r = 0; r < re.length; r++) {
        double[] a = re[r];
        double[] b = im[r];
        for (int c = 0; c < a.length; c++) {
          outRe[c][r] = a[c];
          outIm[c][r] = b[c];
        }
      }
    }

    @Override
    void conjugateProductAdd(double[][] ur, double[][] ui, double[][] xr, double[][] xi, double[][] cr,
        double[][] ci) {
      for (int row = 0; row < cr.length; row++) {
        conjugateProductAdd(ur[row], ui[row], xr[row], xi[row], cr[row], ci[row]);
      }
    }

    private static void conjugateProductAdd(double[] ur, double[] ui, double[] xr, double[] xi, double[] cr,
        double[] ci) {
      for (int f = 0; f < cr.length; f++) {
        cr[f] += ur[f] * xr[f] + ui[f] * xi[f];
        ci[f] += ur[f] * xi[f] - ui[f] * xr[f];
      }
    }

    @Override
    void backwardProducts(double[][] cr, double[][] ci, double[][] ur, double[][] ui, double[][] xr, double[][] xi,
        double[][] qr, double[][] qi, double[][] gr, double[][] gi) {
      for (int row = 0; row < cr.length; row++) {
        productAdd(ur[row], ui[row], cr[row], ci[row], qr[row], qi[row]);
        conjugateProductAdd(cr[row], ci[row], xr[row], xi[row], gr[row], gi[row]);
      }
    }

    private static void productAdd(double[] ur, double[] ui, double[] xr, double[] xi, double[] cr, double[] ci) {
      for (int f = 0; f < cr.length; f++) {
        cr[f] += ur[f] * xr[f] - ui[f] * xi[f];
        ci[f] += ur[f] * xi[f] + ui[f] * xr[f];
      }
    }

    @Override
    void writePlane(double[][] src, double scale, int h, int w, Object plane) {
      double[] d = (double[]) plane;
      for (int y = 0; y < h; y++) {
        double[] row = src[y];
        for (int x = 0; x < w; x++) {
          d[y * w + x] = scale * row[x];
        }
      }
    }
  }

  /**
   * Float rows. Each loop hands the whole vectors to {@link SpectrumRowsVector} where this JVM has the Vector API and
   * does the rest here, the same operations in the same order per value.
   */
  private static final class Floats extends SpectrumRows<float[]> {
    private static final boolean VECTOR =
        org.eelsunmix.linalg.VectorApi.ENABLED && SpectrumRowsVector.usable();

    @Override
    float[][] rows(int count, int length) {
      return new float[count][length];
    }

    @Override
    void zero(float[][] rows) {
      for (float[] row : rows) {
        java.util.Arrays.fill(row, 0f);
      }
    }

    @Override
    void zero(float[] row, int from) {
      java.util.Arrays.fill(row, from, row.length, 0f);
    }

    @Override
    void copy(float[][] from, float[][] to) {
      for (int row = 0; row < to.length; row++) {
        System.arraycopy(from[row], 0, to[row], 0, to[row].length);
      }
    }

    @Override
    void add(float[][] from, float[][] to) {
      for (int row = 0; row < to.length; row++) {
        float[] a = from[row];
        float[] b = to[row];
        int f = VECTOR ? SpectrumRowsVector.add(a, b, b.length) : 0;
        for (; f < b.length; f++) {
          b[f] += a[f];
        }
      }
    }

    @Override
    double get(float[] row, int i) {
      return row[i];
    }

    @Override
    void set(float[] row, int i, double v) {
      row[i] = (float) v;
    }

    @Override
    void sumDifference(float[] a, float[] b, double k, float[] plus, float[] minus, int n) {
      float kf = (float) k;
      int q = VECTOR ? SpectrumRowsVector.sumDifference(a, b, kf, plus, minus, n) : 0;
      for (; q < n; q++) {
        float x = a[q];
        float y = kf * b[q];
        plus[q] = x + y;
        minus[q] = x - y;
      }
    }

    @Override
    void sumDifference(float[] a, float[] b, double k, float[] plus, float[] minus, double l, int n) {
      float kf = (float) k;
      float lf = (float) l;
      int q = VECTOR ? SpectrumRowsVector.sumDifference(a, b, kf, plus, minus, lf, n) : 0;
      for (; q < n; q++) {
        float x = a[q];
        float y = kf * b[q];
        plus[q] = x + y;
        minus[q] = x - lf * y;
      }
    }

    @Override
    void rotate(float[] re, float[] im, double c, double s, int n) {
      float cf = (float) c;
      float sf = (float) s;
      int q = VECTOR ? SpectrumRowsVector.rotate(re, im, cf, sf, n) : 0;
      for (; q < n; q++) {
        float x = re[q];
        float y = im[q];
        re[q] = x * cf - y * sf;
        im[q] = x * sf + y * cf;
      }
    }

    @Override
    void transpose(float[][] re, float[][] im, float[][] outRe, float[][] outIm) {
      for (int r = 0; r < re.length; r++) {
        float[] a = re[r];
        float[] b = im[r];
        for (int c = 0; c < a.length; c++) {
          outRe[c][r] = a[c];
          outIm[c][r] = b[c];
        }
      }
    }

    @Override
    void conjugateProductAdd(float[][] ur, float[][] ui, float[][] xr, float[][] xi, float[][] cr, float[][] ci) {
      for (int row = 0; row < cr.length; row++) {
        conjugateProductAdd(ur[row], ui[row], xr[row], xi[row], cr[row], ci[row]);
      }
    }

    private static void conjugateProductAdd(float[] ur, float[] ui, float[] xr, float[] xi, float[] cr, float[] ci) {
      int f = VECTOR ? SpectrumRowsVector.conjugateProductAdd(ur, ui, xr, xi, cr, ci, cr.length) : 0;
      for (; f < cr.length; f++) {
        cr[f] += ur[f] * xr[f] + ui[f] * xi[f];
        ci[f] += ur[f] * xi[f] - ui[f] * xr[f];
      }
    }

    @Override
    void backwardProducts(float[][] cr, float[][] ci, float[][] ur, float[][] ui, float[][] xr, float[][] xi,
        float[][] qr, float[][] qi, float[][] gr, float[][] gi) {
      for (int row = 0; row < cr.length; row++) {
        productAdd(ur[row], ui[row], cr[row], ci[row], qr[row], qi[row]);
        conjugateProductAdd(cr[row], ci[row], xr[row], xi[row], gr[row], gi[row]);
      }
    }

    private static void productAdd(float[] ur, float[] ui, float[] xr, float[] xi, float[] cr, float[] ci) {
      int f = VECTOR ? SpectrumRowsVector.productAdd(ur, ui, xr, xi, cr, ci, cr.length) : 0;
      for (; f < cr.length; f++) {
        cr[f] += ur[f] * xr[f] - ui[f] * xi[f];
        ci[f] += ur[f] * xi[f] + ui[f] * xr[f];
      }
    }

    @Override
    void writePlane(float[][] src, double scale, int h, int w, Object plane) {
      float[] d = (float[]) plane;
      float s = (float) scale;
      for (int y = 0; y < h; y++) {
        float[] row = src[y];
        int at = y * w;
        int x = VECTOR ? SpectrumRowsVector.scale(row, s, d, at, w) : 0;
        for (; x < w; x++) {
          d[at + x] = s * row[x];
        }
      }
    }
  }
}
