package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.NmfAbundances;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code apply}'s whole abundances pass on real Parquet stores of several acquisitions: the store as
 * {@link SeriesStore#write} writes it, the FCLS and NMF transforms over its column batches, the partitioned write
 * without Spark's sort and {@link ResultFiles#unmixedPixels}. Each pixel read back
 * from the abundances table is compared with the in-memory kernel bit for bit, whatever the files per acquisition,
 * the scan's split size (one task meeting several acquisitions, or more than a task keeps writers open for) and
 * the reader's batch size; a store written by Spark's sorted write holds the same rows.
 */
class AbundancesPassTest {
  static SparkSession spark;
  static List<SyntheticCube> cubes = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    spark = TestSpark.session();
    for (int i = 0; i < 3; i++) {
      SyntheticCube c = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(24)
          .withBlock(8), 21 + i);
      cubes.add(c);
    }
  }

  @AfterEach
  void resetReader() {
    spark.conf().unset("spark.sql.parquet.columnarReaderBatchSize");
    spark.conf().unset("spark.sql.files.maxPartitionBytes");
    spark.conf().unset("spark.sql.files.openCostInBytes");
    spark.conf().unset("spark.sql.files.minPartitionNum");
  }

  /** The images under distinct ids ({@code img-K}), same axis. */
  static List<SpectrumImage> images(int count) {
    List<SpectrumImage> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SpectrumImage s = cubes.get(i % cubes.size()).image();
      out.add(new SpectrumImage(String.format("img-%02d", i), s.height(), s.width(), s.axis(), s.data()));
    }
    return out;
  }

  /**
   * A series store of the images, {@code files} Parquet files per acquisition: written by {@link SeriesStore#write},
   * or by Spark's plain partitioned write (sorted by acquisition) when {@code plainSpark}.
   */
  static SeriesStore store(Path dir, List<SpectrumImage> images, int files, boolean plainSpark) {
    List<Row> rows = new ArrayList<>();
    List<Row> acquisitions = new ArrayList<>();
    for (SpectrumImage image : images) {
      ImageRows.pixels(image).forEachRemaining(rows::add);
      acquisitions.add(new Acquisition(image.id(), "synthetic", "-", image.width(), image.height(), image.axis(),
          null, "synthetic").toRow());
    }
    Dataset<Row> pixels = spark.createDataFrame(rows, PixelSchema.PIXELS).repartition(files * images.size(),
        org.apache.spark.sql.functions.col(PixelSchema.ACQUISITION_ID), org.apache.spark.sql.functions.col("y"));
    SeriesStore store = new SeriesStore(spark, dir.resolve("store").toString());
    Dataset<Row> acq = spark.createDataFrame(acquisitions, PixelSchema.ACQUISITIONS);
    if (plainSpark) {
      pixels.write().mode(SaveMode.Overwrite).partitionBy(PixelSchema.ACQUISITION_ID)
          .parquet(store.path(SeriesStore.PIXELS));
      acq.write().mode(SaveMode.Overwrite).partitionBy(PixelSchema.ACQUISITION_ID)
          .parquet(store.path(SeriesStore.ACQUISITIONS));
    } else {
      store.write(pixels, acq, null, null);
    }
    return store;
  }

  /** Records the text of every executed plan (the write commands' included). */
  static final class Plans implements QueryExecutionListener {
    final List<String> plans = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
      plans.add(qe.executedPlan().toString());
    }

    @Override
    public void onFailure(String funcName, QueryExecution qe, Exception exception) {
      plans.add(qe.executedPlan().toString());
    }
  }

  /** Reference: each image's pixels through the in-memory solver, as {abundances..., rmse} per "id y x". */
  interface Reference {
    double[] solve(SpectrumImage image, int p);
  }

  static Map<String, double[]> expected(List<SpectrumImage> images, Reference kernel) {
    Map<String, double[]> out = new HashMap<>();
    for (SpectrumImage image : images) {
      for (int p = 0; p < image.pixels(); p++) {
        out.put(image.id() + " " + p / image.width() + " " + p % image.width(), kernel.solve(image, p));
      }
    }
    return out;
  }

  /** Reads the abundances table back and compares each row with the reference, bit for bit. */
  static void assertTable(String dir, Map<String, double[]> expected) {
    List<Row> rows = spark.read().schema(PixelSchema.ABUNDANCES).parquet(dir).collectAsList();
    assertEquals(expected.size(), rows.size(), "one row per pixel");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Row row : rows) {
      String key = row.getString(row.fieldIndex(PixelSchema.ACQUISITION_ID)) + " " + row.getInt(row.fieldIndex("y"))
          + " " + row.getInt(row.fieldIndex("x"));
      assertTrue(seen.add(key), key + " once");
      double[] want = expected.get(key);
      assertNotNull(want, key);
      List<Double> got = row.getList(row.fieldIndex(PixelSchema.ABUNDANCES_COL));
      double[] a = got.stream().mapToDouble(Double::doubleValue).toArray();
      assertArrayEquals(java.util.Arrays.copyOf(want, want.length - 1), a, 0.0, key);
      assertEquals(want[want.length - 1], row.getDouble(row.fieldIndex(PixelSchema.RMSE)), 0.0, key + " rmse");
    }
  }

  static Reference fcls(Endmembers e) {
    return (image, p) -> {
      Fcls.Solver solver = new Fcls(e.matrix()).newSolver();
      int b = image.channels();
      double[] out = new double[e.count() + 1];
      solver.solve(image.data(), p * b, out);
      out[e.count()] = Math.sqrt(solver.residualSquared(image.data(), p * b, out) / b);
      return out;
    };
  }

  @ParameterizedTest(name = "{0} acquisitions, {1} files each, split {2} bytes, batches of {3}, plain Spark {4}")
  @CsvSource({"2, 1, 134217728, 4096, false", "3, 2, 134217728, 100, false", "3, 3, 60000, 37, false",
      "2, 2, 134217728, 512, true", "20, 1, 134217728, 1000, false"})
  void fclsAbundancesEqualTheInMemoryKernelWithoutASort(int count, int files, long split, int batch,
      boolean plainSpark, @TempDir Path dir) throws Exception {
    List<SpectrumImage> images = images(count);
    SeriesStore store = store(dir, images, files, plainSpark);
    spark.conf().set("spark.sql.files.maxPartitionBytes", split);
    spark.conf().set("spark.sql.files.openCostInBytes", 1024); // small files packed together: tasks mix acquisitions
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", batch);
    if (count > SeriesStore.CONCURRENT_WRITERS) { // one task meets every acquisition: the writers' sort fallback
      spark.conf().set("spark.sql.files.minPartitionNum", 1);
    }
    Dataset<Row> pixels = store.pixels(List.of());
    assertNotNull(ColumnarScan.of(pixels), "the store's scan gives column batches");
    Endmembers e = cubes.get(0).truthEndmembers();
    Dataset<Row> transformed = FclsTransform.apply(pixels, e, "spectrum", "abundances", "rmse", "truth");
    Plans plans = new Plans();
    spark.listenerManager().register(plans);
    String out = dir.resolve("abundances").toString();
    try {
      ResultFiles.writeAbundances(spark, transformed, out);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.listenerManager().unregister(plans);
    }
    // AbundanceTable writes the rows in the scan's order from an RDD job: no SQL write plan, so no sort in one
    // (Spark's writer, still used for results with a second value column, is checked below and in the store's tests).
    for (String plan : plans.plans) {
      assertFalse(plan.contains("Sort ["), "no sort before the partitioned write:\n" + plan);
    }
    Map<String, double[]> want = expected(images, fcls(e));
    assertTable(out, want);

    // The summary line: count and mean RMSE computed here from the kernel's values.
    double sum = 0;
    for (double[] v : want.values()) {
      sum += v[v.length - 1];
    }
    assertEquals(String.format("%d pixels unmixed, mean RMSE %.4g", want.size(), sum / want.size()),
        ResultFiles.unmixedPixels(spark, out));
  }

  /** The plan check above sees the sort Spark adds without concurrent writers (so its silence means something). */
  @Test
  void withoutConcurrentWritersThePlanHasTheSort(@TempDir Path dir) throws Exception {
    String key = "spark.sql.maxConcurrentOutputFileWriters";
    String before = spark.conf().get(key, "0");
    Plans plans = new Plans();
    spark.conf().set(key, 0);
    spark.listenerManager().register(plans);
    try {
      spark.range(10).selectExpr("cast(id % 3 as string) as acquisition_id", "id as x").write()
          .partitionBy(PixelSchema.ACQUISITION_ID).parquet(dir.resolve("t").toString());
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.listenerManager().unregister(plans);
      spark.conf().set(key, before);
    }
    assertTrue(plans.plans.stream().anyMatch(p -> p.contains("Sort [acquisition_id")), plans.plans.toString());
  }

  @Test
  void aStoreWrittenWithoutTheSortHoldsTheSameRowsAsSparksPlainWrite(@TempDir Path dir) {
    List<SpectrumImage> images = images(2);
    List<Row> now = store(dir.resolve("now"), images, 2, false).pixels(List.of()).orderBy("acquisition_id", "y", "x")
        .collectAsList();
    List<Row> before = store(dir.resolve("before"), images, 2, true).pixels(List.of())
        .orderBy("acquisition_id", "y", "x").collectAsList();
    assertEquals(2 * images.get(0).pixels(), now.size());
    assertEquals(before, now);
    SpectrumImage first = images.get(0);
    List<Float> s = now.get(first.width() + 1).getList(3); // img-00, y = 1, x = 1
    for (int c = 0; c < first.channels(); c++) {
      assertEquals(first.data()[(first.width() + 1) * first.channels() + c], s.get(c), 0f, "channel " + c);
    }
  }

  @ParameterizedTest(name = "{0} files each, batches of {1}")
  @CsvSource({"1, 4096", "3, 77"})
  void nmfAbundancesReadColumnBatchesAndEqualTheInMemoryKernel(int files, int batch, @TempDir Path dir) {
    List<SpectrumImage> images = images(2);
    SeriesStore store = store(dir, images, files, false);
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", batch);
    Endmembers e = cubes.get(0).truthEndmembers();
    NmfModel model = new NmfModel("nmf-test", e, new org.eelsunmix.spark.ml.NmfSummary("test", 0, true,
        new double[0], Double.NaN, Double.NaN));
    Dataset<Row> pixels = store.pixels(List.of());
    assertNotNull(ColumnarScan.of(pixels));
    String out = dir.resolve("abundances").toString();
    ResultFiles.writeAbundances(spark, model.transform(pixels), out);
    NmfAbundances kernel = model.abundanceSolver();
    assertTable(out, expected(images, (image, p) -> {
      int b = image.channels();
      double[] v = new double[kernel.components() + 1];
      double r2 = kernel.solve(image.data(), p * b, v, 0, new double[kernel.workLength()]);
      v[kernel.components()] = Math.sqrt(r2 / b);
      return v;
    }));
  }

  @Test
  void theNmfColumnarAndRowPathsGiveTheSameRows(@TempDir Path dir) {
    Dataset<Row> pixels = store(dir, images(2), 2, false).pixels(List.of());
    NmfModel model = new NmfModel("nmf-test", cubes.get(1).truthEndmembers(), new NmfSummary("test", 0, true,
        new double[0], Double.NaN, Double.NaN));
    List<Row> columnar = model.transform(pixels).orderBy("acquisition_id", "y", "x").collectAsList();
    spark.conf().set(VcaFclsModel.COLUMNAR_TRANSFORM, false);
    try {
      List<Row> rows = model.transform(pixels).orderBy("acquisition_id", "y", "x").collectAsList();
      assertEquals(2 * images(1).get(0).pixels(), rows.size());
      assertEquals(rows, columnar);
    } finally {
      spark.conf().unset(VcaFclsModel.COLUMNAR_TRANSFORM);
    }
  }
}
