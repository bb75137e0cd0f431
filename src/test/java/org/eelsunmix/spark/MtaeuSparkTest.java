package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.autoencoder.TrainedNetwork;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ml.AutoencoderModel;
import org.eelsunmix.spark.ml.MtaeuEstimator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTAEU on Spark: neighbourhoods drawn from Parquet pixel rows give the in-memory training exactly; the per-pixel
 * inference equals the in-memory maps; parameter averaging keeps the constraints; a saved model applies to the next
 * acquisition.
 */
class MtaeuSparkTest {
  /** 24 × 20: not square, so mirroring at the right and bottom edges is exercised on both sides. */
  private static final SpectrumImage FIRST = SpatialTestImages.image(0);
  private static final SpectrumImage SECOND = SpatialTestImages.image(1);

  private static Dataset<Row> parquet(Path dir, String name, int partitions, SpectrumImage... images) {
    return SpatialTestImages.parquet(dir, name, partitions, images);
  }

  private static MtaeuEstimator quick() {
    MtaeuEstimator e = new MtaeuEstimator();
    e.setNumEndmembers(3).setSeed(4).setEpochs(3).setSamples(200).setRestarts(1);
    return e;
  }

  @Test
  void sparkTrainingAndInferenceEqualTheInMemoryOnesWhateverThePartitioning(@TempDir Path dir) {
    SpectrumImage image = FIRST;
    MtaeuOptions o = quick().options();
    TrainedNetwork reference = AutoencoderFit.fit(o, WindowSample.of(image,
        o.drawWindows(image.width(), image.height(), image.id()), o.windowPixels()), "reference");
    Abundances expected = Mtaeu.abundances(reference.network(), image);
    double[][] decoder = o.decoderEndmembers(reference.network());
    for (int partitions : new int[] {1, 3}) {
      Dataset<Row> pixels = parquet(dir, "p" + partitions, partitions, image);
      AutoencoderModel model = quick().fit(pixels);
      assertEquals("mtaeu", model.summary().method());
      assertEquals(200, model.summary().samples());
      assertArrayEquals(reference.losses(), model.summary().losses(), 1e-12);
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(decoder[k], model.endmembers().matrix()[k], 1e-9 * max(decoder[k]));
      }
      Abundances maps = VcaFclsSparkTest.maps(model.transform(pixels), image.height(), image.width(), 3);
      assertArrayEquals(expected.values(), maps.values(), 1e-9);
    }
  }

  private static double max(double[] v) {
    return java.util.Arrays.stream(v).max().orElse(1);
  }

  @Test
  void parameterAveragingKeepsTheConstraintsAndASavedModelAppliesToTheNextAcquisition(@TempDir Path dir)
      throws Exception {
    Dataset<Row> first = parquet(dir, "first", 2, FIRST);
    MtaeuEstimator e = quick();
    e.setSparkTraining(true).setWorkers(2).setAveragingFrequency(3);
    AutoencoderModel model = e.fit(first);
    assertEquals("parameter-averaging", model.summary().training());
    for (double l : model.summary().losses()) {
      assertTrue(Double.isFinite(l) && l > 0 && l < Math.PI / 2, "loss " + l);
    }
    String saved = dir.resolve("model").toString();
    model.write().save(saved);
    AutoencoderModel loaded = AutoencoderModel.load(saved);
    SpectrumImage next = SECOND;
    Dataset<Row> second = parquet(dir, "second", 3, next);
    Abundances applied = VcaFclsSparkTest.maps(loaded.transform(second), next.height(), next.width(), 3);
    SpatialTestImages.assertConstraints(loaded, applied);
    assertArrayEquals(Mtaeu.abundances(model.network(), next).values(), applied.values(), 1e-9);
  }

  @Test
  void aTableOfSeveralAcquisitionsOrAnIncompleteGridIsRefused(@TempDir Path dir) {
    Dataset<Row> two = parquet(dir, "two", 2, FIRST, SECOND.withId("other"));
    BadInputException several = assertThrows(BadInputException.class, () -> quick().fit(two));
    assertTrue(several.getMessage().contains("holds 2 acquisitions"), several.getMessage());
    Dataset<Row> holes = parquet(dir, "holes", 2, FIRST).where("NOT (x = 3 AND y = 5)");
    BadInputException missing = assertThrows(BadInputException.class, () -> quick().fit(holes));
    assertTrue(missing.getMessage().contains("every pixel exactly once"), missing.getMessage());
  }
}
