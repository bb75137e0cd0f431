package org.eelsunmix.spark.pages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.ml.VcaFcls;
import org.eelsunmix.spark.ml.VcaFclsModel;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VCA-FCLS fitted on a Parquet pixel table through the page reader equals the fit through Spark's reader bit for bit
 * (endmembers, restart losses, kept restart), with the scan in one partition and in several, on the whole table and
 * on one acquisition chosen by partition pruning (and, across partitionings, the same endmembers); and the page
 * reader stands aside for anything but a plain scan.
 */
class StoreScanTest {
  @TempDir
  static java.nio.file.Path dir;
  static String table;
  static SpectrumImage first;

  @BeforeAll
  static void store() {
    SparkSession spark = TestSpark.session();
    List<Row> rows = new ArrayList<>();
    for (int a = 0; a < 2; a++) {
      SpectrumImage image = SyntheticGenerator.generate(
          SyntheticGenerator.Options.builtin("co-ru-pt").withSize(40).withBlock(8), 7 + a).image();
      first = a == 0 ? image : first;
      String id = "acq-" + a;
      ImageRows.pixels(image).forEachRemaining(r -> rows.add(RowFactory.create(id, r.get(1), r.get(2), r.get(3))));
    }
    table = dir.resolve("pixels").toString();
    // small row groups: several per file, so that a scan can be split into several partitions
    SeriesStore.writePartitioned(spark.createDataFrame(rows, PixelSchema.PIXELS).repartition(3), table, spark,
        java.util.Map.of("parquet.block.size", "60000", "parquet.block.size.row.check.min", "10",
            "parquet.block.size.row.check.max", "10"));
  }

  /** The table as {@code SeriesStore.pixels} reads it: the scan, the spectrum column given its energy axis. */
  static Dataset<Row> pixels(boolean pruned) {
    Dataset<Row> df = TestSpark.session().read().schema(PixelSchema.PIXELS).parquet(table);
    if (pruned) {
      df = df.where(functions.col(PixelSchema.ACQUISITION_ID).isin("acq-1"));
    }
    return df.withColumn(PixelSchema.SPECTRUM, SpectrumColumn.withAxis(df, PixelSchema.SPECTRUM, first.axis()));
  }

  static VcaFclsModel fit(Dataset<Row> pixels, boolean pages) {
    SparkSession spark = TestSpark.session();
    spark.conf().set(StoreScan.ENABLED, pages);
    try {
      return new VcaFcls().setNumEndmembers(3).setSeed(5).setRestarts(3).fit(pixels);
    } finally {
      spark.conf().unset(StoreScan.ENABLED);
    }
  }

  static void assertSame(VcaFclsModel expected, VcaFclsModel actual, String what) {
    double[][] e = expected.endmembers().matrix();
    double[][] a = actual.endmembers().matrix();
    for (int i = 0; i < e.length; i++) {
      assertArrayEquals(e[i], a[i], 0.0, what + ", endmember " + i);
    }
    assertArrayEquals(expected.restartLosses(), actual.restartLosses(), 0.0, what + ", restart losses");
    assertEquals(expected.keptRestart(), actual.keptRestart(), what);
  }

