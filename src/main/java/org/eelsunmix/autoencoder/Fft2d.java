package org.eelsunmix.autoencoder;

/**
 * The 2D discrete Fourier transform of an {@code ny × nx} complex image, {@code X[ky, kx] = Σ x[y, x]·
 * e^{∓2πi(ky·y/ny + kx·x/nx)}}, as two passes of {@link BatchedFft} (along y for all columns at once, then along x
 * for all rows at once) with a transpose between them. The spectrum is held transposed, {@code [kx][ky]}, which
 * costs nothing to the element-wise products of the convolution theorem and saves a transpose each way: the image
 * is {@code re[y][x]} ({@code ny} rows), its spectrum {@code re[kx][ky]} ({@code nx} rows). The transforms may
 * exchange rows between their arguments and the work rows, so read results through the arrays of rows. The inverse is unscaled (divide by {@code ny·nx}).
 * Immutable plan; the caller's {@link Work} holds the buffers, one per thread.
 */
final class Fft2d {
  final int ny;
  final int nx;
  private final BatchedFft alongY;
  private final BatchedFft alongX;

  /** Work rows of one thread. */
  static final class Work {
    final double[][] yRe;
    final double[][] yIm;
    final double[][] xRe;
    final double[][] xIm;
    final double[] tmpRe;
    final double[] tmpIm;

    Work(int ny, int nx) {
      tmpRe = new double[Math.max(ny, nx)];
      tmpIm = new double[Math.max(ny, nx)];
      yRe = new double[ny][nx];
      yIm = new double[ny][nx];
      xRe = new double[nx][ny];
      xIm = new double[nx][ny];
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
    return new Work(ny, nx);
  }

  /** A zero image, {@code [ny][nx]}. */
  double[][] image() {
    return new double[ny][nx];
  }

  /** A zero spectrum, {@code [nx][ny]}. */
  double[][] spectrum() {
    return new double[nx][ny];
  }

  /** Image {@code re, im} ({@code [y][x]}, clobbered) to its spectrum {@code sRe, sIm} ({@code [kx][ky]}). */
  void forward(double[][] re, double[][] im, double[][] sRe, double[][] sIm, Work w) {
    alongY.transform(re, im, nx, false, w.yRe, w.yIm, w.tmpRe, w.tmpIm);
    transpose(re, im, sRe, sIm);
    alongX.transform(sRe, sIm, ny, false, w.xRe, w.xIm, w.tmpRe, w.tmpIm);
  }

  /** Spectrum {@code sRe, sIm} ({@code [kx][ky]}, clobbered) to its image {@code re, im} ({@code [y][x]}), unscaled. */
  void inverse(double[][] sRe, double[][] sIm, double[][] re, double[][] im, Work w) {
    alongX.transform(sRe, sIm, ny, true, w.xRe, w.xIm, w.tmpRe, w.tmpIm);
    transpose(sRe, sIm, re, im);
    alongY.transform(re, im, nx, true, w.yRe, w.yIm, w.tmpRe, w.tmpIm);
  }

  /** {@code out[c][r] = in[r][c]}. */
  private static void transpose(double[][] re, double[][] im, double[][] outRe, double[][] outIm) {
    for (int r = 0; r < re.length; r++) {
      double[] a = re[r];
      double[] b = im[r];
      for (int c = 0; c < a.length; c++) {
        outRe[c][r] = a[c];
        outIm[c][r] = b[c];
      }
    }
  }
}
