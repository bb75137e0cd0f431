package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.pages.StoreScan;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.SpectralMoments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming pass of {@link SpectraInput#aggregate} (PCA's and ICA's moments) read from the Parquet pages gives
 * the bits of the pass over Spark's rows, in one partition and in several, and sees every pixel once.
 */
class SpectraInputPagesTest {

  @Test
  void momentsFromThePagesAreThoseFromTheRows(@TempDir java.nio.file.Path dir) {
    SparkSession spark = TestSpark.session();
    SpectrumImage image = SyntheticGenerator.generate(
        SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32).withBlock(8), 11).image();
    List<Row> rows = new ArrayList<>();
    ImageRows.pixels(image).forEachRemaining(rows::add);
    String table = dir.resolve("pixels").toString();
    SeriesStore.writePartitioned(spark.createDataFrame(rows, PixelSchema.PIXELS).repartition(2), table, spark,
        Map.of("parquet.block.size", "50000", "parquet.block.size.row.check.min", "10",
            "parquet.block.size.row.check.max", "10"));
    for (String maxBytes : new String[] {"128m", "30k"}) {
      spark.conf().set("spark.sql.files.maxPartitionBytes", maxBytes);
      spark.conf().set("spark.sql.files.openCostInBytes", "0");
      spark.conf().set("spark.sql.files.minPartitionNum", "1");
      try {
        // planned under these settings (a dataset keeps the plan, and so the partitions, it was first planned with)
        Dataset<Row> df = spark.read().schema(PixelSchema.PIXELS).parquet(table);
        Dataset<Row> pixels = df.withColumn(PixelSchema.SPECTRUM,
            SpectrumColumn.withAxis(df, PixelSchema.SPECTRUM, image.axis()));
        SpectraInput input = SpectraInput.of(pixels, PixelSchema.SPECTRUM);
        assertTrue(input.pageScan().isPresent());
        int parts = input.pageScan().get().partitionCount();
        assertTrue(maxBytes.equals("128m") ? parts == 1 : parts >= 3, parts + " partitions");
        SpectralMoments fromPages = input.moments();
        spark.conf().set(StoreScan.ENABLED, false);
        SpectralMoments fromRows = SpectraInput.of(pixels, PixelSchema.SPECTRUM).moments();
        spark.conf().unset(StoreScan.ENABLED);
        assertEquals((long) image.height() * image.width(), fromPages.count());
        assertEquals(fromRows.count(), fromPages.count());
        assertArrayEquals(fromRows.mean(), fromPages.mean(), 0.0, maxBytes);
        assertArrayEquals(fromRows.secondMoment(), fromPages.secondMoment(), 0.0, maxBytes);
        assertEquals(fromRows.meanPower(), fromPages.meanPower(), 0.0, maxBytes);
      } finally {
        spark.conf().unset(StoreScan.ENABLED);
        spark.conf().unset("spark.sql.files.maxPartitionBytes");
        spark.conf().unset("spark.sql.files.openCostInBytes");
        spark.conf().unset("spark.sql.files.minPartitionNum");
      }
    }
  }
}
