package org.eelsunmix.autoencoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 1×1 convolution with bias ({@link ConvolutionKernel} with {@code k = 1}, CNNAEU's filters → R layer: Palsson,
 * Ulfarsson &amp; Sveinsson, IEEE TGRS 59(1), 2021), pixel by pixel a dense layer over the channels, in plain Java:
 *
 * <pre>
 *   z[n,o,p] = b[o] + Σ_c W[o,c]·x[n,c,p]
 *   ∂W[o,c] = Σ_{n,p} ∂z[n,o,p]·x[n,c,p],   ∂b[o] = Σ_{n,p} ∂z[n,o,p],   ∂x[n,c,p] = Σ_o W[o,c]·∂z[n,o,p]
 * </pre>
 * With O = R = 3 or 4 outputs, im2col + BLAS ({@link SameConvolution}) spent its time in calls and in GEMMs of
 * three rows (≈ 7 ms of a co-ru-pt training step, one thread); here each patch is a few passes over its planes. Every
 * sum is in double in a fixed order (channels in order for z and ∂x, written as whole-plane loops the JIT vectorises;
 * ∂W and ∂b as four interleaved partial sums over the pixels, {@code (s₀ + s₁) + (s₂ + s₃)}), so the results are
 * the closed forms above to double rounding, then rounded once to the array's type. Patches are dealt to the
 * {@link PatchWorkers}; the per-patch ∂W and ∂b are kept apart and summed in patch order, so the results do not depend
 * on the thread count, bit for bit. Work arrays are made once per shape. Not thread-safe: one instance per layer.
 */
final class PointwiseConvolution implements ConvolutionKernel {
  private final int in;
  private final int out;
  private DataType type;
  private int plane = -1;
  private int capacity;
  private Worker[] workers = new Worker[0];
  /** Per-patch weight gradients {@code [n][O·C]} and bias gradients {@code [n][O]}. */
  private double[][] weightSlots = new double[0][];
  private double[][] biasSlots = new double[0][];
  private final double[] weights;
  private final double[] bias;
  private final double[] sums;
  private final double[] biasSums;

  /** Buffers of one worker: a patch's planes as doubles, and a staging plane of the batch's type. */
  private final class Worker {
    final double[][] x = new double[in][plane];
    final double[][] d = new double[Math.max(in, out)][plane];
    final Object stage = Staging.array(type, plane);
  }

  PointwiseConvolution(int in, int out) {
    ConvolutionKernel.requireShape("a 1×1 convolution", in, out, 1);
    this.in = in;
    this.out = out;
    this.weights = new double[out * in];
    this.bias = new double[out];
    this.sums = new double[out * in];
    this.biasSums = new double[out];
  }

  private void fit(DataType t, int patches, int area) {
    if (t != type || area != plane) {
      type = t;
      plane = area;
      workers = new Worker[0];
    }
    int needed = PatchWorkers.workers(patches);
    if (workers.length < needed) {
      Worker[] grown = java.util.Arrays.copyOf(workers, needed);
      for (int i = workers.length; i < needed; i++) {
        grown[i] = new Worker();
      }
      workers = grown;
    }
    if (patches > capacity) {
      weightSlots = new double[patches][out * in];
      biasSlots = new double[patches][out];
      capacity = patches;
    }
  }

  private void check(INDArray a, String what, long channels) {
    if (a.rank() != 4 || a.size(1) != channels || !NdBuffers.dense(a)
        || (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE)) {
      throw new IllegalArgumentException(what + " must be a dense C-order FLOAT or DOUBLE [n, " + channels
          + ", h, w] array, got " + a.dataType() + " " + java.util.Arrays.toString(a.shape()));
    }
  }

  /** Channels {@code [0, count)} of patch {@code i} of {@code a} ({@code channels} per patch) into {@code rows}. */
  private void readPlanes(INDArray a, int i, int channels, int count, double[][] rows, Worker wk) {
    for (int c = 0; c < count; c++) {
      Staging.read(a, ((long) i * channels + c) * plane, wk.stage, plane);
      double[] row = rows[c];
      if (wk.stage instanceof float[] f) {
        for (int p = 0; p < plane; p++) {
          row[p] = f[p];
        }
      } else {
        System.arraycopy((double[]) wk.stage, 0, row, 0, plane);
      }
    }
  }

  /** {@code row} into channel {@code c} of patch {@code i} of {@code a}, in its type. */
  private void writePlane(double[] row, Staging.Runs runs, int i, int channels, int c, Worker wk) {
    if (wk.stage instanceof float[] f) {
      for (int p = 0; p < plane; p++) {
        f[p] = (float) row[p];
      }
    } else {
      System.arraycopy(row, 0, (double[]) wk.stage, 0, plane);
    }
    runs.copy(wk.stage, 0, Math.toIntExact(((long) i * channels + c) * plane), plane);
  }

