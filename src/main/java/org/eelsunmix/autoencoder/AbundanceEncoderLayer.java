package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;

/** The DL4J layer of {@link AbundanceEncoder} (DAEU): a {@link FusedEncoderLayer} of an {@link AbundanceEncoderKernel}. */
public class AbundanceEncoderLayer extends FusedEncoderLayer<AbundanceEncoder> {
  private static final long serialVersionUID = 1L;

  public AbundanceEncoderLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  protected EncoderKernel newKernel() {
    AbundanceEncoder c = layerConf();
    return new AbundanceEncoderKernel((int) c.getNIn(), (int) c.getNOut());
  }
}
