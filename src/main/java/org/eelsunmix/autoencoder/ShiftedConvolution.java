package org.eelsunmix.autoencoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The same-padded, stride-1 {@code k×k} convolution of {@link ConvolutionKernel} as {@code k²} shifted GEMMs on a
 * zero-padded, channels-last copy of the input, with no im2col (CNNAEU's 3×3 encoder convolution, B → filters: its
 * im2col wrote {@code 9·B·h·w} values a patch, 52 MB for 903 channels, more memory traffic than the GEMM's own).
 *
 * <p>Each patch is laid out as its padded grid {@code (h + 2p) × (w + 2p)} ({@code p = k/2}, row pitch
 * {@code W' = w + 2p}), one row of {@code C} channels per grid position, the patches one after the other between
 * {@code p·W' + p} zero guard rows: {@code X} ({@code rows × C}). A kernel position {@code s = (i, j)} reads grid row
 * {@code q + δ_s}, {@code δ_s = (i − p)·W' + (j − p)}, for the output at grid row {@code q}, so with
 * {@code W_s = W[·, ·, i, j]ᵀ} ({@code C × O}):
 *
 * <pre>Z[q..q+M) = Σ_s X[q+δ_s .. q+δ_s+M) · W_s          ∂W_s = Σ_q X[q+δ_s]ᵀ ∂Z[q]          ∂X[q+δ_s..) += ∂Z[q..) W_sᵀ</pre>
 *
 * <p>The forward pass is one product per patch, {@code Y = X[grid] · [W_0 … W_{k²−1}]} over all its grid rows
 * ({@code k²·O} columns: one wide product keeps BLAS near its peak where {@code k²} products of {@code O} columns
 * each repacked X), then {@code Z[q] = Σ_s Y[q + δ_s, s-block]} summed in a Java loop over contiguous rows, in shift
 * order, written straight into the NCHW output (same order of additions as {@code k²} accumulated products; equal
 * to them bit for bit where BLAS does not split the {@code C} sum into blocks, otherwise to float rounding). ∂X is
 * {@code k²} products of contiguous row blocks (ND4J's BLAS on row views, no copies), per patch over the
 * {@code M = h·W'} rows of its interior grid lines (the {@code 2p} pad columns of each line come out as unused
 * values, about {@code 2p/W'} extra work). ∂W is one product for all shifts,
 * {@code [∂W_0 … ∂W_{k²−1}] = Xᵀ D} with {@code D[p, s-block] = ∂Z[p − δ_s]} (∂Z spread into {@code k²} shifted
 * copies, zero at pad positions; {@code O·k²} columns instead of {@code O}: measured 1.6× faster than {@code k²}
 * products of {@code O} columns, which repack X every time). This is the convolution as {@code k²} accumulated
 * matrix products (the "kn2row" family: Vasudevan, Anderson &amp; Gregg, "Parallel multi channel convolution using
 * general matrix multiplication", ASAP 2017); measured on one thread, 15 patches of 40×40, 903 → 48 channels:
 * forward 0.29 s and ∂W 0.26 s CPU against im2col's 0.37 and 0.40 s.
 *
 * <p>Threads ({@link PatchWorkers}): forward and ∂X by patch; ∂W by {@value #CHUNKS} fixed chunks of the batch,
 * summed in chunk order; ∂b summed on the calling thread. Every product is the same call whichever thread makes it,
 * so the results do not depend on the thread count (BLAS single-threaded, {@code OMP_NUM_THREADS=1}). Buffers are
 * allocated once per batch shape, outside DL4J's workspaces. Not thread-safe: one instance per layer.
 */
final class ShiftedConvolution implements ConvolutionKernel {
  /** Fixed chunks of the batch for ∂W: one product each, so two threads share it evenly. */
  static final int CHUNKS = 2;

  private final int in;
  private final int out;
  private final int kernel;
  private final int pad;
  private DataType type;
  /** Patches the buffers hold (a batch may use fewer: the grids are the same, the buffers' first rows). */
  private int capacity;
  private int height = -1;
  private int width = -1;
  /** Grid pitch W', grid rows per patch, guard rows before the first patch. */
  private int pitch;
  private int grid;
  private int guard;
  /** Padded channels-last input, {@code (guard + n·grid + guard) × C}; pads and guards stay zero. */
  private INDArray x;
  /** Forward output on the grid, {@code n·grid × O} (pad rows unused). */
  private INDArray z;
  /** ∂Z on the grid, {@code n·grid × O}; pads stay zero. */
  private INDArray dz;
  /** ∂X on the padded layout (same shape as {@link #x}), made on first need. */
  private INDArray dx;
  /** The array {@link #x} holds (its last {@link #load}), or null. */
  private INDArray loaded;
  /** Weights by shift, {@code k²·C × O} (rows {@code s·C ..} are {@code W_s}). */
  private INDArray shifted;
  /** ∂Z spread by shift, {@code n·grid × k²·O} ({@link #spread}). */
  private INDArray wide;
  /** ∂W by chunk, {@code CHUNKS × C × k²·O} (column {@code s·O + o}: {@code ∂W[o, c, i, j]}). */
  private INDArray dWide;
  /** Default of {@link #wideForward} for new instances ({@link #useWideForward}). */
  private static volatile boolean wideForwardDefault = true;
  /** Whether the forward pass is one wide product per patch and a shifted sum, or {@code k²} products. */
  private final boolean wideForward = wideForwardDefault;
  /** The weights side by side, {@code C × k²·O} (column {@code s·O + o}: {@code W_s[·, o]}), for the wide forward. */
  private INDArray wideWeights;
  /** Each worker's wide-forward buffers, made on first need for the current shape. */
  private WideBuffers[] wideByWorker = new WideBuffers[0];

  /**
   * @param in input channels C
   * @param out output channels O
   * @param kernel side k of the square kernel (odd)
   */
  ShiftedConvolution(int in, int out, int kernel) {
    ConvolutionKernel.requireShape("a same convolution", in, out, kernel);
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.pad = kernel / 2;
  }

  /**
   * Makes the buffers fit {@code n} patches of {@code h×w} of {@code t}; kept for smaller batches of the same shape
   * (an epoch's last batch), whose products read only their own patches' grids.
   */
  private void fit(DataType t, int n, int h, int w) {
    if (t == type && n <= capacity && h == height && w == width) {
      return;
    }
    type = t;
    capacity = n;
    height = h;
    width = w;
    pitch = w + 2 * pad;
    grid = (h + 2 * pad) * pitch;
    guard = pad * pitch + pad;
    long rows = 2L * guard + (long) n * grid;
    loaded = null;
    try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
      x = Nd4j.zeros(t, rows, in);
      z = Nd4j.createUninitialized(t, new long[] {(long) n * grid, out}, 'c');
      dz = Nd4j.zeros(t, (long) n * grid, out);
      dx = null;
      shifted = Nd4j.createUninitialized(t, new long[] {(long) kernel * kernel * in, out}, 'c');
      wide = Nd4j.createUninitialized(t, new long[] {(long) n * grid, (long) kernel * kernel * out}, 'c');
      dWide = Nd4j.createUninitialized(t, new long[] {CHUNKS, in, (long) kernel * kernel * out}, 'c');
      wideWeights = Nd4j.createUninitialized(t, new long[] {in, (long) kernel * kernel * out}, 'c');
    }
    wideByWorker = new WideBuffers[0];
  }

  private static INDArray rows(INDArray a, long from, long count) {
    return a.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all());
  }

  /** The interior {@code [h, w, channels]} of patch {@code i}'s grid in a grid-layout array starting at {@code base}. */
  private INDArray interior(INDArray a, long base, int i) {
    return rows(a, base + (long) i * grid, grid).reshape('c', new long[] {height + 2L * pad, pitch, a.size(1)})
        .get(NDArrayIndex.interval(pad, pad + height), NDArrayIndex.interval(pad, pad + width), NDArrayIndex.all());
  }

  private static INDArray patch(INDArray a, int i) {
    return a.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
  }

  private void check(INDArray a, String what, long channels) {
    if (a.rank() != 4 || a.size(1) != channels || !NdBuffers.dense(a)) {
      throw new IllegalArgumentException(what + " must be a dense C-order [n, " + channels + ", h, w] array, got shape "
          + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()));
    }
  }

  /** Patch by patch, NCHW {@code input} into the padded channels-last {@link #x} (pads untouched: zero). */
  private void load(INDArray input) {
    int n = (int) input.size(0);
    int threads = PatchWorkers.workers(n);
    PatchWorkers.run(threads, t -> {
      for (int i = t; i < n; i += threads) {
        interior(x, guard, i).assign(patch(input, i).permute(1, 2, 0));
      }
    });
    loaded = input;
  }

  /** Row offset δ_s of kernel position {@code s = i·k + j} on the grid. */
  private long delta(int s) {
    return (long) (s / kernel - pad) * pitch + (s % kernel - pad);
  }

  private INDArray shift(INDArray byShift, int s) {
    return rows(byShift, (long) s * in, in);
  }

  /**
   * Lets instances made from now on compute the forward pass as one wide product per patch and a shifted sum (true,
   * the default) or as {@code k²} accumulated products (the path before it); returns the previous setting. For tests
   * and measurements comparing the two.
   */
  static boolean useWideForward(boolean wide) {
    boolean previous = wideForwardDefault;
    wideForwardDefault = wide;
    return previous;
  }

  @Override
  public void forward(INDArray input, INDArray weights, INDArray bias, INDArray output) {
    check(input, "the input", in);
    check(output, "the output", out);
    int n = (int) input.size(0);
    fit(input.dataType(), n, (int) input.size(2), (int) input.size(3));
    load(input);
    if (wideForward) {
      forwardWide(n, weights, bias, output);
      return;
    }
    // W [O, C, i, j] → W_s [C, O] stacked by s = i·k + j.
    shifted.reshape('c', new long[] {kernel, kernel, in, out}).assign(weights.permute(2, 3, 1, 0));
    long m = (long) height * pitch;
    int threads = PatchWorkers.workers(n);
    PatchWorkers.run(threads, t -> {
      for (int i = t; i < n; i += threads) {
        long q = (long) i * grid + (long) pad * pitch;
        INDArray zi = rows(z, q, m);
        for (int s = 0; s < kernel * kernel; s++) {
          Nd4j.gemm(rows(x, guard + q + delta(s), m), shift(shifted, s), zi, false, false, 1.0, s == 0 ? 0.0 : 1.0);
        }
        INDArray oi = patch(output, i);
        oi.assign(interior(z, 0, i).permute(2, 0, 1));
        if (bias != null) {
          INDArray column = bias.reshape('c', new long[] {out, 1});
          oi.reshape('c', new long[] {out, (long) height * width}).addiColumnVector(column);
        }
      }
    });
  }

  /**
   * The forward pass as {@code Y = X[grid] · [W_0 … W_{k²−1}]} per patch (one product of {@code k²·O} columns over
   * the patch's whole grid) and {@code Z[q] = Σ_s Y[q + δ_s, s-block]} summed in Java in shift order, written
   * straight into the NCHW output with the bias added last (as the k²-product path adds its products and the bias).
   */
  private void forwardWide(int n, INDArray weights, INDArray bias, INDArray output) {
    // W [O, C, i, j] → [C, (i·k + j)·O + o].
    wideWeights.reshape('c', new long[] {in, kernel, kernel, out}).assign(weights.permute(1, 2, 3, 0));
    double[] b = new double[out];
    if (bias != null) {
      NdBuffers.read(bias.reshape(out), b);
    }
    int threads = PatchWorkers.workers(n);
    PatchWorkers.run(threads, t -> {
      WideBuffers buffers = wideBuffers(t);
      for (int i = t; i < n; i += threads) {
        Nd4j.gemm(rows(x, guard + (long) i * grid, grid), wideWeights, buffers.products, false, false, 1.0, 0.0);
        long at = output.offset() + (long) i * out * height * width;
        if (type == DataType.FLOAT) {
          buffers.products.data().asNioFloat().get(0, buffers.floats, 0, buffers.floats.length);
          shiftedSum(buffers.floats, bias == null ? null : b, buffers.floatPlane);
          output.data().asNioFloat().put((int) at, buffers.floatPlane);
        } else {
          buffers.products.data().asNioDouble().get(0, buffers.doubles, 0, buffers.doubles.length);
          shiftedSum(buffers.doubles, bias == null ? null : b, buffers.doublePlane);
          output.data().asNioDouble().put((int) at, buffers.doublePlane);
        }
      }
    });
  }

  /** A worker's product {@code Y} (grid × k²·O) and its heap copies, for the FLOAT or DOUBLE batch in use. */
  private final class WideBuffers {
    final INDArray products;
    final float[] floats;
    final float[] floatPlane;
    final double[] doubles;
    final double[] doublePlane;

    WideBuffers() {
      long width = (long) kernel * kernel * out;
      try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        products = Nd4j.createUninitialized(type, new long[] {grid, width}, 'c');
      }
      boolean f = type == DataType.FLOAT;
      int length = Math.toIntExact(grid * width);
      int plane = out * height * ShiftedConvolution.this.width;
      floats = f ? new float[length] : null;
      floatPlane = f ? new float[plane] : null;
      doubles = f ? null : new double[length];
      doublePlane = f ? null : new double[plane];
    }
  }

  private synchronized WideBuffers wideBuffers(int worker) {
    if (wideByWorker.length <= worker) {
      wideByWorker = java.util.Arrays.copyOf(wideByWorker, Math.max(worker + 1, PatchWorkers.threads()));
    }
    if (wideByWorker[worker] == null) {
      wideByWorker[worker] = new WideBuffers();
    }
    return wideByWorker[worker];
  }

  /**
   * {@code plane[o, y, x] = Σ_s y[g + δ_s, s·O + o] (+ b[o])}, {@code g} the grid row of interior position
   * {@code (y, x)}, summed in float in shift order {@code s = 0, 1, …} (the order the k²-product path accumulates).
   */
  private void shiftedSum(float[] y, double[] b, float[] plane) {
    int cols = kernel * kernel * out;
    int area = height * width;
    float[] acc = new float[out];
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        int g = (r + pad) * pitch + c + pad;
        for (int s = 0; s < kernel * kernel; s++) {
          int from = (int) (g + delta(s)) * cols + s * out;
          if (s == 0) {
            System.arraycopy(y, from, acc, 0, out);
          } else {
            for (int o = 0; o < out; o++) {
              acc[o] += y[from + o];
            }
          }
        }
        int p = r * width + c;
        for (int o = 0; o < out; o++) {
          plane[o * area + p] = b == null ? acc[o] : acc[o] + (float) b[o];
        }
      }
    }
  }

  /** {@link #shiftedSum(float[], double[], float[])} in double. */
  private void shiftedSum(double[] y, double[] b, double[] plane) {
    int cols = kernel * kernel * out;
    int area = height * width;
    double[] acc = new double[out];
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        int g = (r + pad) * pitch + c + pad;
        for (int s = 0; s < kernel * kernel; s++) {
          int from = (int) (g + delta(s)) * cols + s * out;
          if (s == 0) {
            System.arraycopy(y, from, acc, 0, out);
          } else {
            for (int o = 0; o < out; o++) {
              acc[o] += y[from + o];
            }
          }
        }
        int p = r * width + c;
        for (int o = 0; o < out; o++) {
          plane[o * area + p] = b == null ? acc[o] : acc[o] + b[o];
        }
      }
    }
  }

  @Override
  public void backward(INDArray input, INDArray weights, INDArray dOut, INDArray dWeights, INDArray dBias,
      INDArray dInput) {
    backward(input, weights, dOut, dWeights, dBias, dInput, false);
  }

  /** As {@link #backward}, the padded copy of the last forward pass's input reused (its NCHW transpose skipped). */
  @Override
  public void backwardAfterForward(INDArray input, INDArray weights, INDArray dOut, INDArray dWeights, INDArray dBias,
      INDArray dInput) {
    backward(input, weights, dOut, dWeights, dBias, dInput, true);
  }

  private void backward(INDArray input, INDArray weights, INDArray dOut, INDArray dWeights, INDArray dBias,
      INDArray dInput, boolean afterForward) {
    check(input, "the input", in);
    check(dOut, "the output gradient", out);
    if (dInput != null) {
      check(dInput, "the input gradient", in);
    }
    int n = (int) input.size(0);
    fit(input.dataType(), n, (int) input.size(2), (int) input.size(3));
    if (!afterForward || loaded != input) {
      load(input);
    }
    // ∂W for all shifts at once, by chunk: X[chunk]ᵀ · D[chunk], D's block s holding ∂Z moved by δ_s.
    int chunks = Math.min(CHUNKS, n);
    int workers = Math.max(1, Math.min(PatchWorkers.threads(), chunks));
    PatchWorkers.run(workers, t -> {
      for (int c = t; c < chunks; c += workers) {
        long first = (long) n * c / chunks;
        long last = (long) n * (c + 1) / chunks;
        for (long i = first; i < last; i++) {
          spread(dOut, (int) i);
        }
        long k = (last - first) * grid;
        Nd4j.gemm(rows(x, guard + first * grid, k), rows(wide, first * grid, k), chunk(c), true, false, 1.0, 0.0);
      }
    });
    INDArray sum = chunk(0);
    for (int c = 1; c < chunks; c++) {
      sum.addi(chunk(c));
    }
    // [C, i, j, O] → [O, C, i, j].
    dWeights.assign(sum.reshape('c', new long[] {in, kernel, kernel, out}).permute(3, 0, 1, 2));
    if (dBias != null) {
      dBias.reshape('c', new long[] {out}).assign(dOut.sum(0, 2, 3));
    }
    if (dInput != null) {
      int threads = PatchWorkers.workers(n);
      PatchWorkers.run(threads, t -> {
        for (int i = t; i < n; i += threads) {
          interior(dz, 0, i).assign(patch(dOut, i).permute(1, 2, 0));
        }
      });
      shifted.reshape('c', new long[] {kernel, kernel, in, out}).assign(weights.permute(2, 3, 1, 0));
      backwardInput(n, dInput);
    }
  }

  private INDArray chunk(int c) {
    return dWide.get(NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all());
  }

  /**
   * Patch {@code i}'s rows of {@link #wide}: {@code D[p, s·O + o] = ∂Z[p − δ_s, o]} on its grid (zero where
   * {@code p − δ_s} is no interior position), so {@code Σ_p X[p]ᵀ D[p, s-block] = Σ_q X[q + δ_s]ᵀ ∂Z[q] = ∂W_s}.
   */
  private void spread(INDArray dOut, int i) {
    INDArray d = rows(wide, (long) i * grid, grid);
    d.assign(0);
    INDArray cells = d.reshape('c', new long[] {height + 2L * pad, pitch, (long) kernel * kernel, out});
    INDArray dzi = patch(dOut, i).permute(1, 2, 0);
    for (int s = 0; s < kernel * kernel; s++) {
      int di = s / kernel;
      int dj = s % kernel;
      cells.get(NDArrayIndex.interval(di, di + height), NDArrayIndex.interval(dj, dj + width), NDArrayIndex.point(s),
          NDArrayIndex.all()).assign(dzi);
    }
  }

  /** ∂X on the padded layout by patch ({@code Σ_s} shifted {@code ∂Z W_sᵀ}), then its interior into {@code dInput}. */
  private void backwardInput(int n, INDArray dInput) {
    if (dx == null) {
      try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        dx = Nd4j.zeros(type, x.shape());
      }
    }
    long m = (long) height * pitch;
    int threads = PatchWorkers.workers(n);
    PatchWorkers.run(threads, t -> {
      for (int i = t; i < n; i += threads) {
        // A patch's products also reach p rows into the neighbouring grids (or guards), on their pad positions,
        // which nobody reads: its interior gets only its own ∂Z.
        rows(dx, guard + (long) i * grid, grid).assign(0);
        long q = (long) i * grid + (long) pad * pitch;
        INDArray dzi = rows(dz, q, m);
        for (int s = 0; s < kernel * kernel; s++) {
          Nd4j.gemm(dzi, shift(shifted, s), rows(dx, guard + q + delta(s), m), false, true, 1.0, 1.0);
        }
        patch(dInput, i).assign(interior(dx, guard, i).permute(2, 0, 1));
      }
    });
  }
}
