package org.eelsunmix.spark.ml;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.unmix.FactorIca;
import org.eelsunmix.unmix.SourceSeparation;

/**
 * ICA in its default domain (HyperSpy's BSS of the SVD factors) keeps the stage contract: the BSS factors of
 * {@link FactorIca#fit}, and on new pixels the BSS loadings ({@link SourceSeparation#sources}).
 */
class IcaContractTest extends UnmixingStageContract<IcaModel> {
  @Override
  protected Ica estimator() {
    return new Ica().setNumEndmembers(3).setSeed(5);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    return FactorIca.fit(image, estimator().options()).mixing();
  }

  @Override
  protected double[] referenceTransform(IcaModel model, SpectrumImage image) {
    return sources(model.components(), image);
  }

  /** The model's sources of every pixel of {@code image}, in memory, raster order. */
  static double[] sources(SourceSeparation s, SpectrumImage image) {
    return s.maps(image).values();
  }

  @Override
  protected double tolerance() {
    return 1e-7; // FastICA iterates on moments summed in another order: the fixed point agrees to ~1e-8
  }
}
