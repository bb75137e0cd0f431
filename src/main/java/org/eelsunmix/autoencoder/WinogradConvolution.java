package org.eelsunmix.autoencoder;

import org.eelsunmix.linalg.VectorApi;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The same-padded, stride-1 3×3 convolution of {@link ConvolutionKernel} by Winograd's minimal filtering
 * {@code F(m×m, 3×3)} (Lavin &amp; Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016): each
 * output tile of {@code m×m} pixels is {@code Y = Aᵀ [U ⊙ V] A} with {@code U = G g Gᵀ} (filter),
 * {@code V = Bᵀ d B} (the {@code α×α} input tile, {@code α = m + 2}), so the {@code α²} element-wise products,
 * summed over the channels, are {@code α²} matrix products {@code M_ξ = V_ξ · U_ξ} ({@code tiles × C} by
 * {@code C × O}) made by BLAS: {@code α²/m²} multiplications per output and channel pair instead of 9 (4 for
 * {@code m = 2}, 2.25 for {@code m = 4}). Tiles read the input with the zero padding of the direct convolution (and
 * zeros past the patch when {@code m} does not divide its sides; those outputs are dropped).
 *
 * <p>Backward: {@code ∂M_ξ = A ∂Y Aᵀ} per tile, {@code ∂U_ξ = V_ξᵀ · ∂M_ξ} (one product per {@code ξ} over a
 * chunk's tiles; the {@code V} of the forward pass is kept and reused), {@code ∂g = Gᵀ ∂U G}; ∂x, the same
 * convolution of ∂z with the flipped, transposed filters, by a second instance (CNNAEU's encoder is the first layer
 * and needs none). The transforms run in Java on channel rows ({@code C} or {@code O} values a pixel, channels-last
 * copies of the patch) as one-dimensional transforms of {@code α} (or {@code m}) rows at a time, each output row the
 * left-to-right sum of its nonzero terms: for {@code F(4×4)} on the Vector API ({@link WinogradTransformsVector},
 * same bits) where {@link VectorApi#ENABLED}, else (and for a row's last values, and {@code F(2×2)}) by the scalar
 * reference here; filter transforms in double.
 *
 * <p>Threads ({@link PatchWorkers}): the batch is cut into {@value #CHUNKS} fixed chunks of patches, each transformed,
 * multiplied and transformed back as a unit by one worker; ∂U summed in chunk order. Every product is the same call
 * whichever thread makes it, so the results do not depend on the thread count. They equal the direct convolution to
 * float rounding, not bit for bit (the transforms reorder the sums). Not thread-safe: one instance per layer.
 */
final class WinogradConvolution implements ConvolutionKernel {
  /** Fixed chunks of the batch (each a unit of work and of ∂U's sum). */
  static final int CHUNKS = 2;
  /** Default output tile side for new instances ({@link #useTile}). */
  private static volatile int tileDefault = 4;
  /** Whether {@code F(4×4)}'s transforms can run on the Vector API here. */
  private static final boolean VECTOR = VectorApi.ENABLED && WinogradTransformsVector.usable();
  /** Whether new instances use it ({@link #useVector}). */
  private static volatile boolean vectorDefault = VECTOR;

  private static final double[][] BT2 = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
  private static final double[][] G2 = {{1, 0, 0}, {.5, .5, .5}, {.5, -.5, .5}, {0, 0, 1}};
  private static final double[][] AT2 = {{1, 1, 1, 0}, {0, 1, -1, -1}};
  private static final double[][] BT4 = {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
      {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
  private static final double[][] G4 = {{1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0},
      {-1 / 6.0, 1 / 6.0, -1 / 6.0}, {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};
  private static final double[][] AT4 = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0},
      {0, 1, -1, 8, -8, 1}};

  private final int in;
  private final int out;
  private final int m;
  private final int alpha;
  private final double[][] bt;
  private final double[][] g;
  private final double[][] at;
  /** Nonzero terms of Bᵀ's rows, Aᵀ's rows and Aᵀ's columns (A's rows): the transforms skip the zeros. */
  private final Terms[] btRows;
  private final Terms[] atRows;
  private final Terms[] atCols;
  /** {@code F(4×4)}'s transforms on the Vector API ({@link WinogradTransformsVector}). */
  private final boolean vector;

  private DataType type;
  private int capacity;
  private int height = -1;
  private int width = -1;
  private int tilesX;
  private int tilesY;
  /** Tiles a patch, the buffers' tiles ({@code capacity · perPatch}), the padded input's width. */
  private int perPatch;
  private int allTiles;
  private int padW;
  /** {@code V}, {@code α²·allTiles × C}: row {@code ξ·allTiles + t}. */
  private INDArray v;
  /** {@code U}, {@code α²·C × O}. */
  private INDArray u;
  /** {@code M} and {@code ∂M}, {@code α²·allTiles × O}. */
  private INDArray prod;
  private INDArray dProd;
  /** {@code ∂U} by chunk, {@code CHUNKS·α²·C × O}. */
  private INDArray dU;
  /** The array {@link #v} was computed from, or null. */
  private INDArray loaded;
  private Work[] work = new Work[0];
  /** The filters and their transforms in double, kept from call to call ({@link #transformFilters}). */
  private double[] filters;
  private double[] transformed;
  /** ∂U summed over the chunks, one chunk's ∂U as read, and ∂W in double ({@link #filterGradient}). */
  private double[] gradientSum;
  private Object gradientPart;
  private double[] filterGradients;
  /** ∂x's convolution ({@code O → C}) and its flipped filters, made on first need. */
  private WinogradConvolution transposed;
  private INDArray flipped;

  /**
   * @param in input channels C
   * @param out output channels O
   * @param kernel the kernel side: 3
   */
  WinogradConvolution(int in, int out, int kernel) {
    this(in, out, kernel, tileDefault);
  }

  WinogradConvolution(int in, int out, int kernel, int tile) {
    this(in, out, kernel, tile, vectorDefault);
  }

  /** As {@link #WinogradConvolution(int, int, int, int)}, {@code vector} false for the scalar reference. */
  WinogradConvolution(int in, int out, int kernel, int tile, boolean vector) {
    ConvolutionKernel.requireShape("a Winograd convolution", in, out, kernel);
    if (kernel != 3 || (tile != 2 && tile != 4)) {
      throw new IllegalArgumentException("Winograd F(m×m, 3×3) takes k = 3 and m = 2 or 4, got k=" + kernel
          + ", m=" + tile);
    }
    this.in = in;
    this.out = out;
    this.m = tile;
    this.alpha = tile + 2;
    this.bt = tile == 2 ? BT2 : BT4;
    this.g = tile == 2 ? G2 : G4;
    this.at = tile == 2 ? AT2 : AT4;
    this.vector = vector && VECTOR && tile == 4;
    btRows = new Terms[alpha];
    for (int a = 0; a < alpha; a++) {
      btRows[a] = Terms.of(bt[a]);
    }
    atRows = new Terms[m];
    for (int r = 0; r < m; r++) {
      atRows[r] = Terms.of(at[r]);
    }
    atCols = new Terms[alpha];
    for (int a = 0; a < alpha; a++) {
      double[] col = new double[m];
      for (int i = 0; i < m; i++) {
        col[i] = at[i][a];
      }
      atCols[a] = Terms.of(col);
    }
  }

  @Override
  public String toString() {
    return "F(" + m + "×" + m + ", 3×3)";
  }

  /** Sets the output tile side (2 or 4) of instances made from now on; returns the previous one (measurements). */
  static int useTile(int tile) {
    int previous = tileDefault;
    tileDefault = tile;
    return previous;
  }

  /**
   * Sets whether instances made from now on run {@code F(4×4)}'s transforms on the Vector API (where it is enabled);
   * returns the previous setting (measurements).
   */
  static boolean useVector(boolean on) {
    boolean previous = vectorDefault;
    vectorDefault = on;
    return previous;
  }

  /** Whether this instance's transforms run on the Vector API. */
  boolean vector() {
    return vector;
  }

  /** The nonzero entries of a transform row: their positions and coefficients. */
  private record Terms(int[] at, double[] coef) {
    static Terms of(double[] row) {
      int count = 0;
      for (double r : row) {
        count += r != 0 ? 1 : 0;
      }
      int[] at = new int[count];
      double[] coef = new double[count];
      int k = 0;
      for (int i = 0; i < row.length; i++) {
        if (row[i] != 0) {
          at[k] = i;
          coef[k++] = row[i];
        }
      }
      return new Terms(at, coef);
    }
  }

  private void fit(DataType t, int n, int h, int w) {
    if (t == type && n <= capacity && h == height && w == width) {
      return;
    }
    if (t != DataType.FLOAT && t != DataType.DOUBLE) {
      throw new IllegalArgumentException("the Winograd convolution takes FLOAT or DOUBLE, got " + t);
    }
    type = t;
    capacity = n;
    height = h;
    width = w;
    tilesY = (h + m - 1) / m;
    tilesX = (w + m - 1) / m;
    perPatch = tilesX * tilesY;
    allTiles = n * perPatch;
    padW = tilesX * m + 2;
    long rows = (long) alpha * alpha * allTiles;
    try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
      v = Nd4j.createUninitialized(t, new long[] {rows, in}, 'c');
      u = Nd4j.createUninitialized(t, new long[] {(long) alpha * alpha * in, out}, 'c');
      prod = Nd4j.createUninitialized(t, new long[] {rows, out}, 'c');
      dProd = null;
      dU = null;
    }
    loaded = null;
    work = new Work[0];
  }

  private static INDArray rows(INDArray a, long from, long count) {
    return a.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all());
  }

  private void check(INDArray a, String what, long channels) {
    if (a.rank() != 4 || a.size(1) != channels || !NdBuffers.dense(a)) {
      throw new IllegalArgumentException(what + " must be a dense C-order [n, " + channels + ", h, w] array, got shape "
          + java.util.Arrays.toString(a.shape()));
    }
  }

  /** A worker's Java arrays (float[] or double[] as the batch), made on first need for the current shape. */
  private final class Work {
    final Object patch = Staging.array(type, Math.max(in, out) * height * width);
    /**
     * The last {@code α} lines of the padded channels-last input ({@code α × padW × C}, line {@code R} in slot
     * {@code R mod α}): a band of tiles reads {@code α} lines, the next one {@code m} new ones; pad columns stay zero.
     */
    final Object lines = Staging.array(type, alpha * padW * in);
    /** Bᵀ applied along y for one band of tiles, {@code α × padW × C}. */
    final Object band = Staging.array(type, alpha * padW * in);
    /** A tile's {@code α} transformed input rows ({@code α × C}) or {@code m} output rows ({@code m × O}). */
    final Object rows = Staging.array(type, Math.max(alpha * in, m * out));
    /** Row offsets of a one-dimensional transform's input and output. */
    final int[] from = new int[alpha];
    final int[] to = new int[alpha];
    /** A patch's {@code M} or {@code ∂M}, {@code α² × perPatch × O}. */
    final Object tiles = Staging.array(type, alpha * alpha * perPatch * out);
    final Object half = Staging.array(type, alpha * alpha * out);
    /** ∂z channels-last on the tiles' grid, {@code tilesY·m × tilesX·m × O}; beyond the patch zero. */
    final Object grad = Staging.array(type, tilesY * m * tilesX * m * out);
  }

  private synchronized Work work(int worker) {
    if (work.length <= worker) {
      work = java.util.Arrays.copyOf(work, Math.max(worker + 1, PatchWorkers.threads()));
    }
    if (work[worker] == null) {
      work[worker] = new Work();
    }
    return work[worker];
  }

  /** Runs {@code body(first, last, work)} for each fixed chunk of {@code n} patches, chunks over the workers. */
  private void byChunk(int n, ChunkWork body) {
    int chunks = Math.min(CHUNKS, n);
    int workers = Math.max(1, Math.min(PatchWorkers.threads(), chunks));
    PatchWorkers.run(workers, t -> {
      Work w = work(t);
      for (int c = t; c < chunks; c += workers) {
        body.run(c, n * c / chunks, n * (c + 1) / chunks, w);
      }
    });
  }

  private interface ChunkWork {
    void run(int chunk, int first, int last, Work w);
  }

  @Override
  public void forward(INDArray input, INDArray weights, INDArray bias, INDArray output) {
    check(input, "the input", in);
    check(output, "the output", out);
    int n = (int) input.size(0);
    fit(input.dataType(), n, (int) input.size(2), (int) input.size(3));
    transformFilters(weights);
    double[] b = null;
    if (bias != null) {
      b = new double[out];
      NdBuffers.read(bias.reshape(out), b);
    }
    double[] biases = b;
    byChunk(n, (c, first, last, w) -> {
      for (int i = first; i < last; i++) {
        transformInput(input, i, w);
      }
      long k = (long) (last - first) * perPatch;
      for (int xi = 0; xi < alpha * alpha; xi++) {
        long at = (long) xi * allTiles + (long) first * perPatch;
        Nd4j.gemm(rows(v, at, k), rows(u, (long) xi * in, in), rows(prod, at, k), false, false, 1.0, 0.0);
      }
      for (int i = first; i < last; i++) {
        transformOutput(i, biases, output, w);
      }
    });
    loaded = input;
  }

  /** The input transform alone ({@code V} of every patch, on this thread): measurements. */
  void transformInputs(INDArray input) {
    check(input, "the input", in);
    int n = (int) input.size(0);
    fit(input.dataType(), n, (int) input.size(2), (int) input.size(3));
    Work w = work(0);
    for (int i = 0; i < n; i++) {
      transformInput(input, i, w);
    }
    loaded = null;
  }

  /**
   * {@code U_ξ[c, o] = (G g_{o,c} Gᵀ)[a, b]}, {@code ξ = a·α + b}, in double; the output filters dealt to the
   * workers in fixed ranges (each value computed alone: the same bits whatever the threads).
   */
  private void transformFilters(INDArray weights) {
    int taps = in * 9;
    if (filters == null || filters.length != out * taps) {
      filters = new double[out * taps];
      transformed = new double[alpha * alpha * in * out];
    }
    double[] wt = filters;
    double[] uu = transformed;
    NdBuffers.read(weights, wt);
    overRanges(out, (from, to) -> {
      double[][] half = new double[alpha][3];
      for (int o = from; o < to; o++) {
        for (int c = 0; c < in; c++) {
          int base = o * taps + c * 9;
          for (int a = 0; a < alpha; a++) {
            for (int j = 0; j < 3; j++) {
              half[a][j] = g[a][0] * wt[base + j] + g[a][1] * wt[base + 3 + j] + g[a][2] * wt[base + 6 + j];
            }
          }
          for (int a = 0; a < alpha; a++) {
            for (int bb = 0; bb < alpha; bb++) {
              uu[((a * alpha + bb) * in + c) * out + o] = half[a][0] * g[bb][0] + half[a][1] * g[bb][1]
                  + half[a][2] * g[bb][2];
            }
          }
        }
      }
    });
    NdBuffers.write(uu, u);
  }

  /** Work on the index range {@code [from, to)}. */
  private interface RangeWork {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, count)} cut into one fixed range per worker ({@link PatchWorkers}), for work
   * whose every value is computed alone (the ranges change only who computes what).
   */
  private static void overRanges(int count, RangeWork body) {
    int workers = PatchWorkers.workers(count);
    PatchWorkers.run(workers, t -> body.run(count * t / workers, count * (t + 1) / workers));
  }

  /**
   * Patch {@code i}'s {@code V} rows: by band of tiles, its padded lines channels-last (the new ones only), Bᵀ along
   * y, then B along x by tile.
   */
  private void transformInput(INDArray input, int i, Work w) {
    int plane = height * width;
    Staging.read(input, (long) i * in * plane, w.patch, in * plane);
    Staging.Runs runs = Staging.runs(v, in);
    int next = 0;
    for (int ty = 0; ty < tilesY; ty++) {
      for (; next < ty * m + alpha; next++) {
        // Padded line R is image line R − 1, or zeros.
        int slot = (next % alpha) * padW * in;
        int y = next - 1;
        if (y >= 0 && y < height) {
          Rows.toChannelsLast(w.patch, in, 1, width, plane, y * width, w.lines, slot + in);
        } else {
          Rows.zero(w.lines, slot, padW * in);
        }
      }
      // Bᵀ along y: band line a, column x from the band's α padded lines.
      for (int x = 0; x < padW; x++) {
        for (int k = 0; k < alpha; k++) {
          w.from[k] = (((ty * m + k) % alpha) * padW + x) * in;
          w.to[k] = (k * padW + x) * in;
        }
        inputRows(w.lines, w.from, w.band, w.to, in);
      }
      // B along x by tile: row ξ = a·α + b of V.
      for (int tx = 0; tx < tilesX; tx++) {
        long t = (long) i * perPatch + (long) ty * tilesX + tx;
        for (int a = 0; a < alpha; a++) {
          for (int k = 0; k < alpha; k++) {
            w.from[k] = (a * padW + tx * m + k) * in;
            w.to[k] = k * in;
          }
          inputRows(w.band, w.from, w.rows, w.to, in);
          for (int bb = 0; bb < alpha; bb++) {
            runs.copy(w.rows, bb * in, (int) (((a * alpha + bb) * allTiles + t) * in), in);
          }
        }
      }
    }
  }

  /** Patch {@code i}'s output: {@code Aᵀ M A} by tile on rows of O, plus the bias, into the NCHW {@code output}. */
  private void transformOutput(int i, double[] bias, INDArray output, Work w) {
    int block = perPatch * out;
    for (int xi = 0; xi < alpha * alpha; xi++) {
      Staging.read(prod, ((long) xi * allTiles + (long) i * perPatch) * out, w.tiles, xi * block, block);
    }
    int plane = height * width;
    for (int ty = 0; ty < tilesY; ty++) {
      for (int tx = 0; tx < tilesX; tx++) {
        int t = ty * tilesX + tx;
        // half[r·α + b] = Σ_a Aᵀ[r, a] M_{a, b}
        for (int bb = 0; bb < alpha; bb++) {
          for (int a = 0; a < alpha; a++) {
            w.from[a] = ((a * alpha + bb) * perPatch + t) * out;
          }
          for (int r = 0; r < m; r++) {
            w.to[r] = (r * alpha + bb) * out;
          }
          outputRows(w.tiles, w.from, w.half, w.to, out);
        }
        for (int r = 0; r < m; r++) {
          int y = ty * m + r;
          if (y >= height) {
            continue;
          }
          // rows[s] = Σ_b half[r·α + b] Aᵀ[s, b]
          for (int bb = 0; bb < alpha; bb++) {
            w.from[bb] = (r * alpha + bb) * out;
          }
          for (int c = 0; c < m; c++) {
            w.to[c] = c * out;
          }
          outputRows(w.half, w.from, w.rows, w.to, out);
          for (int c = 0; c < m; c++) {
            int x = tx * m + c;
            if (x < width) {
              Rows.scatter(w.rows, c * out, out, bias, w.patch, y * width + x, plane);
            }
          }
        }
      }
    }
    Staging.runs(output, 0).copy(w.patch, 0, (int) ((long) i * out * plane), out * plane);
  }

  @Override
  public void backward(INDArray input, INDArray weights, INDArray dOut, INDArray dWeights, INDArray dBias,
      INDArray dInput) {
    backward(input, weights, dOut, dWeights, dBias, dInput, false);
  }

  /** As {@link #backward}, reusing the {@code V} of the last forward pass. */
  @Override
  public void backwardAfterForward(INDArray input, INDArray weights, INDArray dOut, INDArray dWeights,
      INDArray dBias, INDArray dInput) {
    backward(input, weights, dOut, dWeights, dBias, dInput, true);
  }

  private void backward(INDArray input, INDArray weights, INDArray dOut, INDArray dWeights, INDArray dBias,
      INDArray dInput, boolean afterForward) {
    check(input, "the input", in);
    check(dOut, "the output gradient", out);
    int n = (int) input.size(0);
    fit(input.dataType(), n, (int) input.size(2), (int) input.size(3));
    boolean reuse = afterForward && loaded == input;
    if (dProd == null) {
      try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        dProd = Nd4j.createUninitialized(type, prod.shape(), 'c');
        dU = Nd4j.createUninitialized(type, new long[] {(long) CHUNKS * alpha * alpha * in, out}, 'c');
      }
    }
    byChunk(n, (c, first, last, w) -> {
      for (int i = first; i < last; i++) {
        if (!reuse) {
          transformInput(input, i, w);
        }
        transformGradient(dOut, i, w);
      }
      long k = (long) (last - first) * perPatch;
      for (int xi = 0; xi < alpha * alpha; xi++) {
        long at = (long) xi * allTiles + (long) first * perPatch;
        Nd4j.gemm(rows(v, at, k), rows(dProd, at, k), rows(dU, ((long) c * alpha * alpha + xi) * in, in), true,
            false, 1.0, 0.0);
      }
    });
    if (!reuse) {
      loaded = input;
    }
    filterGradient(Math.min(CHUNKS, n), dWeights);
    if (dBias != null) {
      dBias.reshape('c', new long[] {out}).assign(dOut.sum(0, 2, 3));
    }
    if (dInput != null) {
      check(dInput, "the input gradient", in);
      if (transposed == null) {
        transposed = new WinogradConvolution(out, in, 3, m, vector);
      }
      if (flipped == null || flipped.dataType() != type) {
        try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
          flipped = Nd4j.createUninitialized(type, new long[] {in, out, 3, 3}, 'c');
        }
      }
      // ∂x = conv(∂z, W'), W'[c, o, i, j] = W[o, c, 2 − i, 2 − j].
      double[] wt = new double[out * in * 9];
      NdBuffers.read(weights, wt);
      double[] wf = new double[wt.length];
      for (int o = 0; o < out; o++) {
        for (int c = 0; c < in; c++) {
          for (int k = 0; k < 9; k++) {
            wf[(c * out + o) * 9 + k] = wt[(o * in + c) * 9 + 8 - k];
          }
        }
      }
      NdBuffers.write(wf, flipped);
      transposed.forward(dOut, flipped, null, dInput);
    }
  }

  /** Patch {@code i}'s {@code ∂M} rows: {@code A ∂Y Aᵀ} by tile on rows of O. */
  private void transformGradient(INDArray dOut, int i, Work w) {
    int plane = height * width;
    int gw = tilesX * m;
    Staging.read(dOut, (long) i * out * plane, w.patch, out * plane);
    if (gw == width) {
      Rows.toChannelsLast(w.patch, out, height, width, plane, 0, w.grad, 0);
    } else {
      for (int y = 0; y < height; y++) {
        Rows.toChannelsLast(w.patch, out, 1, width, plane, y * width, w.grad, y * gw * out);
      }
    }
    for (int ty = 0; ty < tilesY; ty++) {
      for (int tx = 0; tx < tilesX; tx++) {
        int t = ty * tilesX + tx;
        // half[a·m + s] = Σ_r A[a, r] ∂Y[r, s]
        for (int c = 0; c < m; c++) {
          for (int r = 0; r < m; r++) {
            w.from[r] = ((ty * m + r) * gw + tx * m + c) * out;
          }
          for (int a = 0; a < alpha; a++) {
            w.to[a] = (a * m + c) * out;
          }
          gradientRows(w.grad, w.from, w.half, w.to, out);
        }
        // ∂M_{a, b} = Σ_s half[a·m + s] A[b, s]
        for (int a = 0; a < alpha; a++) {
          for (int c = 0; c < m; c++) {
            w.from[c] = (a * m + c) * out;
          }
          for (int bb = 0; bb < alpha; bb++) {
            w.to[bb] = ((a * alpha + bb) * perPatch + t) * out;
          }
          gradientRows(w.half, w.from, w.tiles, w.to, out);
        }
      }
    }
    int block = perPatch * out;
    Staging.Runs runs = Staging.runs(dProd, 0);
    for (int xi = 0; xi < alpha * alpha; xi++) {
      runs.copy(w.tiles, xi * block, (int) (((long) xi * allTiles + (long) i * perPatch) * out), block);
    }
  }

  /**
   * ∂W from the chunks' ∂U (summed in chunk order): {@code ∂g = Gᵀ ∂U G} per (o, c), in double; the sums and the
   * input channels dealt to the workers in fixed ranges (each value computed alone: the same bits whatever the
   * threads).
   */
  private void filterGradient(int chunks, INDArray dWeights) {
    int block = alpha * alpha * in * out;
    int taps = in * 9;
    if (gradientSum == null || gradientSum.length != block || Staging.length(gradientPart) != block
        || (gradientPart instanceof float[]) != (type == DataType.FLOAT)) {
      gradientSum = new double[block];
      gradientPart = Staging.array(type, block);
      filterGradients = new double[out * taps];
    }
    double[] sum = gradientSum;
    Object part = gradientPart;
    double[] dw = filterGradients;
    for (int c = 0; c < chunks; c++) {
      Staging.read(dU, (long) c * block, part, block);
      int chunk = c;
      overRanges(block, (from, to) -> {
        if (part instanceof float[] f) {
          for (int k = from; k < to; k++) {
            sum[k] = chunk == 0 ? f[k] : (float) ((float) sum[k] + f[k]);
          }
        } else {
          double[] d = (double[]) part;
          for (int k = from; k < to; k++) {
            sum[k] = chunk == 0 ? d[k] : sum[k] + d[k];
          }
        }
      });
    }
    int stride = in * out;
    overRanges(in, (from, to) -> {
      double[][] half = new double[alpha][3];
      for (int c = from; c < to; c++) {
        for (int o = 0; o < out; o++) {
          int base = c * out + o;
          for (int a = 0; a < alpha; a++) {
            for (int j = 0; j < 3; j++) {
              double s = 0;
              for (int bb = 0; bb < alpha; bb++) {
                s += sum[(a * alpha + bb) * stride + base] * g[bb][j];
              }
              half[a][j] = s;
            }
          }
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
              double s = 0;
              for (int a = 0; a < alpha; a++) {
                s += g[a][i] * half[a][j];
              }
              dw[o * taps + c * 9 + i * 3 + j] = s;
            }
          }
        }
      }
    });
    NdBuffers.write(dw, dWeights);
  }

  /** {@code Bᵀ}: {@code dst[to[a] + j] = Σ_k Bᵀ[a, k] src[from[k] + j]}, {@code a, k < α}, {@code j < len}. */
  private void inputRows(Object src, int[] from, Object dst, int[] to, int len) {
    int done = 0;
    if (vector) {
      done = src instanceof float[] f ? WinogradTransformsVector.input(f, from, (float[]) dst, to, len)
          : WinogradTransformsVector.input((double[]) src, from, (double[]) dst, to, len);
    }
    Rows.apply(btRows, src, from, dst, to, done, len);
  }

  /** {@code Aᵀ}: {@code dst[to[r] + j] = Σ_a Aᵀ[r, a] src[from[a] + j]}, {@code r < m}, {@code a < α}. */
  private void outputRows(Object src, int[] from, Object dst, int[] to, int len) {
    int done = 0;
    if (vector) {
      done = src instanceof float[] f ? WinogradTransformsVector.output(f, from, (float[]) dst, to, len)
          : WinogradTransformsVector.output((double[]) src, from, (double[]) dst, to, len);
    }
    Rows.apply(atRows, src, from, dst, to, done, len);
  }

  /** {@code A}: {@code dst[to[a] + j] = Σ_r Aᵀ[r, a] src[from[r] + j]}, {@code a < α}, {@code r < m}. */
  private void gradientRows(Object src, int[] from, Object dst, int[] to, int len) {
    int done = 0;
    if (vector) {
      done = src instanceof float[] f ? WinogradTransformsVector.gradient(f, from, (float[]) dst, to, len)
          : WinogradTransformsVector.gradient((double[]) src, from, (double[]) dst, to, len);
    }
    Rows.apply(atCols, src, from, dst, to, done, len);
  }

  /** Row operations on float[] or double[] (the batch's type), the loops the transforms are made of. */
  private static final class Rows {
    private Rows() {}

    /**
     * The scalar reference of a one-dimensional transform: {@code dst[to[a] + j] = Σ_k T[a, k] src[from[k] + j]} for
     * {@code first ≤ j < len}, each output row {@code a} the left-to-right sum of {@code rows[a]}'s nonzero terms.
     */
    static void apply(Terms[] rows, Object src, int[] from, Object dst, int[] to, int first, int len) {
      if (first >= len) {
        return;
      }
      for (int a = 0; a < rows.length; a++) {
        combine(src, rows[a], from, first, dst, to[a] + first, len - first);
      }
    }

    /**
     * {@code dst[to + j] = Σ_k coef[k] · src[from[at[k]] + shift + j]}, {@code j < len}, left to right: up to four
     * terms in one pass (each output read and written once; loops the JIT vectorises), then one pass a term.
     */
    static void combine(Object src, Terms terms, int[] from, int shift, Object dst, int to, int len) {
      int[] at = terms.at;
      double[] coef = terms.coef;
      if (src instanceof float[] s) {
        float[] d = (float[]) dst;
        int k = Math.min(4, at.length);
        store(s, terms, from, shift, k, d, to, len);
        for (; k < at.length; k++) {
          float ck = (float) coef[k];
          int fk = from[at[k]] + shift;
          for (int j = 0; j < len; j++) {
            d[to + j] += ck * s[fk + j];
          }
        }
      } else {
        double[] s = (double[]) src;
        double[] d = (double[]) dst;
        double c0 = coef[0];
        int f0 = from[at[0]] + shift;
        for (int j = 0; j < len; j++) {
          d[to + j] = c0 * s[f0 + j];
        }
        for (int k = 1; k < at.length; k++) {
          double ck = coef[k];
          int fk = from[at[k]] + shift;
          for (int j = 0; j < len; j++) {
            d[to + j] += ck * s[fk + j];
          }
        }
      }
    }

    /** The first {@code n ≤ 4} terms of {@link #combine} in float, stored. */
    private static void store(float[] s, Terms terms, int[] from, int shift, int n, float[] d, int to, int len) {
      int[] at = terms.at;
      double[] coef = terms.coef;
      float c0 = (float) coef[0];
      int f0 = from[at[0]] + shift;
      float c1 = n > 1 ? (float) coef[1] : 0;
      int f1 = n > 1 ? from[at[1]] + shift : 0;
      float c2 = n > 2 ? (float) coef[2] : 0;
      int f2 = n > 2 ? from[at[2]] + shift : 0;
      float c3 = n > 3 ? (float) coef[3] : 0;
      int f3 = n > 3 ? from[at[3]] + shift : 0;
      switch (n) {
        case 1 -> {
          for (int j = 0; j < len; j++) {
            d[to + j] = c0 * s[f0 + j];
          }
        }
        case 2 -> {
          for (int j = 0; j < len; j++) {
            d[to + j] = c0 * s[f0 + j] + c1 * s[f1 + j];
          }
        }
        case 3 -> {
          for (int j = 0; j < len; j++) {
            d[to + j] = c0 * s[f0 + j] + c1 * s[f1 + j] + c2 * s[f2 + j];
          }
        }
        default -> {
          for (int j = 0; j < len; j++) {
            d[to + j] = c0 * s[f0 + j] + c1 * s[f1 + j] + c2 * s[f2 + j] + c3 * s[f3 + j];
          }
        }
      }
    }

    /** Channels per block of {@link #toChannelsLast}: few enough source planes at once for the TLB and caches. */
    private static final int BLOCK = 16;

    /**
     * {@code dst[to + (y·w + x)·C + c] = src[c·plane + from + y·w + x]}: {@code h} lines of {@code w} pixels of a
     * {@code [C, plane]} patch to channels-last rows, {@value #BLOCK} channels at a time (a pixel's channels one by
     * one, planes apart, took a TLB miss a read for CNNAEU's 903 channels).
     */
    static void toChannelsLast(Object src, int channels, int h, int w, int plane, int from, Object dst, int to) {
      boolean f = src instanceof float[];
      float[] fs = f ? (float[]) src : null;
      float[] fd = f ? (float[]) dst : null;
      double[] ds = f ? null : (double[]) src;
      double[] dd = f ? null : (double[]) dst;
      int pixels = h * w;
      for (int c0 = 0; c0 < channels; c0 += BLOCK) {
        int c1 = Math.min(channels, c0 + BLOCK);
        for (int p = 0; p < pixels; p++) {
          int d = to + p * channels;
          int at = from + p;
          if (f) {
            for (int c = c0; c < c1; c++) {
              fd[d + c] = fs[c * plane + at];
            }
          } else {
            for (int c = c0; c < c1; c++) {
              dd[d + c] = ds[c * plane + at];
            }
          }
        }
      }
    }

    /** {@code dst[at ..< at + len] = 0}. */
    static void zero(Object dst, int at, int len) {
      if (dst instanceof float[] f) {
        java.util.Arrays.fill(f, at, at + len, 0f);
      } else {
        java.util.Arrays.fill((double[]) dst, at, at + len, 0.0);
      }
    }

    /**
     * {@code dst[at + o·stride] = row[from + o] (+ bias[o])}, {@code o < count} (a channel row to an NCHW pixel).
     */
    static void scatter(Object row, int from, int count, double[] bias, Object dst, int at, int stride) {
      if (row instanceof float[] r) {
        float[] d = (float[]) dst;
        for (int o = 0; o < count; o++) {
          d[at + o * stride] = bias == null ? r[from + o] : r[from + o] + (float) bias[o];
        }
      } else {
        double[] r = (double[]) row;
        double[] d = (double[]) dst;
        for (int o = 0; o < count; o++) {
          d[at + o * stride] = bias == null ? r[from + o] : r[from + o] + bias[o];
        }
      }
    }
  }
}
