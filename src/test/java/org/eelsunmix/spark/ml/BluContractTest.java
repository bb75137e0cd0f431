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

  /** The whole chain, not only its mean: σ² and log-likelihood of every sweep, the bands, two chains' R-hat. */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0} partitions")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 5})
  void theChainIsBitIdenticalForAnyPartitioning(int partitions) {
    Blu.Outcome expected = Blu.fit(FIRST, new Blu.Options(3, 9, 6, 2, 2)).outcome();
    BluModel.Posterior actual = estimator().setSeed(9).setSweeps(6).setBurnIn(2).setChains(2)
        .fit(table(FIRST, partitions)).posterior();
    for (int c = 0; c < 2; c++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected.noiseTrace()[c], actual.noiseTrace()[c], 0);
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected.logLikelihood()[c], actual.logLikelihood()[c], 0);
    }
    for (int r = 0; r < 3; r++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected.endmemberStd()[r], actual.endmemberStd()[r], 0);
    }
    org.junit.jupiter.api.Assertions.assertEquals(expected.rHatNoise(), actual.rHatNoise(), 0);
  }

  @Override
  protected double tolerance() {
    return 0;
  }
}
