package org.eelsunmix.spark.ml;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.Vca;

/** VCA-FCLS keeps the stage contract: VCA's endmembers of {@link Vca#fit}, FCLS abundances of {@link Fcls}. */
class VcaFclsContractTest extends UnmixingStageContract<VcaFclsModel> {
  @Override
  protected VcaFcls estimator() {
    return new VcaFcls().setNumEndmembers(3).setSeed(5);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    return Vca.fit(image, new Vca.Options(3, 5)).endmembers().matrix();
  }

  @Override
  protected double[] referenceTransform(VcaFclsModel model, SpectrumImage image) {
    return new Fcls(model.endmembers().matrix()).unmix(image).values();
  }
}
