package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.api.java.JavaSparkContext;
import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * Parameter averaging's workers make DAEU's steps with the plain trainer: the same network, bit for bit, as when
 * every step goes through DL4J's {@code fit}, across exchanges of parameters and RMSprop state.
 */
class BarrierAveragingStepsTest {

  @Test
  void plainStepsEqualDl4jStepsThroughTheExchanges() {
    SpectrumImage image = SyntheticGenerator.generate(
        SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32).withBlock(8), 5).image();
    int b = image.channels();
    WindowSample sample = WindowSample.ofSpectra(java.util.Arrays.copyOf(image.data(), 500 * b), b);
    DaeuOptions o = new DaeuOptions(3, 7, 3, 12, 500, 3e-3);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    BarrierAveraging.Result plain = BarrierAveraging.train(sc, sample, o, AutoencoderFit.rmsProp(3e-3), 2, 3, "s",
        false);
    BarrierAveraging.Result dl4j = BarrierAveraging.train(sc, sample, o, AutoencoderFit.rmsProp(3e-3), 2, 3, "s",
        true);
    assertEquals(3 * 7, plain.timing().rounds());
    assertArrayEquals(dl4j.outcome().network().params().toFloatVector(),
        plain.outcome().network().params().toFloatVector());
    assertArrayEquals(dl4j.outcome().losses(), plain.outcome().losses());
    assertArrayEquals(dl4j.outcome().network().getUpdater().getStateViewArray().toFloatVector(),
        plain.outcome().network().getUpdater().getStateViewArray().toFloatVector());
  }
}
