package org.eelsunmix.autoencoder;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A large dense layer ({@code in × out} weights, MTAEU's shared B × B layer) in {@link DenseMath}'s layout,
 * computed for a whole batch as ND4J (BLAS sgemm) products on buffers allocated once:
 *
 * <pre>Z = X W + 1 bᵀ        ∂W = Xᵀ ∂Z        ∂b = 1ᵀ ∂Z        ∂X = ∂Z Wᵀ</pre>
 *
 * <p>with {@code X} the {@code rows × in} batch and {@code W} the {@code in × out} weights (input-index major, inside
 * the flat float parameter vector). The output columns are cut into fixed blocks of at most
 * {@value #BLOCK_COLUMNS} ({@code W = [W₀ … W_k]}), each with its own buffers, and the blocks are dealt to
 * {@link PatchWorkers} threads: a block's products are the same whichever thread computes them, and ∂X, the one sum
 * across blocks ({@code Σ_k ∂Z_k W_kᵀ}), is accumulated in block order on the calling thread, so the results do not
 * depend on the thread count (with BLAS itself single-threaded, {@code OMP_NUM_THREADS=1}, as the project runs ND4J).
 * ∂b is summed in Java in row order, as {@link DenseMath} does.
 *
 * <p>Float arithmetic: the products equal {@link DenseMath}'s within float rounding (BLAS sums in another order and
 * with fused multiply-adds; each output is within {@code in · 2⁻²⁴ · Σ_i |x_i w_ij|} of the exact value), not bit for
 * bit, and a row's rounding depends on the rows batched with it (BLAS packs and blocks them; measured): use it
 * where the batch is fixed (a seeded training batch), not where a row must not depend on its neighbours
 * (inference of pixels however partitioned). Not thread-safe: one instance per layer (per kernel).
 */
final class DenseGemm {
  /** Widest column block: 903 outputs are four blocks of 226, so one, two or four threads share them evenly. */
  static final int BLOCK_COLUMNS = 256;

  private final int in;
  private final int out;
  private final Block[] blocks;
  private int capacity;
  private int viewRows = -1;
  /** The batch, {@code capacity × in}, and its first-rows view. */
  private INDArray x;
  private FloatBuffer xBuffer;
  private INDArray xRows;
  /** ∂X, made on first need (MTAEU's shared layer is the network's first: it needs none). */
  private INDArray dx;
  private FloatBuffer dxBuffer;
  private INDArray dxRows;

  /** Buffers of one column block {@code [from, from + width)}. */
  private static final class Block {
    final int from;
    final int width;
    final INDArray w;
    final FloatBuffer wBuffer;
    final INDArray dw;
    final FloatBuffer dwBuffer;
    INDArray z;
    FloatBuffer zBuffer;
    INDArray zRows;
    INDArray dz;
    FloatBuffer dzBuffer;
    INDArray dzRows;

    Block(int from, int width, int in) {
      this.from = from;
      this.width = width;
      w = Nd4j.createUninitialized(DataType.FLOAT, new long[] {in, width}, 'c');
      wBuffer = w.data().asNioFloat();
      dw = Nd4j.createUninitialized(DataType.FLOAT, new long[] {in, width}, 'c');
      dwBuffer = dw.data().asNioFloat();
    }

    void grow(int rows) {
      z = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, width}, 'c');
      zBuffer = z.data().asNioFloat();
      dz = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, width}, 'c');
      dzBuffer = dz.data().asNioFloat();
    }

    void view(int rows) {
      zRows = firstRows(z, rows);
      dzRows = firstRows(dz, rows);
    }

    /** Copies this block's columns of {@code W} (rows of {@code out} from {@code wOffset}) into {@link #w}. */
    void loadWeights(float[] params, int wOffset, int in, int out) {
      for (int i = 0; i < in; i++) {
        wBuffer.put(i * width, params, wOffset + i * out + from, width);
      }
    }
  }

  /**
   * @param in inputs per row
   * @param out outputs per row
   */
  DenseGemm(int in, int out) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("a dense layer needs in, out ≥ 1, got " + in + " × " + out);
    }
    this.in = in;
    this.out = out;
    int count = (out + BLOCK_COLUMNS - 1) / BLOCK_COLUMNS;
    blocks = new Block[count];
    try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
      for (int k = 0; k < count; k++) {
        // Widths differ by at most one column.
        int from = (int) ((long) out * k / count);
        int to = (int) ((long) out * (k + 1) / count);
        blocks[k] = new Block(from, to - from, in);
      }
    }
  }

  private static INDArray firstRows(INDArray a, int rows) {
    return a.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
  }

  /** Makes the batch buffers hold {@code rows} rows and the views cover exactly that many. */
  private void fit(int rows) {
    try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
      if (rows > capacity) {
        x = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, in}, 'c');
        xBuffer = x.data().asNioFloat();
        if (dx != null) {
          newDx(rows);
        }
        for (Block b : blocks) {
          b.grow(rows);
        }
        capacity = rows;
        viewRows = -1;
      }
      if (rows != viewRows) {
        xRows = firstRows(x, rows);
        if (dx != null) {
          dxRows = firstRows(dx, rows);
        }
        for (Block b : blocks) {
          b.view(rows);
        }
        viewRows = rows;
      }
    }
  }

  private void newDx(int rows) {
    dx = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, in}, 'c');
    dxBuffer = dx.data().asNioFloat();
  }

  private void needDx(int rows) {
    if (dx == null) {
      try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        newDx(capacity);
        dxRows = firstRows(dx, rows);
      }
    }
  }

  private void loadInput(float[] src, int base, int rows) {
    xBuffer.put(0, src, base, rows * in);
  }

  /**
   * {@code z[zBase + p·out + j] = Σ_i x[p][i] W[i][j] (+ b[j])} for {@code rows} rows, as
   * {@link DenseMath#forward} (same arguments, {@code in} and {@code out} fixed by this layer).
   *
   * @param biasOffset offset of the {@code out} biases in {@code params}, or −1 for no bias
   */
  void forward(float[] xs, int xBase, int rows, float[] params, int wOffset, int biasOffset, float[] z, int zBase) {
    fit(rows);
    loadInput(xs, xBase, rows);
    int workers = PatchWorkers.workers(blocks.length);
    PatchWorkers.run(workers, t -> {
      for (int k = t; k < blocks.length; k += workers) {
        Block b = blocks[k];
        b.loadWeights(params, wOffset, in, out);
        Nd4j.gemm(xRows, b.w, b.zRows, false, false, 1.0, 0.0);
        for (int p = 0; p < rows; p++) {
          int at = zBase + p * out + b.from;
          b.zBuffer.get(p * b.width, z, at, b.width);
          if (biasOffset >= 0) {
            for (int j = 0; j < b.width; j++) {
              z[at + j] += params[biasOffset + b.from + j];
            }
          }
        }
      }
    });
  }

  /**
   * Writes ∂L/∂W (and ∂L/∂b) of {@code rows} rows into their places in {@code gradient} and ∂L/∂x into {@code dxs}
   * (when not null), given ∂L/∂z in {@code dz}: {@link DenseMath#backward}'s arguments, but the layer's gradient is
   * overwritten, not added to (one bulk copy per weight row instead of a pass adding into the vector).
   */
  void backward(float[] xs, int xBase, int rows, float[] params, int wOffset, int biasOffset, float[] dz, int dzBase,
      float[] gradient, float[] dxs, int dxBase) {
    if (biasOffset >= 0) {
      Arrays.fill(gradient, biasOffset, biasOffset + out, 0f);
      for (int p = 0; p < rows; p++) {
        int dRow = dzBase + p * out;
        for (int j = 0; j < out; j++) {
          gradient[biasOffset + j] += dz[dRow + j];
        }
      }
    }
    fit(rows);
    if (dxs != null) {
      needDx(rows);
    }
    loadInput(xs, xBase, rows);
    int workers = PatchWorkers.workers(blocks.length);
    PatchWorkers.run(workers, t -> {
      for (int k = t; k < blocks.length; k += workers) {
        Block b = blocks[k];
        for (int p = 0; p < rows; p++) {
          b.dzBuffer.put(p * b.width, dz, dzBase + p * out + b.from, b.width);
        }
        Nd4j.gemm(xRows, b.dzRows, b.dw, true, false, 1.0, 0.0);
        for (int i = 0; i < in; i++) {
          b.dwBuffer.get(i * b.width, gradient, wOffset + i * out + b.from, b.width);
        }
        if (dxs != null) {
          b.loadWeights(params, wOffset, in, out);
        }
      }
    });
    if (dxs != null) {
      // Block order, whatever the threads.
      for (int k = 0; k < blocks.length; k++) {
        Nd4j.gemm(blocks[k].dzRows, blocks[k].w, dxRows, false, true, 1.0, k == 0 ? 0.0 : 1.0);
      }
      dxBuffer.get(0, dxs, dxBase, rows * in);
    }
  }
}
