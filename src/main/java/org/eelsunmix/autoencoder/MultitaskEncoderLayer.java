package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The DL4J layer of {@link MultitaskEncoder} (MTAEU): a {@link FusedEncoderLayer} of a
 * {@link MultitaskEncoderKernel} (batches of {@code 4n} rows, task-major), whose noise and dropout generator is
 * seeded from the network's seed.
 */
public class MultitaskEncoderLayer extends FusedEncoderLayer<MultitaskEncoder> {
  private static final long serialVersionUID = 1L;

  public MultitaskEncoderLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  protected EncoderKernel newKernel() {
    MultitaskEncoder c = layerConf();
    return new MultitaskEncoderKernel((int) c.getNIn(), (int) c.getNOut(), conf().getSeed());
  }
}
