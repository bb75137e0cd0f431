package org.eelsunmix.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * A folder holding a series of acquisitions as Parquet tables (design §2), each partitioned by
 * {@code acquisition_id}:
 *
 * <pre>
 *   root/pixels/acquisition_id=ID/          one row per pixel      ({@link PixelSchema#PIXELS})
 *   root/acquisitions/acquisition_id=ID/    one row per acquisition ({@link PixelSchema#ACQUISITIONS})
 *   root/truth_endmembers/acquisition_id=ID/  ground truth, when known ({@link PixelSchema#TRUTH_ENDMEMBERS})
 *   root/truth_abundances/acquisition_id=ID/  ground truth, when known ({@link PixelSchema#ABUNDANCES})
 * </pre>
 *
 * Writes use dynamic partition overwrite, so (re)writing acquisitions replaces just their partitions, atomically
 * per job, and leaves the others alone. The acquisitions table is written last: an acquisition is listed only once
 * its pixels are in place.
 */
public final class SeriesStore {
  public static final String PIXELS = "pixels";
  public static final String ACQUISITIONS = "acquisitions";
  public static final String TRUTH_ENDMEMBERS = "truth_endmembers";
  public static final String TRUTH_ABUNDANCES = "truth_abundances";

  private final SparkSession spark;
  private final String root;

  public SeriesStore(SparkSession spark, String root) {
    this.spark = spark;
    this.root = root;
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return new Path(root, table).toString();
  }

  private boolean exists(String table) {
    return exists(new Path(path(table)));
  }

  private boolean exists(Path p) {
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Dataset<Row> read(String table, StructType schema) {
    check(table, schema);
    // Reading with the schema keeps acquisition_id a string even when an id looks like a number.
    return spark.read().schema(schema).parquet(path(table));
  }

  /** The checks of {@link #read}: the table exists, has no null-id folder, and its columns have our types. */
  private void check(String table, StructType schema) {
    if (!exists(table)) {
      throw new BadInputException(path(table), "no such table (is " + root + " a series store written by "
          + "generate or import-npy?)");
    }
    // Older versions accepted an empty id, which Hive stores under its null folder: Spark reads it back as a null
    // id, and every command would fail on it with a NullPointerException.
    String nullPartition = PixelSchema.ACQUISITION_ID + "=" + PixelSchema.HIVE_DEFAULT_PARTITION;
    if (exists(new Path(path(table), nullPartition))) {
      throw new BadInputException(path(table), "holds an acquisition with an empty id (folder " + nullPartition
          + ", written by an older eels-unmix); move that folder out of every table of the store and import it "
          + "again with a usable --id");
    }
    // Check the columns as written (the footers only) so a wrong type is named here, not deep in a task.
    StructType onDisk = columnsAsWritten(new Path(path(table)));
    for (org.apache.spark.sql.types.StructField f : schema.fields()) {
      if (!f.name().equals(PixelSchema.ACQUISITION_ID)) { // the partition column: its type is inferred, ours wins
        PixelSchema.requireColumn(onDisk, f.name(), f.dataType(), path(table));
      }
    }
  }

  /**
   * The columns of a table as Spark wrote them, from one data file's footer read on the driver: Spark's own
   * inference ({@code spark.read().parquet(dir).schema()}) runs a job for that one footer, a tenth of a small
   * command's jobs. Falls back to Spark's inference for a table without such a footer (not written by Spark, or
   * unreadable: Spark then names the problem as before).
   */
  private StructType columnsAsWritten(Path dir) {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(dir, true);
      while (files.hasNext()) {
        org.apache.hadoop.fs.LocatedFileStatus f = files.next();
        String name = f.getPath().getName();
        if (DriverParquetRows.isDataFile(name) && f.getLen() > 0) {
          try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
              org.apache.parquet.hadoop.util.HadoopInputFile.fromStatus(f, conf))) {
            String json = r.getFileMetaData().getKeyValueMetaData().get(SPARK_ROW_METADATA);
            if (json != null) {
              return (StructType) org.apache.spark.sql.types.DataType.fromJson(json);
            }
          }
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: Spark's inference reports a missing or corrupt footer in its own words
    }
    return spark.read().parquet(dir.toString()).schema();
  }

  /**
   * The footer key under which Spark's Parquet writer keeps the table's schema as JSON (Spark's
   * {@code ParquetReadSupport}): read by the store's checks, written by the small files written on the driver.
   */
  public static final String SPARK_ROW_METADATA = "org.apache.spark.sql.parquet.row.metadata";

  /** The acquisitions table. */
  public Dataset<Row> acquisitions() {
    return read(ACQUISITIONS, PixelSchema.ACQUISITIONS);
  }

  /** All acquisitions, sorted by id (one small row each). */
  public List<Acquisition> listAcquisitions() {
    List<Acquisition> out = new ArrayList<>();
    check(ACQUISITIONS, PixelSchema.ACQUISITIONS);
    // A few short rows: read on the driver, without a Spark job (DriverParquetRows); Spark reads any other layout.
    List<Row> rows = DriverParquetRows.read(spark.sparkContext().hadoopConfiguration(), new Path(path(ACQUISITIONS)),
        PixelSchema.ACQUISITIONS, PixelSchema.ACQUISITION_ID);
    if (rows == null) {
      rows = acquisitions().collectAsList();
    }
    for (Row r : rows) { // sorted here: a Spark sort adds a sampling job
      out.add(Acquisition.fromRow(r));
    }
    out.sort(java.util.Comparator.comparing(Acquisition::id));
    return out;
  }

  /** One acquisition's row; a clear error when it is not in the store. */
  public Acquisition acquisition(String id) {
    List<Row> rows = acquisitions().where(functions.col(PixelSchema.ACQUISITION_ID).equalTo(id)).collectAsList();
    if (rows.isEmpty()) {
      throw new BadInputException(path(ACQUISITIONS), "has no acquisition '" + id + "'");
    }
    return Acquisition.fromRow(rows.get(0));
  }

  /**
   * Pixels of the given acquisitions (all when {@code ids} is empty), with their common energy axis attached to
   * the spectrum column. Acquisitions with different axes cannot be unmixed together: that is an error naming
   * both.
   */
  public Dataset<Row> pixels(List<String> ids) {
    List<Acquisition> chosen = new ArrayList<>();
    List<Acquisition> all = listAcquisitions();
    if (ids.isEmpty()) {
      chosen.addAll(all);
    } else {
      for (String id : ids) {
        chosen.add(all.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow(
            () -> new BadInputException("acquisition", "no acquisition '" + id + "' in " + root)));
      }
    }
    if (chosen.isEmpty()) {
      throw new BadInputException(root, "holds no acquisitions");
    }
    EnergyAxis axis = chosen.get(0).axis();
    for (Acquisition a : chosen) {
      if (!a.axis().sameAs(axis, 1e-9)) {
        throw new BadInputException(root, "acquisitions '" + chosen.get(0).id() + "' (" + axis + ") and '" + a.id()
            + "' (" + a.axis() + ") have different energy axes; unmix them separately");
      }
    }
    Dataset<Row> df = read(PIXELS, PixelSchema.PIXELS);
    if (!ids.isEmpty()) {
      df = df.where(functions.col(PixelSchema.ACQUISITION_ID).isin(ids.toArray()));
    }
    Column spectrum = SpectrumColumn.withAxis(df, PixelSchema.SPECTRUM, axis);
    return df.select(functions.col(PixelSchema.ACQUISITION_ID), functions.col(PixelSchema.X),
        functions.col(PixelSchema.Y), spectrum);
  }

  /** Ground-truth endmembers (may be absent: then null). */
  public Dataset<Row> truthEndmembers() {
    return exists(TRUTH_ENDMEMBERS) ? read(TRUTH_ENDMEMBERS, PixelSchema.TRUTH_ENDMEMBERS) : null;
  }

  /** Ground-truth abundances (may be absent: then null). */
  public Dataset<Row> truthAbundances() {
    return exists(TRUTH_ABUNDANCES) ? read(TRUTH_ABUNDANCES, PixelSchema.ABUNDANCES) : null;
  }

  /**
   * Writes (or rewrites) acquisitions: pixels first, ground truth next, the acquisitions rows last. Each write
   * replaces only the partitions of the acquisitions it contains.
   *
   * @param truthEndmembers null when there is no ground truth
   * @param truthAbundances null when there is no ground truth
   */
  public void write(Dataset<Row> pixels, Dataset<Row> acquisitions, Dataset<Row> truthEndmembers,
      Dataset<Row> truthAbundances) {
    writePartitioned(pixels, PIXELS);
    if (truthEndmembers != null) {
      writePartitioned(truthEndmembers, TRUTH_ENDMEMBERS);
    }
    if (truthAbundances != null) {
      writePartitioned(truthAbundances, TRUTH_ABUNDANCES);
    }
    writePartitioned(acquisitions.coalesce(1), ACQUISITIONS);
  }

  /**
   * Writers a task keeps open at once, one per acquisition it meets ({@code spark.sql.maxConcurrentOutputFileWriters},
   * when the session has not set it). With any, Spark 3.5's planned write adds no sort by {@code acquisition_id}
   * before a partitioned write: the sort copied every row through the external sorter (6% of an {@code apply}'s
   * task samples, profiled), though a task's rows come from the files of one or a few acquisitions. A task that
   * meets more acquisitions than this sorts the rest, as before. Same rows in the same order in the same files.
   */
  public static final int CONCURRENT_WRITERS = 16;

  private static final String CONCURRENT_WRITERS_KEY = "spark.sql.maxConcurrentOutputFileWriters";

  /**
   * Dynamic partition overwrite by acquisition: the result table layout used for pixels and results alike. Staging
   * folders that killed writes of this table left behind (older than {@link AtomicOutput#STALE_AFTER}) are removed
   * first.
   */
  public static void writePartitioned(Dataset<Row> df, String path, SparkSession spark) {
    writePartitioned(df, path, spark, java.util.Map.of());
  }

  /**
   * Parquet row groups of at most this many bytes in every partitioned table. A reader splits a file only at row
   * groups, so with Parquet's default (128 MiB) one 640 × 640 × 200 acquisition (113 MB) is one row group and every
   * pass over it runs on one core; 16 MiB row groups spread it over eight tasks at no measurable cost in size.
   */
  public static final long ROW_GROUP_BYTES = 16L << 20;

  /**
   * {@link #writePartitioned(Dataset, String, SparkSession)} with extra Parquet writer options (e.g. per-column
   * encodings, {@code parquet.enable.dictionary#column.path}).
   */
  public static void writePartitioned(Dataset<Row> df, String path, SparkSession spark,
      java.util.Map<String, String> parquetOptions) {
    AtomicOutput.removeStale(spark.sparkContext().hadoopConfiguration(), path, AtomicOutput.SPARK_STAGING,
        AtomicOutput.STALE_AFTER);
    spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    if (Integer.parseInt(spark.conf().get(CONCURRENT_WRITERS_KEY, "0").trim()) <= 0) {
      spark.conf().set(CONCURRENT_WRITERS_KEY, CONCURRENT_WRITERS);
    }
    df.write().mode(SaveMode.Overwrite).option("partitionOverwriteMode", "dynamic")
        .option("parquet.block.size", ROW_GROUP_BYTES).options(parquetOptions)
        .partitionBy(PixelSchema.ACQUISITION_ID).parquet(path);
  }

  private void writePartitioned(Dataset<Row> df, String table) {
    writePartitioned(df, path(table), spark);
  }
}
