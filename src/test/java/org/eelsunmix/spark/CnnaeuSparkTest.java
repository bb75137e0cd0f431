package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.TrainedNetwork;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ml.AutoencoderModel;
import org.eelsunmix.spark.ml.CnnaeuEstimator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CNNAEU on Spark with a small network (8 filters, 3×3 decoder, 20 patches of 8×8): patches drawn from Parquet
 * pixel rows give the in-memory training exactly, the tiled inference equals the in-memory maps, parameter
 * averaging keeps the constraints and a saved model gives the same maps.
 */
class CnnaeuSparkTest {
  private static final SpectrumImage IMAGE = SpatialTestImages.image(0);

  private static CnnaeuEstimator quick() {
    CnnaeuEstimator e = new CnnaeuEstimator().setPatchSize(8).setFilters(8).setDecoderSize(3);
    e.setNumEndmembers(3).setSeed(2).setEpochs(2).setSamples(20).setBatchSize(5).setRestarts(1);
    return e;
  }

  @Test
  void sparkTrainingAndTiledInferenceEqualTheInMemoryOnes(@TempDir Path dir) throws Exception {
    CnnaeuOptions o = quick().options();
    TrainedNetwork reference = AutoencoderFit.fit(o, WindowSample.of(IMAGE,
        o.drawWindows(IMAGE.width(), IMAGE.height(), IMAGE.id()), o.windowPixels()), "reference");
    Dataset<Row> pixels = SpatialTestImages.parquet(dir, "pixels", 3, IMAGE);
    AutoencoderModel model = quick().fit(pixels);
    assertEquals("cnnaeu", model.summary().method());
    assertArrayEquals(reference.losses(), model.summary().losses(), 1e-9);
    double[][] expected = o.decoderEndmembers(reference.network());
    for (int k = 0; k < 3; k++) {
      for (int c = 0; c < expected[k].length; c++) {
        assertTrue(model.endmembers().matrix()[k][c] >= 0);
        assertEquals(expected[k][c], model.endmembers().matrix()[k][c], 1e-6 * Math.abs(expected[k][c]) + 1e-9);
      }
    }
    Abundances maps = VcaFclsSparkTest.maps(model.transform(pixels), IMAGE.height(), IMAGE.width(), 3);
    assertArrayEquals(Cnnaeu.abundances(reference.network(), IMAGE).values(), maps.values(), 1e-6);

    String saved = dir.resolve("model").toString();
    model.write().save(saved);
    Abundances again = VcaFclsSparkTest.maps(AutoencoderModel.load(saved).transform(pixels), IMAGE.height(),
        IMAGE.width(), 3);
    assertArrayEquals(maps.values(), again.values(), 0);
  }

  @Test
  void parameterAveragingKeepsTheConstraints(@TempDir Path dir) {
    Dataset<Row> pixels = SpatialTestImages.parquet(dir, "pixels", 2, IMAGE);
    CnnaeuEstimator e = quick();
    e.setSparkTraining(true).setWorkers(2).setAveragingFrequency(1);
    AutoencoderModel model = e.fit(pixels);
    assertEquals("parameter-averaging", model.summary().training());
    SpatialTestImages.assertConstraints(model, VcaFclsSparkTest.maps(model.transform(pixels), IMAGE.height(),
        IMAGE.width(), 3));
  }
}
