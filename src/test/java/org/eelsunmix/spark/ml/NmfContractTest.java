package org.eelsunmix.spark.ml;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.unmix.Nmf;
import org.eelsunmix.unmix.NmfAbundances;

/**
 * NMF keeps the stage contract: the components of {@link Nmf#fit} (scikit-learn's loop), and on new pixels
 * scikit-learn's {@code NMF.transform}: the coefficients for the learned components, pixel by pixel
 * ({@link NmfAbundances}), as fractions of the fitted counts.
 */
class NmfContractTest extends UnmixingStageContract<NmfModel> {
  @Override
  protected NmfEstimator estimator() {
    return new NmfEstimator().setNumEndmembers(3).setSeed(5).setMaxIter(60).setSumToOne(true);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    // The raw components: sumToOne only changes how abundances are reported, not the fit.
    return Nmf.fit(image, estimator().options().withSumToOne(false)).unmixing().endmembers().matrix();
  }

  @Override
  protected double[] referenceTransform(NmfModel model, SpectrumImage image) {
    NmfAbundances kernel = model.abundanceSolver();
    int r = kernel.components();
    int b = image.channels();
    double[] out = new double[image.pixels() * r];
    double[] work = new double[kernel.workLength()];
    for (int p = 0; p < image.pixels(); p++) {
      kernel.solve(image.data(), p * b, out, p * r, work);
    }
    return out;
  }
}
