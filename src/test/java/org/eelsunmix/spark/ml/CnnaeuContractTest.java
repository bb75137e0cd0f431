package org.eelsunmix.spark.ml;

import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.SpectrumImage;

/**
 * CNNAEU keeps the stage contract: in-memory training on the square patches drawn from the image's grid (a small
 * network), and {@link Cnnaeu#abundances} (one pass over the image) on new acquisitions, which the tiled Spark
 * inference must equal.
 */
class CnnaeuContractTest extends UnmixingStageContract<AutoencoderModel> {
  @Override
  protected CnnaeuEstimator estimator() {
    CnnaeuEstimator e = new CnnaeuEstimator().setPatchSize(8).setFilters(8).setDecoderSize(3);
    return e.setNumEndmembers(3).setSeed(2).setEpochs(1).setSamples(10).setBatchSize(5).setRestarts(1);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    CnnaeuOptions o = estimator().options();
    return o.decoderEndmembers(AutoencoderFit.fit(o, WindowSample.of(image,
        o.drawWindows(image.width(), image.height(), image.id()), o.windowPixels()), "reference").network());
  }

  @Override
  protected double[] referenceTransform(AutoencoderModel model, SpectrumImage image) {
    return Cnnaeu.abundances(model.network(), image).values();
  }

  @Override
  protected double tolerance() {
    return 1e-6;
  }
}
