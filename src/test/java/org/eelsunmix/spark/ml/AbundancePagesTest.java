package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.pages.StoreScan;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The abundances pass from the Parquet pages ({@link UnmixingModel#results}, {@link PixelTransform#resultBlocks},
 * {@link PageResultRows}) against the pass through Spark's reader ({@link UnmixingModel#transform} with the page reader
 * off), both written by {@link ResultFiles#writeAbundances} from a real series store: every acquisition folder holds
 * the same files with the same Parquet schema and the same rows in the same order, every double the same bits, for
 * FCLS and NMF, with the scan in one partition and in several; and where the page reader must stand aside (the
 * acquisition a column of the files, the switch off) the results are the transform's columns as before.
 */
class AbundancePagesTest {
  static SparkSession spark;
  static List<SyntheticCube> cubes = new ArrayList<>();

  @TempDir
  static Path dir;
  static SeriesStore store;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.session();
    List<Row> rows = new ArrayList<>();
    List<Row> acquisitions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SyntheticCube c = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(24)
          .withBlock(8), 31 + i);
      cubes.add(c);
      SpectrumImage s = c.image();
      SpectrumImage image = new SpectrumImage("acq-" + i, s.height(), s.width(), s.axis(), s.data());
      ImageRows.pixels(image).forEachRemaining(rows::add);
      acquisitions.add(new Acquisition(image.id(), "synthetic", "-", image.width(), image.height(), image.axis(),
          null, "synthetic").toRow());
    }
    // two files per acquisition, so that a small split size gives several scan partitions
    Dataset<Row> pixels = spark.createDataFrame(rows, PixelSchema.PIXELS).repartition(6,
        org.apache.spark.sql.functions.col(PixelSchema.ACQUISITION_ID), org.apache.spark.sql.functions.col("y"));
    store = new SeriesStore(spark, dir.resolve("store").toString());
    store.write(pixels, spark.createDataFrame(acquisitions, PixelSchema.ACQUISITIONS), null, null);
  }

  @AfterEach
  void reset() {
    spark.conf().unset("spark.sql.files.maxPartitionBytes");
    spark.conf().unset("spark.sql.files.openCostInBytes");
    spark.conf().unset("spark.sql.files.minPartitionNum");
    spark.conf().unset(StoreScan.ENABLED);
  }

  static UnmixingModel<?> model(String method) {
    Endmembers e = cubes.get(0).truthEndmembers();
    return method.equals("fcls") ? new VcaFclsModel("fcls-test", e, Double.NaN)
        : new NmfModel("nmf-test", e, new NmfSummary("given", 0, true, new double[0], 0, 0));
  }

  /** Whether the plan's leaves carry the spectrum (the transform's rows) or only the result columns (the pages). */
  static boolean readsSpectraIntoRows(Dataset<Row> results) {
    LogicalPlan plan = results.queryExecution().analyzed();
    for (LogicalPlan leaf : scala.collection.JavaConverters.seqAsJavaList(plan.collectLeaves())) {
      if (Arrays.asList(leaf.schema().fieldNames()).contains(PixelSchema.SPECTRUM)) {
        return true;
      }
    }
    return false;
  }

  /** Each row of one file as text, the doubles as their bits. */
  static List<String> rowsOf(String file) {
    List<String> out = new ArrayList<>();
    for (Row r : spark.read().parquet(file).collectAsList()) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        if (v instanceof scala.collection.Seq<?> seq) {
          for (Object d : scala.collection.JavaConverters.seqAsJavaList(seq)) {
            s.append(Long.toHexString(Double.doubleToRawLongBits((Double) d))).append(',');
          }
        } else if (v instanceof Double d) {
          s.append(Long.toHexString(Double.doubleToRawLongBits(d)));
        } else {
          s.append(v);
        }
        s.append('|');
      }
      out.add(s.toString());
    }
    return out;
  }

  /** The Parquet files of one table, by acquisition folder, each folder's files in part order. */
  static List<File> files(String table) {
    List<File> out = new ArrayList<>();
    File[] folders = new File(table).listFiles(f -> f.isDirectory() && f.getName().startsWith("acquisition_id="));
    Arrays.sort(folders);
    for (File folder : folders) {
      File[] parts = folder.listFiles(f -> f.getName().endsWith(".parquet"));
      Arrays.sort(parts);
      out.addAll(Arrays.asList(parts));
    }
    return out;
  }

  static String schemaOf(File file) throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toURI()), new Configuration()))) {
      return r.getFooter().getFileMetaData().getSchema().toString();
    }
  }

  /** Same folders, same number of files, same schema, same rows in the same order in each file. */
  static void assertSameFiles(String expected, String actual, String what) throws Exception {
    List<File> e = files(expected);
    List<File> a = files(actual);
    assertEquals(e.size(), a.size(), what + ": files");
    assertTrue(e.size() >= 3, what + ": a file per acquisition at least");
    int rows = 0;
    for (int i = 0; i < e.size(); i++) {
      assertEquals(e.get(i).getParentFile().getName(), a.get(i).getParentFile().getName(), what);
      assertEquals(schemaOf(e.get(i)), schemaOf(a.get(i)), what + ": schema of " + a.get(i));
      List<String> er = rowsOf(e.get(i).getPath());
      assertEquals(er, rowsOf(a.get(i).getPath()), what + ": rows of " + a.get(i));
      rows += er.size();
    }
    assertEquals(3 * 24 * 24, rows, what + ": every pixel once");
  }

  @ParameterizedTest(name = "{0}, split {1} bytes")
  @CsvSource({"fcls, 134217728", "fcls, 20000", "nmf, 134217728", "nmf, 20000"})
  void pagesWriteTheFilesSparksReaderWrites(String method, long split, @TempDir Path out) throws Exception {
    spark.conf().set("spark.sql.files.maxPartitionBytes", split);
    spark.conf().set("spark.sql.files.openCostInBytes", 0);
    spark.conf().set("spark.sql.files.minPartitionNum", 1);
    UnmixingModel<?> m = model(method);
    Dataset<Row> pixels = store.pixels(List.of());
    int parts = StoreScan.of(pixels, PixelSchema.SPECTRUM).orElseThrow().partitionCount();
    assertTrue(split > 1e6 ? parts == 1 : parts >= 3, parts + " partitions");

    Dataset<Row> results = m.results(pixels);
    assertTrue(!readsSpectraIntoRows(results), "the page path is taken");
    assertEquals(List.of("acquisition_id", "x", "y", "abundances", "rmse"), List.of(results.columns()));
    assertEquals(parts, results.rdd().getNumPartitions());
    String pages = out.resolve("pages").toString();
    ResultFiles.writeAbundances(spark, results, pages);

    spark.conf().set(StoreScan.ENABLED, false);
    String old = out.resolve("spark").toString();
    ResultFiles.writeAbundances(spark, m.transform(pixels), old);
    Dataset<Row> aside = m.results(pixels);
    assertTrue(readsSpectraIntoRows(aside), "switched off: the transform");
    String narrowed = out.resolve("narrowed").toString();
    ResultFiles.writeAbundances(spark, aside, narrowed);

    assertSameFiles(old, pages, method + ", pages");
    assertSameFiles(old, narrowed, method + ", transform narrowed");
  }

  /** One acquisition chosen by partition pruning, as {@code apply --acquisition} and {@code reprocess} read it. */
  @Test
  void aPrunedScanIsReadFromItsPages(@TempDir Path out) throws Exception {
    UnmixingModel<?> m = model("nmf");
    Dataset<Row> pixels = store.pixels(List.of("acq-1"));
    Dataset<Row> results = m.results(pixels);
    assertTrue(!readsSpectraIntoRows(results));
    List<Row> got = results.orderBy("y", "x").collectAsList();
    spark.conf().set(StoreScan.ENABLED, false);
    List<Row> want = m.transform(pixels).select("acquisition_id", "x", "y", "abundances", "rmse").orderBy("y", "x")
        .collectAsList();
    assertEquals(24 * 24, got.size());
    assertEquals(want, got);
    assertTrue(got.stream().allMatch(r -> r.getString(0).equals("acq-1")));
  }

  /** The acquisition as a column of the files (no partition folders): Spark's reader, the transform's rows. */
  @Test
  void theAcquisitionInTheFilesKeepsSparksReader(@TempDir Path out) {
    String flat = out.resolve("flat").toString();
    spark.read().parquet(store.path(SeriesStore.PIXELS)).write().parquet(flat);
    Dataset<Row> df = spark.read().schema(PixelSchema.PIXELS).parquet(flat);
    Dataset<Row> pixels = df.select(org.apache.spark.sql.functions.col(PixelSchema.ACQUISITION_ID),
        org.apache.spark.sql.functions.col("x"), org.apache.spark.sql.functions.col("y"),
        SpectrumColumn.withAxis(df, PixelSchema.SPECTRUM, cubes.get(0).image().axis()));
    for (String method : new String[] {"fcls", "nmf"}) {
      UnmixingModel<?> m = model(method);
      Dataset<Row> results = m.results(pixels);
      assertTrue(readsSpectraIntoRows(results), method + ": Spark's reader");
      List<Row> got = results.orderBy("acquisition_id", "y", "x").collectAsList();
      List<Row> want = m.transform(pixels).select("acquisition_id", "x", "y", "abundances", "rmse")
          .orderBy("acquisition_id", "y", "x").collectAsList();
      assertEquals(3 * 24 * 24, got.size());
      assertEquals(want, got, method);
      assertEquals(List.of("acq-0", "acq-1", "acq-2"),
          got.stream().map(r -> r.getString(0)).distinct().sorted().toList(), method + ": the keys kept");
    }
  }

  /**
   * A bad spectrum read from the pages is named with its pixel, as on Spark's reader (its value in the dictionary, or
   * in plain pages): the dictionary's bounds spare the check only when every entry is a count.
   */
  @ParameterizedTest(name = "{0}, dictionary {1}")
  @CsvSource({"-2.0, true, negative count -2.0 at channel 70", "NaN, true, non-finite value NaN at channel 70",
      "-2.0, false, negative count -2.0 at channel 70", "Infinity, false, non-finite value Infinity at channel 70"})
  void aBadValueFromThePagesIsNamedWithItsPixel(float bad, boolean dictionary, String message, @TempDir Path out) {
    int b = cubes.get(0).image().channels();
    List<Row> rows = new ArrayList<>();
    for (int x = 0; x < 10; x++) {
      float[] s = new float[b];
      Arrays.fill(s, 1f);
      if (x == 7) {
        s[70] = bad;
      }
      rows.add(RowFactory.create("a", x, 4, s));
    }
    String path = out.resolve("bad").toString();
    spark.createDataFrame(rows, PixelSchema.PIXELS).coalesce(1).write().option("parquet.enable.dictionary", dictionary)
        .partitionBy(PixelSchema.ACQUISITION_ID).parquet(path);
    Dataset<Row> df = spark.read().schema(PixelSchema.PIXELS).parquet(path);
    Dataset<Row> pixels = df.select(org.apache.spark.sql.functions.col(PixelSchema.ACQUISITION_ID),
        org.apache.spark.sql.functions.col("x"), org.apache.spark.sql.functions.col("y"),
        SpectrumColumn.withAxis(df, PixelSchema.SPECTRUM, cubes.get(0).image().axis()));
    Dataset<Row> results = model("fcls").results(pixels);
    assertTrue(!readsSpectraIntoRows(results));
    Exception x = assertThrows(Exception.class, results::collectAsList);
    assertTrue(x.getMessage().contains(BadInputException.class.getName()), x.getMessage());
    assertTrue(x.getMessage().contains(message) && x.getMessage().contains("(a, y=4, x=7)"), x.getMessage());
  }
}
