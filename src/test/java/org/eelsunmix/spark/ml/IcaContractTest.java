package org.eelsunmix.spark.ml;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.unmix.FastIca;
import org.eelsunmix.unmix.IndependentComponents;

/**
 * ICA keeps the stage contract: the mixing spectra of {@link FastIca#fit}, and on new pixels the learned whitening
 * and unmixing applied to them ({@link IndependentComponents#sources}).
 */
class IcaContractTest extends UnmixingStageContract<IcaModel> {
  @Override
  protected Ica estimator() {
    return new Ica().setNumEndmembers(3).setSeed(5);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    return FastIca.fit(image, estimator().options()).mixing();
  }

  @Override
  protected double[] referenceTransform(IcaModel model, SpectrumImage image) {
    IndependentComponents ic = model.components();
    int r = ic.count();
    int b = image.channels();
    double[] out = new double[image.pixels() * r];
    double[] s = new double[r];
    for (int p = 0; p < image.pixels(); p++) {
      ic.sources(image.data(), p * b, s);
      System.arraycopy(s, 0, out, p * r, r);
    }
    return out;
  }

  @Override
  protected double tolerance() {
    return 1e-7; // FastICA iterates on sums taken in another order: the fixed point agrees to ~1e-8
  }
}
