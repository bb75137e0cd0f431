package org.eelsunmix.autoencoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The arithmetic of CNNAEU's convolutions (Palsson, Ulfarsson &amp; Sveinsson, IEEE TGRS 59(1), 2021): a 2D
 * convolution (cross-correlation, as DL4J and Keras define it) with a square odd {@code k×k} kernel, stride 1 and
 * zero "same" padding of {@code k/2} on every side, on NCHW batches:
 *
 * <pre>z[n, o, y, x] = b[o] + Σ_c Σ_{i,j} W[o, c, i, j] · x[n, c, y + i − k/2, x + j − k/2]   (x = 0 outside)</pre>
 *
 * <p>and its backward pass: {@code ∂W[o,c,i,j] = Σ_{n,y,x} ∂z[n,o,y,x] · x[n,c,y+i−k/2,x+j−k/2]},
 * {@code ∂b[o] = Σ ∂z[n,o,·,·]}, {@code ∂x} the transposed convolution of {@code ∂z}. Per patch it is im2col and one
 * GEMM (Chellapilla, Puri &amp; Simard, "High performance convolutional neural networks for document processing",
 * 2006): {@code cols = im2col(x) (C·k² × H·W)}, {@code z = W₂ cols} with {@code W₂ = W as O × C·k²};
 * {@code ∂W₂ = ∂z colsᵀ}, {@code ∂cols = W₂ᵀ ∂z}, {@code ∂x = col2im(∂cols)}. im2col is bulk copies of runs in
 * Java, col2im ND4J's op and the GEMMs ND4J's BLAS, reading and writing the batch's arrays in place, on buffers
 * allocated once per patch shape (outside any workspace), so a training step allocates no large array. The column
 * buffer is {@code C·k² × h·w} per worker: 141 MB for a 66×66 inference tile of 903 channels (the 3×3 encoder).
 *
 * <p>Patches are dealt to {@link PatchWorkers}; the per-patch weight and bias gradients are kept apart and summed
 * in patch order, so the results are bit-identical whatever the number of threads. Used by CNNAEU's 1×1 encoder
 * convolution (filters → R, bias) through {@link FusedConvolutionLayer}; its 3×3 (B → filters) goes by
 * {@link ShiftedConvolution} (this class when that is turned off), its 13×13 linear decoder (R → B, no bias) by
 * {@link FftConvolution}. Not thread-safe: one instance per layer.
 */
final class SameConvolution implements ConvolutionKernel {
  private final int in;
  private final int out;
  private final int kernel;
  private final int pad;
  private final int columns;
  private DataType type;
  private int height = -1;
  private int width = -1;
  private int capacity;
  private Worker[] workers = new Worker[0];
  /** Per-patch weight gradients, {@code patches × (O·C·k²)}. */
  private INDArray weightSlots;
  /** Per-patch bias gradients, {@code patches × O}. */
  private INDArray biasSlots;

  /** Buffers of one worker thread. */
  private static final class Worker {
    final INDArray cols;
    final INDArray cols2d;
    /** Writes runs into {@link #cols}. */
    final Staging.Runs colRuns;
    /** ∂L/∂cols, made on first need (the first layer of a network needs no ∂x). */
    INDArray dCols;
    INDArray dCols2d;
    final INDArray dBias;
    /** Java copy of one patch ({@code float[]} or {@code double[]}, as the data type). */
    final Object image;

    Worker(DataType type, int in, int out, int kernel, int height, int width) {
      int plane = height * width;
      int columns = in * kernel * kernel;
      image = Staging.array(type, in * plane);
      cols = Nd4j.createUninitialized(type, new long[] {1, in, kernel, kernel, height, width}, 'c');
      cols2d = cols.reshape('c', new long[] {columns, plane});
      colRuns = Staging.runs(cols, width);
      dBias = Nd4j.createUninitialized(type, new long[] {out}, 'c');
    }

