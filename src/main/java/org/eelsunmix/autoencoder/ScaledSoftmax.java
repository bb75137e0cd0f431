package org.eelsunmix.autoencoder;

/**
 * The abundance layer of MTAEU and CNNAEU (Palsson et al., IEEE Access 2019 and IEEE TGRS 2021): a softmax of the
 * scaled inputs, {@code a_k = exp(s z_k) / Σ_j exp(s z_j)} with {@code s = }{@value #PAPER_SCALE} in both papers,
 * so {@code a ≥ 0} and {@code Σ a = 1}. Backward: {@code ∂L/∂z_k = s a_k (∂L/∂a_k − Σ_j a_j ∂L/∂a_j)}.
 *
 * <p>One pixel's {@code count} values sit {@code stride} apart from {@code base} (stride 1 for a row of a dense batch,
 * height × width for the channels of an NCHW image). Plain Java, double accumulation, no allocation.
 */
public final class ScaledSoftmax {
  /** The scale of both papers' softmax. */
  public static final double PAPER_SCALE = 3.0;

  private ScaledSoftmax() {}

  /** {@code a = softmax(s·z)} for one pixel; {@code a} may be {@code z}. */
  public static void forward(float[] z, int base, int stride, int count, double scale, float[] a) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < count; k++) {
      max = Math.max(max, scale * z[base + k * stride]);
    }
    double sum = 0;
    for (int k = 0; k < count; k++) {
      sum += Math.exp(scale * z[base + k * stride] - max);
    }
    for (int k = 0; k < count; k++) {
      int i = base + k * stride;
      a[i] = (float) (Math.exp(scale * z[i] - max) / sum);
    }
  }

  /** ∂L/∂z of one pixel from its softmax output {@code a} and ∂L/∂a; {@code dz} may be {@code da}. */
  public static void backward(float[] a, float[] da, int base, int stride, int count, double scale, float[] dz) {
    double projected = 0;
    for (int k = 0; k < count; k++) {
      int i = base + k * stride;
      projected += (double) a[i] * da[i];
    }
    for (int k = 0; k < count; k++) {
      int i = base + k * stride;
      dz[i] = (float) (scale * a[i] * (da[i] - projected));
    }
  }
}
