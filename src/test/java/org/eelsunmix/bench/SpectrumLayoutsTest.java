package org.eelsunmix.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout bench's copies hold the store's spectra exactly; its figures are reported, never asserted. */
class SpectrumLayoutsTest {

  @Test
  void everyCopyHoldsTheSameSpectraAndIsTimed(@TempDir java.nio.file.Path dir) throws Exception {
    SparkSession spark = TestSpark.session();
    SpectrumImage image = SyntheticGenerator.generate(
        SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16).withBlock(8), 3).image();
    List<Row> rows = new ArrayList<>();
    ImageRows.pixels(image).forEachRemaining(rows::add);
    String store = dir.resolve("store").toString();
    SeriesStore.writePartitioned(spark.createDataFrame(rows, PixelSchema.PIXELS).repartition(2),
        store + "/pixels", spark);
    List<SpectrumLayouts.Layout> layouts = List.of(new SpectrumLayouts.Layout("uncompressed", false, false),
        new SpectrumLayouts.Layout("zstd", true, false));
    String out = dir.resolve("copies").toString();
    List<SpectrumLayouts.Figure> figures = SpectrumLayouts.measure(spark, store, out, layouts, 1);

    assertEquals(2, figures.size());
    for (SpectrumLayouts.Figure f : figures) {
      assertEquals(256, f.pixels());
      assertEquals(256L * image.channels(), f.values());
      assertTrue(f.bytes() > 0 && f.taskSeconds()[0] > 0, f.toString());
    }
    // the binary copy decodes to the image's own counts, pixel by pixel
    List<Row> binary = spark.read().parquet(out + "/zstd-binary-plain/pixels").collectAsList();
    assertEquals(256, binary.size());
    for (Row r : binary) {
      int x = r.getInt(r.fieldIndex(PixelSchema.X));
      int y = r.getInt(r.fieldIndex(PixelSchema.Y));
      byte[] bytes = (byte[]) r.get(r.fieldIndex(PixelSchema.SPECTRUM));
      float[] decoded = new float[image.channels()];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
      float[] expected = new float[image.channels()];
      System.arraycopy(image.data(), (y * image.width() + x) * image.channels(), expected, 0, image.channels());
      assertArrayEquals(expected, decoded, "pixel " + x + "," + y);
    }
    // the plain list copy reads back equal to the store
    assertEquals(0, spark.read().schema(PixelSchema.PIXELS).parquet(store + "/pixels")
        .exceptAll(spark.read().schema(PixelSchema.PIXELS).parquet(out + "/uncompressed-array-plain/pixels"))
        .count());
  }
}