    void needDCols() {
      if (dCols == null) {
        try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
          dCols = Nd4j.createUninitialized(cols.dataType(), cols.shape(), 'c');
          dCols2d = dCols.reshape('c', cols2d.shape());
        }
      }
    }
  }

  /**
   * @param in input channels C
   * @param out output channels O
   * @param kernel side k of the square kernel (odd)
   */
  SameConvolution(int in, int out, int kernel) {
    ConvolutionKernel.requireShape("a same convolution", in, out, kernel);
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.pad = kernel / 2;
    this.columns = in * kernel * kernel;
  }

  /** Makes the buffers fit {@code patches} patches of {@code h×w} of {@code t} for {@code needed} workers. */
  private void fit(DataType t, int patches, int needed, int h, int w) {
    if (t != type || h != height || w != width) {
      workers = new Worker[0];
      capacity = 0;
      type = t;
      height = h;
      width = w;
    }
    try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
      if (workers.length < needed) {
        Worker[] grown = java.util.Arrays.copyOf(workers, needed);
        for (int i = workers.length; i < needed; i++) {
          grown[i] = new Worker(t, in, out, kernel, h, w);
        }
        workers = grown;
      }
      if (patches > capacity) {
        weightSlots = Nd4j.createUninitialized(t, new long[] {patches, (long) out * columns}, 'c');
        biasSlots = Nd4j.createUninitialized(t, new long[] {patches, out}, 'c');
        capacity = patches;
      }
    }
  }

  private void check(INDArray a, String what, long channels) {
    if (a.rank() != 4 || a.size(1) != channels || !NdBuffers.dense(a)) {
      throw new IllegalArgumentException(what + " must be a dense C-order [n, " + channels + ", h, w] array, got shape "
          + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()));
    }
  }

  private static INDArray patch(INDArray a, int i) {
    INDArrayIndex all = NDArrayIndex.all();
    return a.get(NDArrayIndex.interval(i, i + 1), all, all, all);
  }

  /**
   * The columns of patch {@code i} into {@code wk.cols}: row {@code (c·k + ki)·k + kj} holds channel {@code c}
   * shifted by {@code (ki − k/2, kj − k/2)}, zeros beyond the patch (ND4J's im2col layout, written here as bulk
   * copies of whole runs straight into the buffer: ND4J's op was a third of a training step).
   */
  private void im2col(INDArray x, int i, Worker wk) {
    int h = height;
    int w = width;
    int plane = h * w;
    Staging.read(x, (long) i * in * plane, wk.image, in * plane);
    Staging.Runs cols = wk.colRuns;
    for (int c = 0; c < in; c++) {
      for (int ki = 0; ki < kernel; ki++) {
        int dy = ki - pad;
        for (int kj = 0; kj < kernel; kj++) {
          int dx = kj - pad;
          int row = ((c * kernel + ki) * kernel + kj) * plane;
          // Output columns x0 ≤ x < x1 read input x + dx inside the patch.
          int x0 = Math.max(0, -dx);
          int x1 = Math.min(w, w - dx);
          for (int y = 0; y < h; y++) {
            int at = row + y * w;
            int yy = y + dy;
            if (yy < 0 || yy >= h || x1 <= x0) {
              cols.zero(at, w);
              continue;
            }
            if (x0 > 0) {
              cols.zero(at, x0);
            }
            cols.copy(wk.image, c * plane + yy * w + x0 + dx, at + x0, x1 - x0);
            if (x1 < w) {
              cols.zero(at + x1, w - x1);
            }
          }
        }
      }
    }
  }

  /**
   * {@code z = conv(x, W) + b}.
   *
   * @param x input {@code [n, C, h, w]}, dense C order
   * @param weights {@code [O, C, k, k]}, dense C order (DL4J's convolution weights)
   * @param bias {@code O} biases (any rank-1 or {@code [1, O]} array) or null
   * @param z output {@code [n, O, h, w]}, dense C order (overwritten)
   */
  @Override
  public void forward(INDArray x, INDArray weights, INDArray bias, INDArray z) {
    check(x, "the input", in);
    check(z, "the output", out);
    int n = (int) x.size(0);
    int h = (int) x.size(2);
    int w = (int) x.size(3);
    int threads = PatchWorkers.workers(n);
    fit(x.dataType(), n, threads, h, w);
    INDArray w2d = weights.reshape('c', new long[] {out, columns});
    INDArray b = bias == null ? null : bias.reshape('c', new long[] {out, 1});
    PatchWorkers.run(threads, t -> {
      Worker wk = workers[t];
      for (int i = t; i < n; i += threads) {
        im2col(x, i, wk);
        // Straight into the patch's run of the output (a dense view).
        INDArray zi = patch(z, i).reshape('c', new long[] {out, (long) h * w});
        Nd4j.gemm(w2d, wk.cols2d, zi, false, false, 1.0, 0.0);
        if (b != null) {
          zi.addiColumnVector(b);
        }
      }
    });
  }

  /**
   * The gradients given {@code dz = ∂L/∂z}.
   *
   * @param dWeights receives ∂L/∂W, {@code [O, C, k, k]} dense C order (overwritten)
   * @param dBias receives ∂L/∂b ({@code O} values, dense) or null when there is no bias
   * @param dx receives ∂L/∂x, {@code [n, C, h, w]} dense C order (overwritten), or null when not needed
   */
  @Override
  public void backward(INDArray x, INDArray weights, INDArray dz, INDArray dWeights, INDArray dBias, INDArray dx) {
    check(x, "the input", in);
    check(dz, "the output gradient", out);
    if (dx != null) {
      check(dx, "the input gradient", in);
    }
    int n = (int) x.size(0);
    int h = (int) x.size(2);
    int w = (int) x.size(3);
    int threads = PatchWorkers.workers(n);
    fit(x.dataType(), n, threads, h, w);
    INDArray w2d = weights.reshape('c', new long[] {out, columns});
    PatchWorkers.run(threads, t -> {
      Worker wk = workers[t];
      for (int i = t; i < n; i += threads) {
        INDArray dzi = patch(dz, i).reshape('c', new long[] {out, (long) h * w});
        im2col(x, i, wk);
        Nd4j.gemm(dzi, wk.cols2d, weightSlots.getRow(i).reshape('c', new long[] {out, columns}), false, true, 1.0,
            0.0);
        if (dBias != null) {
          dzi.sum(wk.dBias, 1);
          biasSlots.getRow(i).assign(wk.dBias);
        }
        if (dx != null) {
          wk.needDCols();
          Nd4j.gemm(w2d, dzi, wk.dCols2d, true, false, 1.0, 0.0);
          Convolution.col2im(wk.dCols, patch(dx, i), 1, 1, pad, pad, h, w, 1, 1);
        }
      }
    });
    // Patch order, whatever the threads: bit-identical sums.
    INDArray dw = dWeights.reshape('c', new long[] {(long) out * columns});
    dw.assign(weightSlots.getRow(0));
    for (int i = 1; i < n; i++) {
      dw.addi(weightSlots.getRow(i));
    }
    if (dBias != null) {
      INDArray db = dBias.reshape('c', new long[] {out});
      db.assign(biasSlots.getRow(0));
      for (int i = 1; i < n; i++) {
        db.addi(biasSlots.getRow(i));
      }
    }
  }
}
