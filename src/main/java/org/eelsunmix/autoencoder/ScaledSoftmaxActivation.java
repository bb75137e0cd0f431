package org.eelsunmix.autoencoder;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J activation {@code softmax(s·x)} over dimension 1 — the units of a {@code [n, R]} batch or the channels of an
 * NCHW {@code [n, R, h, w]} map, i.e. per pixel over the R abundances — computed by {@link ScaledSoftmax} (the one
 * implementation, shared with MTAEU's kernel). Used by CNNAEU's abundance layer (Palsson et al., IEEE TGRS 2021).
 * Serialisable in a network's JSON (no-arg constructor, bean property {@code scale}).
 */
public class ScaledSoftmaxActivation extends BaseActivationFunction {
  private static final long serialVersionUID = 1L;
  private double scale = ScaledSoftmax.PAPER_SCALE;

  /** The papers' scale, 3. */
  public ScaledSoftmaxActivation() {}

  public ScaledSoftmaxActivation(double scale) {
    this.scale = scale;
  }

  public double getScale() {
    return scale;
  }

  public void setScale(double scale) {
    this.scale = scale;
  }

  /** Groups (pixels), values per group and their stride for an array of {@code shape}. */
  private static long[] layout(INDArray a) {
    if (a.rank() == 2) {
      return new long[] {a.size(0), a.size(1), 1};
    }
    if (a.rank() == 4) {
      return new long[] {a.size(0) * a.size(2) * a.size(3), a.size(1), a.size(2) * a.size(3)};
    }
    throw new IllegalArgumentException("the scaled softmax takes [n, R] or [n, R, h, w] arrays, got shape "
        + java.util.Arrays.toString(a.shape()));
  }

  /** Base index of pixel {@code g} when the values of a group are {@code stride} apart. */
  private static int base(int g, int count, int stride) {
    return stride == 1 ? g * count : (g / stride) * count * stride + g % stride;
  }

  private float[] softmax(INDArray in, long[] l) {
    float[] values = new float[(int) in.length()];
    NdBuffers.read(in, values);
    int count = (int) l[1];
    int stride = (int) l[2];
    for (int g = 0; g < l[0]; g++) {
      ScaledSoftmax.forward(values, base(g, count, stride), stride, count, scale, values);
    }
    return values;
  }

  @Override
  public INDArray getActivation(INDArray in, boolean training) {
    float[] a = softmax(in, layout(in));
    INDArray out = NdBuffers.dense(in) ? in : Nd4j.createUninitialized(in.dataType(), in.shape(), 'c');
    NdBuffers.write(a, out);
    return out;
  }

  @Override
  public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
    assertShape(in, epsilon);
    long[] l = layout(in);
    float[] a = softmax(in, l);
    float[] d = new float[a.length];
    NdBuffers.read(epsilon, d);
    int count = (int) l[1];
    int stride = (int) l[2];
    for (int g = 0; g < l[0]; g++) {
      ScaledSoftmax.backward(a, d, base(g, count, stride), stride, count, scale, d);
    }
    INDArray dz = Nd4j.createUninitialized(in.dataType(), in.shape(), 'c');
    NdBuffers.write(d, dz);
    return new Pair<>(dz, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScaledSoftmaxActivation s && s.scale == scale;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(scale);
  }

  @Override
  public String toString() {
    return "softmax(" + scale + "x)";
  }
}
