package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ml.AutoencoderModel;
import org.eelsunmix.synth.SyntheticGenerator;

/** Rectangular synthetic acquisitions written as real Parquet pixel tables, for the spatial autoencoder tests. */
final class SpatialTestImages {
  private SpatialTestImages() {}

  /** A co-ru-pt replicate cut to 24 × 20 pixels (width × height), so right and bottom edges differ. */
  static SpectrumImage image(int replicate) {
    SpectrumImage full = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(24)
        .withBlock(6), replicate).image();
    int w = 24;
    int h = 20;
    float[] data = java.util.Arrays.copyOf(full.data(), w * h * full.channels());
    return new SpectrumImage(full.id(), h, w, full.axis(), data);
  }

  /** The images' pixel rows written to Parquet in {@code partitions} files and read back. */
  static Dataset<Row> parquet(Path dir, String name, int partitions, SpectrumImage... images) {
    Dataset<Row> all = null;
    for (SpectrumImage image : images) {
      Dataset<Row> one = VcaFclsSparkTest.pixels(image, 1);
      all = all == null ? one : all.union(one);
    }
    String path = dir.resolve(name).toString();
    all.repartition(partitions).write().parquet(path);
    return TestSpark.session().read().parquet(path);
  }

  /** The model's decoder weights are ≥ 0 and every pixel's abundances are ≥ 0 and sum to one. */
  static void assertConstraints(AutoencoderModel model, Abundances maps) {
    for (double[] row : model.endmembers().matrix()) {
      for (double v : row) {
        assertTrue(v >= 0, "negative decoder weight " + v);
      }
    }
    int r = maps.count();
    for (int p = 0; p < maps.pixels(); p++) {
      double sum = 0;
      for (int k = 0; k < r; k++) {
        assertTrue(maps.values()[p * r + k] >= 0, "pixel " + p);
        sum += maps.values()[p * r + k];
      }
      assertEquals(1, sum, 1e-9, "pixel " + p);
    }
  }
}