  private void readWeights(INDArray w) {
    if (w.length() != weights.length || !NdBuffers.dense(w)) {
      throw new IllegalArgumentException("the weights must be dense [" + out + ", " + in + ", 1, 1], got "
          + java.util.Arrays.toString(w.shape()));
    }
    NdBuffers.read(w, weights);
  }

  @Override
  public void forward(INDArray x, INDArray w, INDArray b, INDArray z) {
    check(x, "the input", in);
    check(z, "the output", out);
    int n = (int) x.size(0);
    fit(x.dataType(), n, (int) (x.size(2) * x.size(3)));
    readWeights(w);
    if (b != null) {
      NdBuffers.read(b, bias);
    } else {
      java.util.Arrays.fill(bias, 0.0);
    }
    Staging.Runs runs = Staging.runs(z, 1);
    int threads = PatchWorkers.workers(n);
    PatchWorkers.run(threads, t -> {
      Worker wk = workers[t];
      for (int i = t; i < n; i += threads) {
        readPlanes(x, i, in, in, wk.x, wk);
        double[] row = wk.d[0];
        for (int o = 0; o < out; o++) {
          java.util.Arrays.fill(row, bias[o]);
          for (int c = 0; c < in; c++) {
            multiplyAdd(weights[o * in + c], wk.x[c], row, plane);
          }
          writePlane(row, runs, i, out, o, wk);
        }
      }
    });
  }

  @Override
  public void backward(INDArray x, INDArray w, INDArray dz, INDArray dW, INDArray dB, INDArray dx) {
    check(x, "the input", in);
    check(dz, "the output gradient", out);
    if (dx != null) {
      check(dx, "the input gradient", in);
    }
    int n = (int) x.size(0);
    fit(x.dataType(), n, (int) (x.size(2) * x.size(3)));
    readWeights(w);
    Staging.Runs runs = dx == null ? null : Staging.runs(dx, 1);
    int threads = PatchWorkers.workers(n);
    PatchWorkers.run(threads, t -> {
      Worker wk = workers[t];
      for (int i = t; i < n; i += threads) {
        readPlanes(x, i, in, in, wk.x, wk);
        readPlanes(dz, i, out, out, wk.d, wk);
        double[] slot = weightSlots[i];
        for (int o = 0; o < out; o++) {
          biasSlots[i][o] = dot(wk.d[o], null, plane);
          for (int c = 0; c < in; c++) {
            slot[o * in + c] = dot(wk.d[o], wk.x[c], plane);
          }
        }
        if (runs != null) {
          // ∂x channel by channel into the x rows, which are no longer needed.
          for (int c = 0; c < in; c++) {
            double[] acc = wk.x[c];
            java.util.Arrays.fill(acc, 0.0);
            for (int o = 0; o < out; o++) {
              multiplyAdd(weights[o * in + c], wk.d[o], acc, plane);
            }
            writePlane(acc, runs, i, in, c, wk);
          }
        }
      }
    });
    // Patch order, whatever the threads: bit-identical sums.
    System.arraycopy(weightSlots[0], 0, sums, 0, sums.length);
    for (int i = 1; i < n; i++) {
      add(weightSlots[i], sums);
    }
    NdBuffers.write(sums, dW);
    if (dB != null) {
      System.arraycopy(biasSlots[0], 0, biasSums, 0, out);
      for (int i = 1; i < n; i++) {
        add(biasSlots[i], biasSums);
      }
      NdBuffers.write(biasSums, dB);
    }
  }

  /** {@code acc += a·x} over {@code length} values. */
  private static void multiplyAdd(double a, double[] x, double[] acc, int length) {
    for (int p = 0; p < length; p++) {
      acc[p] += a * x[p];
    }
  }

  /** {@code Σ u[p]·v[p]} (or {@code Σ u[p]} when v is null) as four interleaved partial sums, {@code (s₀+s₁)+(s₂+s₃)}. */
  private static double dot(double[] u, double[] v, int length) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int p = 0;
    if (v == null) {
      for (; p + 3 < length; p += 4) {
        s0 += u[p];
        s1 += u[p + 1];
        s2 += u[p + 2];
        s3 += u[p + 3];
      }
      for (; p < length; p++) {
        s0 += u[p];
      }
    } else {
      for (; p + 3 < length; p += 4) {
        s0 += u[p] * v[p];
        s1 += u[p + 1] * v[p + 1];
        s2 += u[p + 2] * v[p + 2];
        s3 += u[p + 3] * v[p + 3];
      }
      for (; p < length; p++) {
        s0 += u[p] * v[p];
      }
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static void add(double[] from, double[] to) {
    for (int k = 0; k < to.length; k++) {
      to[k] += from[k];
    }
  }
}
