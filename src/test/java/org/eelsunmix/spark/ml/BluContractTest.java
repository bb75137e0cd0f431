package org.eelsunmix.spark.ml;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.unmix.Blu;

/**
 * BLU keeps the stage contract bit for bit (tolerance 0): the Spark fit is the in-memory chain of {@link Blu#fit}
 * for 1, 2 and 7 partitions, and the saved model's transform is {@link org.eelsunmix.unmix.BluApply} in memory.
 */
class BluContractTest extends UnmixingStageContract<BluModel> {
  /** Stage writers find the session with getOrCreate: make sure the test session exists first. */
  @org.junit.jupiter.api.BeforeAll
  static void session() {
    org.eelsunmix.spark.TestSpark.session();
  }

  @Override
  protected BluEstimator estimator() {
    return new BluEstimator().setNumEndmembers(3).setSeed(5).setSweeps(8).setBurnIn(3);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    return Blu.fit(image, new Blu.Options(3, 5, 8, 3, 1)).endmembers().matrix();
  }

  @Override
  protected double[] referenceTransform(BluModel model, SpectrumImage image) {
    return model.sampler().image(image)[0].values();
  }

  @Override
  protected double tolerance() {
    return 0;
  }
}
