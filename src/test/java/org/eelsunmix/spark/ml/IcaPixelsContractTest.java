package org.eelsunmix.spark.ml;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.unmix.FastIca;
import org.eelsunmix.unmix.IndependentComponents;

/**
 * ICA with {@code domain = pixels} keeps the stage contract: the mixing spectra of {@link FastIca#fit}, and on new
 * pixels the learned whitening and unmixing applied to them ({@link IndependentComponents#sources}).
 */
class IcaPixelsContractTest extends UnmixingStageContract<IcaModel> {
  @Override
  protected Ica estimator() {
    return new Ica().setNumEndmembers(3).setSeed(5).setDomain(Ica.PIXELS);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    return FastIca.fit(image, estimator().options()).mixing();
  }

  @Override
  protected double[] referenceTransform(IcaModel model, SpectrumImage image) {
    return IcaContractTest.sources(model.components(), image);
  }

  @Override
  protected double tolerance() {
    return 1e-7; // FastICA iterates on sums taken in another order: the fixed point agrees to ~1e-8
  }
}
