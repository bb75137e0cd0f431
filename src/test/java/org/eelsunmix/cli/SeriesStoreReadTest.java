package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a series store: the columns are checked from a footer read on the driver, the acquisitions come sorted by
 * id, and the whole opening runs no Spark job (the acquisitions' few rows are read on the driver), not one per
 * footer, sort and listing.
 */
class SeriesStoreReadTest {
  @Test
  void openingAStoreRunsOneJobAndListsTheAcquisitionsById(@TempDir Path dir) {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "8", "--block", "4", "--filter", "3", "--replicates", "3", "--seed", "5", "--out", store)
        .code());
    SparkSession spark = TestSpark.session();
    String group = "series-store-read-" + System.nanoTime();
    spark.sparkContext().setJobGroup(group, "opening a store", false);
    Dataset<Row> pixels;
    List<Acquisition> listed;
    try {
      SeriesStore series = new SeriesStore(spark, store);
      pixels = series.pixels(List.of());
      listed = series.listAcquisitions();
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    // pixels() and listAcquisitions() each read the acquisitions' rows on the driver; nothing runs a job
    assertEquals(0, spark.sparkContext().statusTracker().getJobIdsForGroup(group).length);
    List<String> ids = listed.stream().map(Acquisition::id).toList();
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    assertEquals(3, ids.size());
    assertEquals(sorted, ids);
    assertEquals(3 * 64, pixels.count());
  }

  @Test
  void aColumnOfTheWrongTypeIsNamedWhenTheStoreIsOpened(@TempDir Path dir) {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "8", "--block", "4", "--filter", "3", "--seed", "5", "--out", store).code());
    SparkSession spark = TestSpark.session();
    StructType wrong = new StructType(new StructField[] {
        DataTypes.createStructField(PixelSchema.ACQUISITION_ID, DataTypes.StringType, false),
        DataTypes.createStructField(PixelSchema.X, DataTypes.IntegerType, false),
        DataTypes.createStructField(PixelSchema.Y, DataTypes.IntegerType, false),
        DataTypes.createStructField(PixelSchema.SPECTRUM, DataTypes.createArrayType(DataTypes.StringType), false)});
    String id = new SeriesStore(spark, store).listAcquisitions().get(0).id();
    spark.createDataFrame(List.of(RowFactory.create(id, 0, 0, new String[] {"1", "2"})), wrong).write()
        .mode(SaveMode.Overwrite).partitionBy(PixelSchema.ACQUISITION_ID).parquet(store + "/pixels");
    BadInputException e = assertThrows(BadInputException.class,
        () -> new SeriesStore(spark, store).pixels(List.of()));
    assertTrue(e.getMessage().contains("'spectrum'") && e.getMessage().contains("array<string>"), e.getMessage());
    assertTrue(e.source().endsWith("pixels"), e.source());
  }
}
