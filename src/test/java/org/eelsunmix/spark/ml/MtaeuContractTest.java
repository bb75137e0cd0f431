package org.eelsunmix.spark.ml;

import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.SpectrumImage;

/**
 * MTAEU keeps the stage contract: in-memory training on the 2×2 neighbourhoods drawn from the image's grid, and
 * {@link Mtaeu#abundances} (each pixel's mean over its neighbourhoods) on new acquisitions.
 */
class MtaeuContractTest extends UnmixingStageContract<AutoencoderModel> {
  @Override
  protected MtaeuEstimator estimator() {
    return new MtaeuEstimator().setNumEndmembers(3).setSeed(4).setEpochs(2).setSamples(120).setRestarts(1);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    MtaeuOptions o = estimator().options();
    return o.decoderEndmembers(AutoencoderFit.fit(o, WindowSample.of(image,
        o.drawWindows(image.width(), image.height(), image.id()), o.windowPixels()), "reference").network());
  }

  @Override
  protected double[] referenceTransform(AutoencoderModel model, SpectrumImage image) {
    return Mtaeu.abundances(model.network(), image).values();
  }

  @Override
  protected double tolerance() {
    return 1e-6;
  }
}
