package org.eelsunmix.autoencoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch's first convolution computed once over the canvas its patches lie on ({@link PatchCanvas}) instead of once
 * per patch: CNNAEU's encoder convolution (3×3, 200–2 000 input channels, most of an encoder's arithmetic) on the
 * 15 overlapping 40×40 patches of a 64×64 image costs about a sixth.
 *
 * <p>Why it is exact. For a patch at canvas offset {@code (t, l)}, its same-padded convolution at pixel {@code (y, x)}
 * sums the taps whose neighbour lies in the patch; the canvas convolution at {@code (t + y, l + x)} sums every tap,
 * the neighbours outside the patch reading the canvas (the pixels of other patches of the batch, or zeros). So
 * {@code z_patch(y, x) = z_canvas(t + y, l + x) − Σ_{taps (i, j) whose neighbour is outside the patch}
 * W_ij · x_canvas(t + y + i − h, l + x + j − h)}, {@code h = k / 2}: only the pixels of a patch's {@code h}-wide frame
 * get such a correction. Backward, with {@code Dz = Σ_patches ∂z} placed on the canvas: {@code ∂W_ij = Σ_canvas
 * Dz ⊗ x_canvas(shifted by tap ij) − Σ_{frame pixels, taps outside} ∂z ⊗ x_canvas(neighbour)} and {@code ∂b = Σ Dz}.
 * The corrections are one product a tap ({@code O × C} by {@code C × frame}, {@code frame} ≈ 4·side per patch),
 * about a seventh of what the canvas saves. No ∂x: the encoder convolution is the network's first layer.
 *
 * <p>The canvas is convolved as {@value #BANDS} bands of rows with {@code h} rows of overlap ({@link #bandHeight}), a
 * batch of two for the kernel, so both {@link PatchWorkers} take part; each canvas row's output is read from the band
 * that owns it (rows {@code [0, m)} the first, {@code [m, height)} the second, {@code m = ⌈height / 2⌉}), whose
 * {@code h} rows beyond it are real canvas rows. Results equal the per-patch convolution to the rounding of the
 * network's type (the sums are regrouped), and do not depend on the thread count: every product is the same call
 * whichever thread makes it, and the corrections are applied in tap order. Not thread-safe: one instance per layer.
 */
final class CanvasConvolution {
  /** Bands of canvas rows the kernel convolves as one batch. */
  static final int BANDS = 2;

  private final int in;
  private final int out;
  private final int kernel;
  private final int half;
  /** The taps {@code (i, j) ≠ (h, h)} and, per tap, the frame segments of one patch ({@link Segments}). */
  private final int[] tapRow;
  private final int[] tapCol;
  private Segments[] segments;

  private DataType type;
  private int count = -1;
  /** Patches the frame buffers hold (the largest batch seen); a smaller batch uses views of them. */
  private int capacity;
  private int side = -1;
  private int height = -1;
  private int width = -1;
  private int bandRows;
  private int middle;
  /** First canvas row of each band. */
  private final int[] bandStart = new int[BANDS];
  /** The bands ({@code [BANDS, C, bandRows, width]}), their convolution and its gradient ({@code O} channels). */
  private INDArray bands;
  private INDArray zBands;
  private INDArray dzBands;
  private Object bandValues;
  private Object zValues;
  private Object dzValues;
  private Object patchValues;
  private Object gradValues;
  /** Per tap: the frame's neighbours ({@code C × L}), the tap's filter ({@code O × C}), products. */
  private INDArray[] neighbours;
  private INDArray[] tapFilters;
  private INDArray[] corrections;
  private INDArray[] frameGradients;
  /** Flat stores of the three per-tap frame matrices, sized for {@link #capacity} patches. */
  private INDArray[] neighbourStore;
  private INDArray[] correctionStore;
  private INDArray[] frameGradientStore;
  /** Per tap: ∂W's frame terms ({@code O × C}); the Java copies of the frame matrices. */
  private INDArray[] filterCorrections;
  private Object[] neighbourValues;
  private Object[] correctionValues;
  private Object[] frameGradientValues;
  /** The placement and the input of the last forward pass (whose bands the kernel holds transformed). */
  private PatchCanvas.Placement placed;
  private INDArray placedInput;
  /**
   * The weights or their gradient as doubles, {@code [O][C][k][k]}, and one tap's {@code O × C}: kept, not allocated
   * a step (3.1 MB each on k-edges, which G1 allocates as humongous objects on freshly zeroed pages).
   */
  private final double[] weightValues;
  private final double[] tapValues;

  /**
   * @param in input channels C
   * @param out output channels O
   * @param kernel the kernel side k (odd)
   */
  CanvasConvolution(int in, int out, int kernel) {
    ConvolutionKernel.requireShape("a canvas convolution", in, out, kernel);
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.half = kernel / 2;
    weightValues = new double[out * in * kernel * kernel];
    tapValues = new double[out * in];
    int taps = kernel * kernel - 1;
    tapRow = new int[taps];
    tapCol = new int[taps];
    int t = 0;
    for (int i = 0; i < kernel; i++) {
      for (int j = 0; j < kernel; j++) {
        if (i != half || j != half) {
          tapRow[t] = i;
          tapCol[t++] = j;
        }
      }
    }
  }

  /** Rows of each band of a canvas {@code height} rows high. */
  static int bandHeight(int height, int kernel) {
    return (height + 1) / 2 + kernel / 2;
  }

  /**
   * One patch's frame pixels for one tap: the pixels whose neighbour at offset {@code (di, dj)} lies outside the patch,
   * as runs of a row ({@code vertical} false) or of a column, each run's pixels given by its start and length.
   */
  private record Segments(int[] y, int[] x, int[] length, boolean[] vertical, int pixels) {
    static Segments of(int side, int di, int dj) {
      java.util.List<int[]> runs = new java.util.ArrayList<>();
      int rowsFrom = di < 0 ? 0 : side - di;
      int rowsTo = di < 0 ? -di : side;
      if (di != 0) {
        for (int y = rowsFrom; y < rowsTo; y++) {
          runs.add(new int[] {y, 0, side, 0});
        }
      }
      // The columns' runs skip the rows the row runs hold (their corners).
      int yFrom = di < 0 ? -di : 0;
      int yTo = di > 0 ? side - di : side;
      if (dj != 0 && yTo > yFrom) {
        int colsFrom = dj < 0 ? 0 : side - dj;
        int colsTo = dj < 0 ? -dj : side;
        for (int x = colsFrom; x < colsTo; x++) {
          runs.add(new int[] {yFrom, x, yTo - yFrom, 1});
        }
      }
      int n = runs.size();
      int[] y = new int[n];
      int[] x = new int[n];
      int[] length = new int[n];
      boolean[] vertical = new boolean[n];
      int pixels = 0;
      for (int r = 0; r < n; r++) {
        int[] run = runs.get(r);
        y[r] = run[0];
        x[r] = run[1];
        length[r] = run[2];
        vertical[r] = run[3] == 1;
        pixels += run[2];
      }
      return new Segments(y, x, length, vertical, pixels);
    }
  }

  private void fit(DataType t, PatchCanvas.Placement p) {
    boolean sameShape = t == type && p.side() == side && p.height() == height && p.width() == width;
    if (sameShape && p.count() == count) {
      return;
    }
    if (t != DataType.FLOAT && t != DataType.DOUBLE) {
      throw new IllegalArgumentException("the canvas convolution takes FLOAT or DOUBLE, got " + t);
    }
    if (p.height() < BANDS * kernel || p.width() < kernel || p.side() < kernel) {
      throw new IllegalArgumentException("a " + p.height() + "×" + p.width() + " canvas of " + p.side() + "×"
          + p.side() + " patches is too small for " + kernel + "×" + kernel + " kernels in " + BANDS + " bands");
    }
    count = p.count();
    placed = null;
    placedInput = null;
    int taps = tapRow.length;
    if (!sameShape || count > capacity) {
      // Buffers for the largest batch seen: an epoch's last, smaller batch uses views of them (no reallocation).
      capacity = sameShape ? Math.max(capacity, count) : count;
      type = t;
      side = p.side();
      height = p.height();
      width = p.width();
      bandRows = bandHeight(height, kernel);
      middle = (height + 1) / 2;
      bandStart[0] = 0;
      bandStart[1] = height - bandRows;
      segments = new Segments[taps];
      tapFilters = new INDArray[taps];
      filterCorrections = new INDArray[taps];
      neighbourStore = new INDArray[taps];
      correctionStore = new INDArray[taps];
      frameGradientStore = new INDArray[taps];
      neighbourValues = new Object[taps];
      correctionValues = new Object[taps];
      frameGradientValues = new Object[taps];
      try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        bands = Nd4j.createUninitialized(t, new long[] {BANDS, in, bandRows, width}, 'c');
        zBands = Nd4j.createUninitialized(t, new long[] {BANDS, out, bandRows, width}, 'c');
        dzBands = Nd4j.createUninitialized(t, new long[] {BANDS, out, bandRows, width}, 'c');
        for (int k = 0; k < taps; k++) {
          segments[k] = Segments.of(side, tapRow[k] - half, tapCol[k] - half);
          long frame = (long) capacity * segments[k].pixels();
          tapFilters[k] = Nd4j.createUninitialized(t, new long[] {out, in}, 'c');
          filterCorrections[k] = Nd4j.createUninitialized(t, new long[] {out, in}, 'c');
          neighbourStore[k] = Nd4j.createUninitialized(t, new long[] {in * frame}, 'c');
          correctionStore[k] = Nd4j.createUninitialized(t, new long[] {out * frame}, 'c');
          frameGradientStore[k] = Nd4j.createUninitialized(t, new long[] {out * frame}, 'c');
          neighbourValues[k] = Staging.array(t, (int) (in * frame));
          correctionValues[k] = Staging.array(t, (int) (out * frame));
          frameGradientValues[k] = Staging.array(t, (int) (out * frame));
        }
      }
      bandValues = Staging.array(t, BANDS * in * bandRows * width);
      zValues = Staging.array(t, BANDS * out * bandRows * width);
      dzValues = Staging.array(t, BANDS * out * bandRows * width);
      patchValues = Staging.array(t, capacity * Math.max(in, out) * side * side);
      gradValues = Staging.array(t, capacity * out * side * side);
    }
    // This batch's frame matrices: dense views of the first values of the stores.
    neighbours = new INDArray[taps];
    corrections = new INDArray[taps];
    frameGradients = new INDArray[taps];
    for (int k = 0; k < taps; k++) {
      long frame = (long) count * segments[k].pixels();
      neighbours[k] = prefix(neighbourStore[k], in, frame);
      corrections[k] = prefix(correctionStore[k], out, frame);
      frameGradients[k] = prefix(frameGradientStore[k], out, frame);
    }
  }

  /** The first {@code rows · columns} values of the flat {@code store} as a dense C-order matrix. */
  private static INDArray prefix(INDArray store, long rows, long columns) {
    return store.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows * columns)).reshape('c', rows, columns);
  }

  /** Values of a frame matrix of tap {@code tap} with {@code rows} rows for the current batch. */
  private int frameLength(int tap, int rows) {
    return rows * count * segments[tap].pixels();
  }

  /** The band holding canvas row {@code row}'s output. */
  private int owner(int row) {
    return row < middle ? 0 : 1;
  }

  /** Offset in a bands array of {@code channels} channels of canvas pixel ({@code row}, 0) in band {@code b}. */
  private int bandOffset(int b, int channels, int channel, int row) {
    return ((b * channels + channel) * bandRows + row - bandStart[b]) * width;
  }

  /**
   * {@code z = conv(x, W) + b} of each patch of {@code x} ({@code [n, C, side, side]}, placed by {@code p}), computed
   * on the canvas by {@code k}, a kernel of this shape.
   */
  void forward(ConvolutionKernel k, INDArray x, INDArray weights, INDArray bias, INDArray z,
      PatchCanvas.Placement p) {
    fit(x.dataType(), p);
    fillBands(x, p);
    k.forward(bands, weights, bias, zBands);
    placed = p;
    placedInput = x;
    Staging.read(zBands, 0, zValues, Staging.length(zValues));
    readTapFilters(weights);
    int plane = side * side;
    // Each patch's output from the bands that own its rows (by output channel), and each tap's frame product.
    int workers = PatchWorkers.workers(tapRow.length);
    PatchWorkers.run(workers, t -> {
      for (int o = out * t / workers; o < out * (t + 1) / workers; o++) {
        for (int i = 0; i < count; i++) {
          for (int y = 0; y < side; y++) {
            int row = p.top()[i] + y;
            System.arraycopy(zValues, bandOffset(owner(row), out, o, row) + p.left()[i], patchValues,
                (i * out + o) * plane + y * side, side);
          }
        }
      }
      for (int tap = t; tap < tapRow.length; tap += workers) {
        gatherNeighbours(tap, p);
        Nd4j.gemm(tapFilters[tap], neighbours[tap], corrections[tap], false, false, 1.0, 0.0);
        Staging.read(corrections[tap], 0, correctionValues[tap], frameLength(tap, out));
      }
    });
    // The frames' corrections, each output channel's in tap order.
    PatchWorkers.run(workers, t -> {
      for (int tap = 0; tap < tapRow.length; tap++) {
        applyFrame(tap, out * t / workers, out * (t + 1) / workers, correctionValues[tap], patchValues);
      }
    });
    write(patchValues, z);
  }

  /**
   * ∂W and ∂b (overwritten) given {@code dz} ({@code [n, O, side, side]}) of the patches of {@code x}, placed by
   * {@code p}; {@code afterForward}: the kernel's last forward pass was this instance's on the same {@code x} and
   * placement, so it reuses the transformed bands.
   */
  void backward(ConvolutionKernel k, INDArray x, INDArray weights, INDArray dz, INDArray dWeights, INDArray dBias,
      PatchCanvas.Placement p, boolean afterForward) {
    fit(x.dataType(), p);
    boolean reuse = afterForward && placed == p && placedInput == x;
    if (!reuse) {
      fillBands(x, p);
      readTapFilters(weights);
      int tapWorkers = PatchWorkers.workers(tapRow.length);
      PatchWorkers.run(tapWorkers, t -> {
        for (int tap = t; tap < tapRow.length; tap += tapWorkers) {
          gatherNeighbours(tap, p);
        }
      });
    }
    // Dz: each patch's ∂z added, patch by patch in batch order, into the band that owns each row (others stay 0).
    Staging.read(dz, 0, gradValues, count * out * side * side);
    toBands(gradValues, out, dzValues, dzBands, p, true);
    if (reuse) {
      k.backwardAfterForward(bands, weights, dzBands, dWeights, dBias, null);
    } else {
      k.backward(bands, weights, dzBands, dWeights, dBias, null);
    }
    int tapWorkers = PatchWorkers.workers(tapRow.length);
    PatchWorkers.run(tapWorkers, t -> {
      for (int tap = t; tap < tapRow.length; tap += tapWorkers) {
        gatherFrame(tap, p, gradValues, frameGradientValues[tap]);
        write(frameGradientValues[tap], frameGradients[tap]);
        Nd4j.gemm(frameGradients[tap], neighbours[tap], filterCorrections[tap], false, true, 1.0, 0.0);
      }
    });
    // ∂W[o, c, i, j] −= the frame's terms, tap by tap in order, in double.
    double[] dw = weightValues;
    NdBuffers.read(dWeights, dw);
    double[] part = tapValues;
    int taps2 = kernel * kernel;
    for (int tap = 0; tap < tapRow.length; tap++) {
      NdBuffers.read(filterCorrections[tap], part);
      int at = tapRow[tap] * kernel + tapCol[tap];
      for (int oc = 0; oc < out * in; oc++) {
        dw[oc * taps2 + at] -= part[oc];
      }
    }
    NdBuffers.write(dw, dWeights);
  }

  /** Writes {@code x}'s patches into the bands (each band gets the rows it spans), every other value 0. */
  private void fillBands(INDArray x, PatchCanvas.Placement p) {
    if (x.rank() != 4 || x.size(0) != count || x.size(1) != in || x.size(2) != side || x.size(3) != side
        || !NdBuffers.dense(x)) {
      throw new IllegalArgumentException("the canvas convolution expects a dense [" + count + ", " + in + ", " + side
          + ", " + side + "] batch, got " + java.util.Arrays.toString(x.shape()));
    }
    Object values = p.values() != null && Staging.length(p.values()) >= count * in * side * side
        && p.values().getClass() == patchValues.getClass() ? p.values() : patchValues;
    if (values == patchValues) {
      Staging.read(x, 0, patchValues, count * in * side * side);
    }
    toBands(values, in, bandValues, bands, p, false);
  }

  /**
   * Puts the patches' planes ({@code [n, channels, side, side]} in {@code patches}) on the bands, every other value
   * 0, and writes the bands into {@code target}: each patch row into every band that spans it ({@code sum} false: the
   * input), or added into the band that owns it, patch by patch in batch order ({@code sum} true: ∂z). Channels are
   * dealt to the workers, each zeroing, filling and writing out its own channels, so the values do not depend on the
   * thread count.
   */
  private void toBands(Object patches, int channels, Object values, INDArray target, PatchCanvas.Placement p,
      boolean sum) {
    int plane = side * side;
    int bandPlane = bandRows * width;
    int workers = PatchWorkers.workers(channels);
    PatchWorkers.run(workers, t -> {
      int first = channels * t / workers;
      int last = channels * (t + 1) / workers;
      for (int b = 0; b < BANDS; b++) {
        zero(values, bandOffset(b, channels, first, bandStart[b]), (last - first) * bandPlane);
      }
      for (int c = first; c < last; c++) {
        for (int i = 0; i < count; i++) {
          for (int y = 0; y < side; y++) {
            int row = p.top()[i] + y;
            int from = (i * channels + c) * plane + y * side;
            if (sum) {
              add(patches, from, values, bandOffset(owner(row), channels, c, row) + p.left()[i], side);
              continue;
            }
            for (int b = 0; b < BANDS; b++) {
              if (row >= bandStart[b] && row < bandStart[b] + bandRows) {
                System.arraycopy(patches, from, values, bandOffset(b, channels, c, row) + p.left()[i], side);
              }
            }
          }
        }
      }
      for (int b = 0; b < BANDS; b++) {
        int at = bandOffset(b, channels, first, bandStart[b]);
        Staging.write(values, at, target, at, (last - first) * bandPlane);
      }
    });
  }

  /** Each tap's filter {@code W[:, :, i, j]} as an {@code O × C} matrix. */
  private void readTapFilters(INDArray weights) {
    double[] w = weightValues;
    NdBuffers.read(weights, w);
    double[] m = tapValues;
    for (int tap = 0; tap < tapRow.length; tap++) {
      int at = tapRow[tap] * kernel + tapCol[tap];
      for (int oc = 0; oc < out * in; oc++) {
        m[oc] = w[oc * kernel * kernel + at];
      }
      NdBuffers.write(m, tapFilters[tap]);
    }
  }

  /**
   * The canvas values the frame pixels of every patch read through tap {@code tap}, {@code C × L} (column: patch by
   * patch, run by run), 0 off the canvas; read from the bands that own the rows (the bands hold the patches).
   */
  private void gatherNeighbours(int tap, PatchCanvas.Placement p) {
    Segments s = segments[tap];
    int di = tapRow[tap] - half;
    int dj = tapCol[tap] - half;
    int frame = count * s.pixels();
    Object dst = neighbourValues[tap];
    zero(dst, 0, frameLength(tap, in));
    for (int c = 0; c < in; c++) {
      int col = c * frame;
      for (int i = 0; i < count; i++) {
        for (int r = 0; r < s.y().length; r++) {
          int row = p.top()[i] + s.y()[r] + di;
          int column = p.left()[i] + s.x()[r] + dj;
          int n = s.length()[r];
          if (!s.vertical()[r]) {
            if (row >= 0 && row < height) {
              int from = Math.max(0, -column);
              int to = Math.min(n, width - column);
              if (to > from) {
                System.arraycopy(bandValues, bandOffset(owner(row), in, c, row) + column + from, dst, col + from,
                    to - from);
              }
            }
          } else if (column >= 0 && column < width) {
            for (int e = 0; e < n; e++) {
              int y = row + e;
              if (y >= 0 && y < height) {
                copyOne(bandValues, bandOffset(owner(y), in, c, y) + column, dst, col + e);
              }
            }
          }
          col += n;
        }
      }
    }
    write(dst, neighbours[tap]);
  }

  /** Gathers the frame pixels of tap {@code tap} from {@code patches} ({@code [n, O, side, side]}) into {@code O × L}. */
  private void gatherFrame(int tap, PatchCanvas.Placement p, Object patches, Object dst) {
    Segments s = segments[tap];
    int frame = count * s.pixels();
    int plane = side * side;
    for (int o = 0; o < out; o++) {
      int col = o * frame;
      for (int i = 0; i < count; i++) {
        int base = (i * out + o) * plane;
        for (int r = 0; r < s.y().length; r++) {
          int at = base + s.y()[r] * side + s.x()[r];
          int n = s.length()[r];
          if (!s.vertical()[r]) {
            System.arraycopy(patches, at, dst, col, n);
          } else {
            for (int e = 0; e < n; e++) {
              copyOne(patches, at + e * side, dst, col + e);
            }
          }
          col += n;
        }
      }
    }
  }

  /** Subtracts the frame values {@code values} ({@code O × L}) of output channels {@code [from, to)} from the patches. */
  private void applyFrame(int tap, int from, int to, Object values, Object patches) {
    Segments s = segments[tap];
    int frame = count * s.pixels();
    int plane = side * side;
    for (int o = from; o < to; o++) {
      int col = o * frame;
      for (int i = 0; i < count; i++) {
        int base = (i * out + o) * plane;
        for (int r = 0; r < s.y().length; r++) {
          int at = base + s.y()[r] * side + s.x()[r];
          int n = s.length()[r];
          int step = s.vertical()[r] ? side : 1;
          if (values instanceof float[] v) {
            float[] d = (float[]) patches;
            for (int e = 0; e < n; e++) {
              d[at + e * step] -= v[col + e];
            }
          } else {
            double[] v = (double[]) values;
            double[] d = (double[]) patches;
            for (int e = 0; e < n; e++) {
              d[at + e * step] -= v[col + e];
            }
          }
          col += n;
        }
      }
    }
  }

  private static void copyOne(Object src, int from, Object dst, int to) {
    if (src instanceof float[] f) {
      ((float[]) dst)[to] = f[from];
    } else {
      ((double[]) dst)[to] = ((double[]) src)[from];
    }
  }

  private static void add(Object src, int from, Object dst, int to, int length) {
    if (src instanceof float[] f) {
      float[] d = (float[]) dst;
      for (int e = 0; e < length; e++) {
        d[to + e] += f[from + e];
      }
    } else {
      double[] f = (double[]) src;
      double[] d = (double[]) dst;
      for (int e = 0; e < length; e++) {
        d[to + e] += f[from + e];
      }
    }
  }

  private static void zero(Object a) {
    zero(a, 0, Staging.length(a));
  }

  private static void zero(Object a, int from, int length) {
    if (a instanceof float[] f) {
      java.util.Arrays.fill(f, from, from + length, 0f);
    } else {
      java.util.Arrays.fill((double[]) a, from, from + length, 0.0);
    }
  }

  /** Writes the first {@code a.length()} values of {@code src} into dense {@code a} of the same type. */
  private static void write(Object src, INDArray a) {
    if (src instanceof float[] f) {
      NdBuffers.write(f, a);
    } else {
      NdBuffers.write((double[]) src, a);
    }
  }
}
