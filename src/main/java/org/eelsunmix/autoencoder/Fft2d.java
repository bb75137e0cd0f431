package org.eelsunmix.autoencoder;

/**
 * The 2D discrete Fourier transform of an {@code ny × nx} complex image, {@code X[ky, kx] = Σ x[y, x]·
 * e^{∓2πi(ky·y/ny + kx·x/nx)}}, as two passes of {@link BatchedFft} (along y for all columns at once, then along x
 * for all rows at once) with a transpose between them. The spectrum is held transposed, {@code [kx][ky]}, which
 * costs nothing to the element-wise products of the convolution theorem and saves a transpose each way: the image
 * is {@code re[y][x]} ({@code ny} rows), its spectrum {@code re[kx][ky]} ({@code nx} rows). The transforms may
 * exchange rows between their arguments and the work rows, so read results through the arrays of rows. The inverse
 * is unscaled (divide by {@code ny·nx}). Rows of the network's type ({@link SpectrumRows}). Immutable plan; the
 * caller's {@link Work} holds the buffers, one per thread.
 *
 * @param <A> one row: {@code double[]} or {@code float[]}
 */
final class Fft2d<A> {
  final int ny;
  final int nx;
  final SpectrumRows<A> ops;
  private final BatchedFft<A> alongY;
  private final BatchedFft<A> alongX;

  /** Work rows of one thread. */
  static final class Work<A> {
    final A[] yRe;
    final A[] yIm;
    final A[] xRe;
    final A[] xIm;
    final A tmpRe;
    final A tmpIm;
    /** Row references (no rows of their own): a spectrum's rows picked by column, for the column transforms. */
    final A[] pickRe;
    final A[] pickIm;

    Work(int ny, int nx, SpectrumRows<A> ops) {
      pickRe = ops.rows(nx, 0);
      pickIm = ops.rows(nx, 0);
      A[] tmp = ops.rows(2, Math.max(ny, nx));
      tmpRe = tmp[0];
      tmpIm = tmp[1];
      yRe = ops.rows(ny, nx);
      yIm = ops.rows(ny, nx);
      xRe = ops.rows(nx, ny);
      xIm = ops.rows(nx, ny);
    }
  }

  Fft2d(int ny, int nx, SpectrumRows<A> ops) {
    this.ny = ny;
    this.nx = nx;
    this.ops = ops;
    alongY = new BatchedFft<>(ny, ops);
    alongX = nx == ny ? alongY : new BatchedFft<>(nx, ops);
  }

  /** Values of an image or spectrum. */
  int size() {
    return ny * nx;
  }

  Work<A> work() {
    return new Work<>(ny, nx, ops);
  }

  /** A zero image, {@code [ny][nx]}. */
  A[] image() {
    return ops.rows(ny, nx);
  }

  /** A zero spectrum, {@code [nx][ny]}. */
  A[] spectrum() {
    return ops.rows(nx, ny);
  }

  /** Image {@code re, im} ({@code [y][x]}, clobbered) to its spectrum {@code sRe, sIm} ({@code [kx][ky]}). */
  void forward(A[] re, A[] im, A[] sRe, A[] sIm, Work<A> w) {
    forward(re, im, nx, sRe, sIm, w);
  }

  /**
   * As {@link #forward(Object[], Object[], Object[], Object[], Work)} for an image whose columns {@code x ≥ width}
   * are zero (a zero-padded patch): the transforms along y run on the first {@code width} columns only, and the
   * spectrum's rows {@code kx ≥ width} of that pass are zero (the values of the full transform; a zero column's
   * transform is zero). Saves a sixth of that pass and of the transpose for 40 of 48 columns.
   */
  void forward(A[] re, A[] im, int width, A[] sRe, A[] sIm, Work<A> w) {
    alongY.transform(re, im, width, false, w.yRe, w.yIm, w.tmpRe, w.tmpIm);
    ops.transpose(re, im, ny, width, sRe, sIm);
    for (int kx = width; kx < nx; kx++) {
      ops.zero(sRe[kx], 0);
      ops.zero(sIm[kx], 0);
    }
    alongX.transform(sRe, sIm, ny, false, w.xRe, w.xIm, w.tmpRe, w.tmpIm);
  }

  /**
   * As {@link #forward(Object[], Object[], Object[], Object[], Work)} for an image that is zero but in the
   * {@code count} columns {@code columns[j]}, given packed: {@code re[y][j]} holds column {@code columns[j]} (a
   * kernel's taps, which wrap around the image's edges). The transforms along y run on the {@code count} packed
   * columns only; the spectrum is the full transform's.
   */
  void forwardColumns(A[] re, A[] im, int count, int[] columns, A[] sRe, A[] sIm, Work<A> w) {
    alongY.transform(re, im, count, false, w.yRe, w.yIm, w.tmpRe, w.tmpIm);
    ops.zero(sRe);
    ops.zero(sIm);
    for (int j = 0; j < count; j++) {
      w.pickRe[j] = sRe[columns[j]];
      w.pickIm[j] = sIm[columns[j]];
    }
    ops.transpose(re, im, ny, count, w.pickRe, w.pickIm);
    alongX.transform(sRe, sIm, ny, false, w.xRe, w.xIm, w.tmpRe, w.tmpIm);
  }

  /**
   * As {@link #inverse(Object[], Object[], Object[], Object[], Work)}, computing only the image's {@code count}
   * columns {@code columns[j]}, packed: {@code re[y][j]} is column {@code columns[j]} (a kernel's gradient, read at
   * its taps). Other values of {@code re, im} are left unspecified.
   */
  void inverseColumns(A[] sRe, A[] sIm, A[] re, A[] im, int count, int[] columns, Work<A> w) {
    alongX.transform(sRe, sIm, ny, true, w.xRe, w.xIm, w.tmpRe, w.tmpIm);
    for (int j = 0; j < count; j++) {
      w.pickRe[j] = sRe[columns[j]];
      w.pickIm[j] = sIm[columns[j]];
    }
    ops.transpose(w.pickRe, w.pickIm, count, ny, re, im);
    alongY.transform(re, im, count, true, w.yRe, w.yIm, w.tmpRe, w.tmpIm);
  }

  /** Spectrum {@code sRe, sIm} ({@code [kx][ky]}, clobbered) to its image {@code re, im} ({@code [y][x]}), unscaled. */
  void inverse(A[] sRe, A[] sIm, A[] re, A[] im, Work<A> w) {
    inverse(sRe, sIm, re, im, nx, w);
  }

  /**
   * As {@link #inverse(Object[], Object[], Object[], Object[], Work)}, computing only the image's columns
   * {@code x < width} (a patch read back from its zero-padded transform): the transforms along y run on those
   * columns; the image's other columns are left unspecified.
   */
  void inverse(A[] sRe, A[] sIm, A[] re, A[] im, int width, Work<A> w) {
    alongX.transform(sRe, sIm, ny, true, w.xRe, w.xIm, w.tmpRe, w.tmpIm);
    ops.transpose(sRe, sIm, width, ny, re, im);
    alongY.transform(re, im, width, true, w.yRe, w.yIm, w.tmpRe, w.tmpIm);
  }
}
