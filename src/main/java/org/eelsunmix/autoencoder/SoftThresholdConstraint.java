package org.eelsunmix.autoencoder;

import java.nio.FloatBuffer;
import java.util.Set;
import org.deeplearning4j.nn.conf.constraint.BaseConstraint;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps the encoder's learned soft thresholds α non-negative (the reference's non-negativity constraint on its
 * "sparse ReLU"): after each update, α ← max(α, 0). α is the last R values of the encoder's
 * {@value AbundanceEncoderParams#TRAINED} parameter ({@link AbundanceEncoderKernel}'s layout); the other trained
 * values are left alone. A DL4J {@link BaseConstraint}, so it travels with the network configuration.
 */
public class SoftThresholdConstraint extends BaseConstraint {
  private static final long serialVersionUID = 1L;
  private int endmembers;

  /** For JSON deserialisation. */
  public SoftThresholdConstraint() {
    super(Set.of(AbundanceEncoderParams.TRAINED));
  }

  /** The constraint for an encoder of {@code endmembers} abundances. */
  public SoftThresholdConstraint(int endmembers) {
    this();
    this.endmembers = endmembers;
  }

  public int getEndmembers() {
    return endmembers;
  }

  public void setEndmembers(int endmembers) {
    this.endmembers = endmembers;
  }

  @Override
  public void apply(INDArray trained) {
    if (!NdBuffers.dense(trained) || trained.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("soft-threshold constraint expects the encoder's dense float parameters");
    }
    FloatBuffer b = trained.data().asNioFloat();
    int end = (int) (trained.offset() + trained.length());
    for (int i = end - endmembers; i < end; i++) {
      if (b.get(i) < 0f) {
        b.put(i, 0f);
      }
    }
  }

  @Override
  public SoftThresholdConstraint clone() {
    SoftThresholdConstraint c = new SoftThresholdConstraint(endmembers);
    c.setParams(getParams());
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SoftThresholdConstraint c && c.endmembers == endmembers;
  }

  @Override
  public int hashCode() {
    return 31 * SoftThresholdConstraint.class.hashCode() + endmembers;
  }
}
