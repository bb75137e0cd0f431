package org.eelsunmix.autoencoder;

/**
 * The 2D discrete Fourier transform of an {@code ny × nx} complex image, {@code X[ky, kx] = Σ x[y, x]·
 * e^{∓2πi(ky·y/ny + kx·x/nx)}}, as two passes of {@link BatchedFft} (along y for all columns at once, then along x
 * for all rows at once) with a transpose between them. The spectrum is held transposed, {@code [kx][ky]}, which
 * costs nothing to the element-wise products of the convolution theorem and saves a transpose each way: the image
 * is {@code re[y·nx + x]}, its spectrum {@code re[kx·ny + ky]}. The inverse is unscaled (divide by {@code ny·nx}).
 * Immutable plan; the caller's {@link Work} holds the buffers, one per thread.
 */
final class Fft2d {
  final int ny;
  final int nx;
  private final BatchedFft alongY;
  private final BatchedFft alongX;

  /** Work arrays of one thread. */
  static final class Work {
    final double[] re;
    final double[] im;

    Work(int size) {
      re = new double[size];
      im = new double[size];
    }
  }

  Fft2d(int ny, int nx) {
    this.ny = ny;
    this.nx = nx;
    alongY = new BatchedFft(ny);
    alongX = nx == ny ? alongY : new BatchedFft(nx);
  }

  /** Values of an image or spectrum. */
  int size() {
    return ny * nx;
  }

  Work work() {
    return new Work(size());
  }

  /** Image {@code re, im} ({@code [y][x]}, clobbered) to its spectrum {@code sRe, sIm} ({@code [kx][ky]}). */
  void forward(double[] re, double[] im, double[] sRe, double[] sIm, Work w) {
    alongY.transform(re, im, nx, false, w.re, w.im);
    transpose(re, im, ny, nx, sRe, sIm);
    alongX.transform(sRe, sIm, ny, false, w.re, w.im);
  }

  /** Spectrum {@code sRe, sIm} ({@code [kx][ky]}, clobbered) to its image {@code re, im} ({@code [y][x]}), unscaled. */
  void inverse(double[] sRe, double[] sIm, double[] re, double[] im, Work w) {
    alongX.transform(sRe, sIm, ny, true, w.re, w.im);
    transpose(sRe, sIm, nx, ny, re, im);
    alongY.transform(re, im, nx, true, w.re, w.im);
  }

  /** {@code out[c][r] = in[r][c]} for an {@code rows × cols} array. */
  private static void transpose(double[] re, double[] im, int rows, int cols, double[] outRe, double[] outIm) {
    for (int r = 0; r < rows; r++) {
      int from = r * cols;
      for (int c = 0; c < cols; c++) {
        outRe[c * rows + r] = re[from + c];
        outIm[c * rows + r] = im[from + c];
      }
    }
  }
}
