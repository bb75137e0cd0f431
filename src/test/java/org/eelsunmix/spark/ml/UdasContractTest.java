package org.eelsunmix.spark.ml;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.unmix.Udas;
import org.eelsunmix.unmix.UdasEncoder;

/**
 * uDAS keeps the stage contract: the distributed fit equals {@link Udas#fit} bit for bit (same driver loop, passes
 * over partitions, every sum order-independent), and on new pixels the trained encoder {@code relu(W1 y / m)}
 * pixel by pixel.
 */
class UdasContractTest extends UnmixingStageContract<UdasModel> {
  /** Bit-identical: every sum the driver sees is a {@link org.eelsunmix.unmix.FixedPointSum}. */
  @Override
  protected double tolerance() {
    return 0;
  }

  @Override
  protected UdasEstimator estimator() {
    return new UdasEstimator().setNumEndmembers(3).setSeed(5).setOuterIterations(3).setEncoderSteps(2);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    return Udas.fit(image, estimator().options()).unmixing().endmembers().matrix();
  }

  @Override
  protected double[] referenceTransform(UdasModel model, SpectrumImage image) {
    UdasEncoder kernel = model.encoder();
    int r = kernel.components();
    int b = image.channels();
    double[] out = new double[image.pixels() * r];
    double[] h = new double[r];
    for (int p = 0; p < image.pixels(); p++) {
      kernel.apply(image.data(), p * b, h);
      System.arraycopy(h, 0, out, p * r, r);
    }
    return out;
  }
}