  @Test
  void pagesFitAsSparksReaderInOneAndSeveralPartitions() {
    SparkSession spark = TestSpark.session();
    List<VcaFclsModel> byPages = new ArrayList<>();
    for (String maxBytes : new String[] {"128m", "40k"}) {
      spark.conf().set("spark.sql.files.maxPartitionBytes", maxBytes);
      spark.conf().set("spark.sql.files.openCostInBytes", "0");
      spark.conf().set("spark.sql.files.minPartitionNum", "1");
      try {
        for (boolean pruned : new boolean[] {false, true}) {
          Dataset<Row> df = pixels(pruned);
          Optional<StoreScan> scan = StoreScan.of(df, PixelSchema.SPECTRUM);
          assertTrue(scan.isPresent(), "a plain scan is read from its pages");
          int parts = scan.get().partitionCount();
          assertEquals(df.rdd().getNumPartitions(), parts);
          assertTrue(maxBytes.equals("128m") ? parts == 1 : parts >= 3, maxBytes + ": " + parts + " partitions");
          String what = maxBytes + (pruned ? ", acq-1 only" : ", both") + " (" + parts + " partitions)";
          VcaFclsModel pages = fit(df, true);
          assertSame(fit(df, false), pages, what);
          if (!pruned) {
            byPages.add(pages);
          }
        }
      } finally {
        spark.conf().unset("spark.sql.files.maxPartitionBytes");
        spark.conf().unset("spark.sql.files.openCostInBytes");
        spark.conf().unset("spark.sql.files.minPartitionNum");
      }
    }
    // and, as through Spark's reader, the same endmembers whatever the partitioning; the restarts' mean FCLS
    // residuals are sums over partitions in another grouping, equal to rounding
    VcaFclsModel one = byPages.get(0);
    VcaFclsModel several = byPages.get(1);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(one.endmembers().matrix()[i], several.endmembers().matrix()[i], 0.0, "endmember " + i);
    }
    assertEquals(one.keptRestart(), several.keptRestart());
    for (int k = 0; k < one.restartLosses().length; k++) {
      assertEquals(one.restartLosses()[k], several.restartLosses()[k], 1e-12 * one.restartLosses()[k]);
    }
  }

  /**
   * NMF (NNDSVD start, moments in the first pass) through the pages: the same bits as through Spark's reader, and the
   * same from one fit to the next with several partitions (this test found the merge in task completion order).
   */
  @Test
  void nmfThroughPagesIsSparksReaderBitForBit() {
    SparkSession spark = TestSpark.session();
    for (String maxBytes : new String[] {"128m", "40k"}) {
      spark.conf().set("spark.sql.files.maxPartitionBytes", maxBytes);
      spark.conf().set("spark.sql.files.openCostInBytes", "0");
      try {
        Dataset<Row> df = pixels(false);
        org.eelsunmix.spark.ml.NmfModel[] models = new org.eelsunmix.spark.ml.NmfModel[4];
        for (int i = 0; i < 4; i++) {
          spark.conf().set(StoreScan.ENABLED, i % 2 == 0);
          try {
            models[i] = new org.eelsunmix.spark.ml.NmfEstimator().setNumEndmembers(3).setSeed(2).setMaxIter(30)
                .fit(df);
          } finally {
            spark.conf().unset(StoreScan.ENABLED);
          }
        }
        // pages, rows, pages, rows: every fit the same bits (the partitions' sums merged in partition order)
        for (int i = 1; i < 4; i++) {
          for (int e = 0; e < 3; e++) {
            assertArrayEquals(models[0].endmembers().matrix()[e], models[i].endmembers().matrix()[e], 0.0,
                maxBytes + ", fit " + i + ", endmember " + e);
          }
          assertEquals(models[0].summary().iterations(), models[i].summary().iterations(), maxBytes);
          assertEquals(models[0].summary().objective(), models[i].summary().objective(), 0.0, maxBytes);
        }
      } finally {
        spark.conf().unset("spark.sql.files.maxPartitionBytes");
        spark.conf().unset("spark.sql.files.openCostInBytes");
      }
    }
  }

  /** BLU and uDAS read their blocks through the pages too: the same endmembers as through Spark's reader. */
  @Test
  void bluAndUdasThroughPagesAreSparksReaderBitForBit() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> df = pixels(false);
    double[][][] blu = new double[2][][];
    double[][][] udas = new double[2][][];
    for (int i = 0; i < 2; i++) {
      spark.conf().set(StoreScan.ENABLED, i == 0);
      try {
        blu[i] = new org.eelsunmix.spark.ml.BluEstimator().setNumEndmembers(3).setSeed(4).setSweeps(12).setBurnIn(4)
            .fit(df).endmembers().matrix();
        udas[i] = new org.eelsunmix.spark.ml.UdasEstimator().setNumEndmembers(3).setSeed(4).setOuterIterations(2)
            .fit(df).endmembers().matrix();
      } finally {
        spark.conf().unset(StoreScan.ENABLED);
      }
    }
    for (int e = 0; e < 3; e++) {
      assertArrayEquals(blu[1][e], blu[0][e], 0.0, "BLU endmember " + e);
      assertArrayEquals(udas[1][e], udas[0][e], 0.0, "uDAS endmember " + e);
    }
  }

  @Test
  void standsAsideForAnythingButAPlainScan() {
    Dataset<Row> df = pixels(false);
    assertTrue(StoreScan.of(df, PixelSchema.SPECTRUM).isPresent());
    assertTrue(StoreScan.of(df.where("x < 5"), PixelSchema.SPECTRUM).isEmpty(), "a data filter");
    assertTrue(StoreScan.of(df.select(PixelSchema.SPECTRUM), PixelSchema.SPECTRUM).isEmpty(), "no addresses");
    assertTrue(StoreScan.of(df.repartition(2), PixelSchema.SPECTRUM).isEmpty(), "a shuffle");
    // the acquisition as a column of the files rather than their folder: the pages would lose the pixels' keys
    String flat = dir.resolve("flat").toString();
    TestSpark.session().read().parquet(table).write().mode("overwrite").parquet(flat);
    assertTrue(StoreScan.of(TestSpark.session().read().parquet(flat), PixelSchema.SPECTRUM).isEmpty(),
        "acquisition_id in the files");
    Dataset<Row> cached = pixels(false);
    cached.cache();
    assertTrue(StoreScan.of(cached, PixelSchema.SPECTRUM).isEmpty(), "a cached table");
    cached.unpersist();
    TestSpark.session().conf().set(StoreScan.ENABLED, false);
    try {
      assertTrue(StoreScan.of(df, PixelSchema.SPECTRUM).isEmpty(), "turned off");
    } finally {
      TestSpark.session().conf().unset(StoreScan.ENABLED);
    }
  }
}
