package org.eelsunmix.autoencoder;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The leaky rectifier of CNNAEU's encoder (Maas, Hannun &amp; Ng, ICML 2013 workshop; slope α = 0.02) on dense
 * NCHW batches in plain Java, patches dealt to the {@link PatchWorkers}, each value computed alone (the same bits
 * whatever the threads), values read and written through per-worker staging arrays in the batch's type:
 *
 * <pre>
 *   a = z &lt; 0 ? α·z : z                  (α in the batch's type)
 *   ∂z = z ≥ 0 ? ∂a : α′·∂a                (α′ = α rounded to float, in the batch's type)
 * </pre>
 * bit for bit DL4J's {@code ActivationLReLU} (its forward and backward ops, measured on ±0 and random values in
 * float and double: DL4J's backward op takes its slope as a float also for double arrays; {@code FusedConvolutionTest}
 * checks it), which ran on the calling thread with an assign and a fresh array each way. Not thread-safe: one
 * instance per layer.
 */
final class LeakyRelu {
  private final double alpha;
  private Object[] first = new Object[0];
  private Object[] second = new Object[0];

  LeakyRelu(double alpha) {
    this.alpha = alpha;
  }

  /** Per-worker staging arrays of {@code length} values of {@code like}'s type. */
  private void fit(INDArray like, int workers, int length) {
    Object probe = first.length > 0 ? first[0] : null;
    if (probe == null || first.length < workers || Staging.length(probe) != length
        || (probe instanceof float[]) != (like.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT)) {
      first = new Object[workers];
      second = new Object[workers];
      for (int t = 0; t < workers; t++) {
        first[t] = Staging.array(like.dataType(), length);
        second[t] = Staging.array(like.dataType(), length);
      }
    }
  }

  /** {@code a = f(z)} ({@code a} may be {@code z}); both dense, of one shape and type, patches along dimension 0. */
  void forward(INDArray z, INDArray a) {
    int n = (int) z.size(0);
    int length = (int) (z.length() / n);
    int workers = PatchWorkers.workers(n);
    fit(z, workers, length);
    Staging.Runs runs = Staging.runs(a, 1);
    float slopeF = (float) alpha;
    PatchWorkers.run(workers, t -> {
      Object v = first[t];
      for (int i = t; i < n; i += workers) {
        Staging.read(z, (long) i * length, v, length);
        if (v instanceof float[] f) {
          for (int k = 0; k < length; k++) {
            float x = f[k];
            f[k] = x < 0 ? slopeF * x : x;
          }
        } else {
          double[] d = (double[]) v;
          for (int k = 0; k < length; k++) {
            double x = d[k];
            d[k] = x < 0 ? alpha * x : x;
          }
        }
        runs.copy(v, 0, i * length, length);
      }
    });
  }

  /** {@code dz = f'(z) ⊙ da}; all dense, of one shape and type. */
  void backward(INDArray z, INDArray da, INDArray dz) {
    int n = (int) z.size(0);
    int length = (int) (z.length() / n);
    int workers = PatchWorkers.workers(n);
    fit(z, workers, length);
    Staging.Runs runs = Staging.runs(dz, 1);
    float slopeF = (float) alpha;
    double slopeD = slopeF;
    PatchWorkers.run(workers, t -> {
      Object v = first[t];
      Object e = second[t];
      for (int i = t; i < n; i += workers) {
        Staging.read(z, (long) i * length, v, length);
        Staging.read(da, (long) i * length, e, length);
        if (v instanceof float[] f) {
          float[] g = (float[]) e;
          for (int k = 0; k < length; k++) {
            g[k] = f[k] >= 0 ? g[k] : slopeF * g[k];
          }
        } else {
          double[] d = (double[]) v;
          double[] g = (double[]) e;
          for (int k = 0; k < length; k++) {
            g[k] = d[k] >= 0 ? g[k] : slopeD * g[k];
          }
        }
        runs.copy(e, 0, i * length, length);
      }
    });
  }
}
