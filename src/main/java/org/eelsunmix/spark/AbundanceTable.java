package org.eelsunmix.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Writes an abundances table ({@link PixelSchema#ABUNDANCES}: {@code acquisition_id, x, y, abundances, rmse}) in one
 * Spark job, each task writing its rows with {@link AbundanceFile}: the layout Spark's partitioned Parquet writer
 * leaves ({@code dir/acquisition_id=<id>/part-<task>-<job>.c000.<codec>.parquet} and {@code dir/_SUCCESS}), with the
 * semantics {@link SeriesStore#writePartitioned} asks of it, dynamic partition overwrite: the acquisitions written
 * replace their folders, every other acquisition's folder is left as it was (the nightly reprocessing's shared table).
 *
 * <p>Commit protocol, Spark's dynamic-overwrite one: a task writes under {@code dir/.spark-staging-<job>/} into a
 * hidden file of its attempt and renames it to its final name when all its rows are written (a retried or
 * speculative attempt writes its own hidden file; the rows of a partition are the same in every attempt, so the
 * first file in place stays and a later attempt drops its own); after the job the driver moves each written
 * acquisition's staged folder in place of the table's, then writes {@code _SUCCESS}. A killed job leaves only its
 * staging folder, which readers skip (a hidden name) and a later write removes once a day old
 * ({@link AtomicOutput#removeStale}). The tasks also count their rows and sum their RMSEs, so the command's summary
 * line needs no pass reading the table back ({@link ResultFiles.Summary}).
 *
 * <p>For a result with a second value column ({@link PixelSchema#ABUNDANCES_STD}), or with
 * {@code -Deelsunmix.sparkParquetWriter=true}, {@link ResultFiles#writeAbundances} uses Spark's writer as before.
 */
public final class AbundanceTable {
  private AbundanceTable() {}

  /** Whether {@code -Deelsunmix.sparkParquetWriter=true} asks for Spark's writer instead (comparisons, a fallback). */
  static boolean sparkWriterAsked() {
    return Boolean.parseBoolean(System.getProperty("eelsunmix.sparkParquetWriter", "false"));
  }

  /**
   * Writes {@code rows} (exactly the columns of {@link PixelSchema#ABUNDANCES}, in its order and types) as the
   * partitioned table {@code dir}, compressed with the session's {@code spark.sql.parquet.compression.codec}. The
   * files' schema is {@link PixelSchema#ABUNDANCES}'s as declared (x, y and the abundances required, the RMSE
   * optional), not the nullability a query plan happened to derive, which Spark's writer wrote.
   */
  public static ResultFiles.Summary write(SparkSession spark, Dataset<Row> rows, String dir) {
    StructType schema = rows.schema();
    if (!java.util.Arrays.equals(schema.fieldNames(), PixelSchema.ABUNDANCES.fieldNames())) {
      throw new IllegalArgumentException("an abundances table has the columns "
          + String.join(", ", PixelSchema.ABUNDANCES.fieldNames()) + ", not " + String.join(", ",
          schema.fieldNames()));
    }
    for (int i = 0; i < schema.fields().length; i++) {
      if (!schema.fields()[i].dataType().sameType(PixelSchema.ABUNDANCES.fields()[i].dataType())) {
        throw new IllegalArgumentException("column " + schema.fields()[i].name() + " is "
            + schema.fields()[i].dataType().simpleString() + ", not "
            + PixelSchema.ABUNDANCES.fields()[i].dataType().simpleString());
      }
    }
    // The table's declared schema, whatever nullability the plan derived: x, y and the list (and its values) are
    // never null in a result, and a row that breaks this stops the write (AbundanceFile's required columns).
    StructType declared = PixelSchema.ABUNDANCES;
    StructType fileSchema = new StructType(java.util.Arrays.copyOfRange(declared.fields(), 1,
        declared.fields().length));
    MessageType parquet = new SparkToParquetSchemaConverter(SQLConf.get()).convert(fileSchema);
    CompressionCodecName codec = codec(spark.conf().get("spark.sql.parquet.compression.codec", "snappy"));
    Map<String, String> footer = new LinkedHashMap<>();
    footer.put("org.apache.spark.version", spark.version());
    footer.put(SeriesStore.SPARK_ROW_METADATA, fileSchema.json());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    AtomicOutput.removeStale(conf, dir, AtomicOutput.SPARK_STAGING, AtomicOutput.STALE_AFTER);
    String job = UUID.randomUUID().toString();
    Path table = new Path(dir);
    Path staging = new Path(table, ".spark-staging-" + job);
    String stagingName = staging.toString();
    String parquetSchema = parquet.toString();
    SerializableConfiguration shipped = new SerializableConfiguration(conf);
    List<Written> written;
    try {
      written = resultRows(rows).toJavaRDD().mapPartitionsWithIndex(
          (Integer part, Iterator<InternalRow> it) -> List.of(writePartition(part, it, shipped.value(), stagingName,
              job, MessageTypeParser.parseMessageType(parquetSchema), codec, footer)).iterator(), false).collect();
    } catch (Throwable e) { // SparkException too (a checked exception Scala's collect throws undeclared)
      try { // the table stays as it was; only this job's staging folder goes
        staging.getFileSystem(conf).delete(staging, true);
      } catch (IOException | RuntimeException ignored) {
        // left for removeStale
      }
      throw e;
    }
    commit(conf, table, staging, written);
    long pixels = 0;
    long valued = 0;
    double sum = 0;
    for (Written w : written) { // partition order
      pixels += w.rows;
      valued += w.valued;
      sum += w.rmseSum;
    }
    return new ResultFiles.Summary(pixels, valued, sum);
  }

  /** What a task wrote: its acquisitions' folder names, its rows, and its RMSEs' count and sum (in row order). */
  private record Written(List<String> folders, long rows, long valued, double rmseSum)
      implements java.io.Serializable {}

  /**
   * The rows to write: where the table is an RDD of Spark's internal rows as it stands (a transform's result rows,
   * {@code internalCreateDataFrame}: the optimised plan is that {@link LogicalRDD}, its columns the table's), that
   * RDD itself; otherwise the query's rows ({@code toRdd}). Why: Spark's scan of such an RDD copies every row into an
   * {@code UnsafeRow} first, 9 % of the executors' samples in a 2048² abundances pass (JFR), and this writer reads
   * any {@link InternalRow} a value at a time.
   */
  static org.apache.spark.rdd.RDD<InternalRow> resultRows(Dataset<Row> rows) {
    return asStored(rows).orElseGet(() -> rows.queryExecution().toRdd());
  }

  /** The RDD of {@link #resultRows} where the plan is one {@link LogicalRDD} of the table's columns, in order. */
  static java.util.Optional<org.apache.spark.rdd.RDD<InternalRow>> asStored(Dataset<Row> rows) {
    if (rows.queryExecution().optimizedPlan() instanceof LogicalRDD scan) {
      List<String> names = new ArrayList<>();
      scala.collection.JavaConverters.seqAsJavaList(scan.output()).forEach(a -> names.add(a.name()));
      if (names.equals(List.of(PixelSchema.ABUNDANCES.fieldNames()))) {
        return java.util.Optional.of(scan.rdd());
      }
    }
    return java.util.Optional.empty();
  }

  static CompressionCodecName codec(String sparkName) {
    String name = sparkName.trim().toLowerCase(Locale.ROOT);
    return name.equals("none") ? CompressionCodecName.UNCOMPRESSED : CompressionCodecName.fromConf(name);
  }

  /**
   * One task: its rows into one file per acquisition met, under the staging folder; returns what it wrote. On a
   * failure its unfinished files are deleted.
   */
  private static Written writePartition(int part, Iterator<InternalRow> it, Configuration conf, String staging,
      String job, MessageType schema, CompressionCodecName codec, Map<String, String> footer) throws IOException {
    int attempt = TaskContext.get() == null ? 0 : TaskContext.get().attemptNumber();
    String name = String.format(Locale.ROOT, "part-%05d-%s.c000%s.parquet", part, job, codec.getExtension());
    TaskFiles files = new TaskFiles(conf, staging, name, attempt, schema, codec, footer);
    try {
      // One call a row: the row's work is a method C2 compiles on its own. Written inline in this loop, it was
      // compiled on-stack, and the loop's exit (never taken while the first task was profiled) trapped at the end
      // of that task: the next tasks ran the loop in the interpreter while C2 compiled it again (3.1 s of compiler
      // time in one compile at 2048², -XX:+LogCompilation).
      while (it.hasNext()) {
        files.add(it.next());
      }
      return files.close();
    } catch (IOException | RuntimeException | Error e) {
      files.abort();
      throw e;
    }
  }

  /** A task's open files, one per acquisition met, and what it wrote. */
  private static final class TaskFiles {
    private final Map<UTF8String, Open> files = new LinkedHashMap<>();
    private final Configuration conf;
    private final String staging;
    private final String name;
    private final int attempt;
    private final MessageType schema;
    private final CompressionCodecName codec;
    private final Map<String, String> footer;
    private double[] values = new double[16];
    private UTF8String lastId;
    private Open last;
    private long rows;
    private long valued;
    private double rmseSum;

    TaskFiles(Configuration conf, String staging, String name, int attempt, MessageType schema,
        CompressionCodecName codec, Map<String, String> footer) {
      this.conf = conf;
      this.staging = staging;
      this.name = name;
      this.attempt = attempt;
      this.schema = schema;
      this.codec = codec;
      this.footer = footer;
    }

    /** Adds one result row to its acquisition's file. */
    void add(InternalRow r) throws IOException {
      UTF8String id = r.isNullAt(0) ? null : r.getUTF8String(0);
      if (last == null || !java.util.Objects.equals(id, lastId)) {
        switchTo(id);
      }
      if (r.isNullAt(1) || r.isNullAt(2) || r.isNullAt(3)) {
        throw new IllegalStateException("a result row of " + last.folder + " without its x, y or "
            + PixelSchema.ABUNDANCES_COL);
      }
      ArrayData a = r.getArray(3);
      int n = a.numElements();
      if (values.length < n) {
        values = new double[n];
      }
      for (int i = 0; i < n; i++) {
        if (a.isNullAt(i)) {
          throw new IllegalStateException("a null abundance in a result row of " + last.folder);
        }
        values[i] = a.getDouble(i);
      }
      if (last.file == null) {
        startFile(n);
      }
      boolean hasRmse = !r.isNullAt(4);
      double rmse = hasRmse ? r.getDouble(4) : 0;
      last.file.add(r.getInt(1), r.getInt(2), values, 0, n, hasRmse, rmse);
      rows++;
      if (hasRmse) {
        valued++;
        rmseSum += rmse;
      }
    }

    /** The file of acquisition {@code id} (rows are reused: the id is copied), opened on its first row. */
    private void switchTo(UTF8String id) {
      lastId = id == null ? null : id.clone();
      last = files.get(lastId);
      if (last == null) {
        String folder = ExternalCatalogUtils.getPartitionPathString(PixelSchema.ACQUISITION_ID,
            id == null ? null : id.toString());
        last = new Open(new Path(new Path(staging, folder), name), folder, attempt);
        files.put(lastId, last);
      }
    }

    /**
     * Row groups of about SeriesStore.ROW_GROUP_BYTES, as Spark's writer was told: a row is n doubles and about 26
     * bytes more (x, y, the list's length, the RMSE and its flag, the levels).
     */
    private void startFile(int n) throws IOException {
      int groupRows = (int) Math.max(1, SeriesStore.ROW_GROUP_BYTES / (26 + 8L * Math.max(1, n)));
      last.file = new AbundanceFile(conf, last.tmp, schema, codec, groupRows, footer);
    }

    /** Closes every file and moves it to its final name; returns what the task wrote. */
    Written close() throws IOException {
      List<String> folders = new ArrayList<>();
      for (Open o : files.values()) {
        o.file.close();
        o.file = null;
        FileSystem fs = o.target.getFileSystem(conf);
        // Another attempt of this task (a retry after a lost executor, a speculative copy) may have put its file in
        // place already: the same rows, complete (renamed only when whole), so it stays and this one goes. Never
        // delete-then-rename: an attempt killed between the two would leave no file.
        if (!fs.exists(o.target) && !fs.rename(o.tmp, o.target) && !fs.exists(o.target)) {
          throw new IOException("could not rename " + o.tmp + " to " + o.target);
        }
        if (fs.exists(o.tmp)) {
          fs.delete(o.tmp, false);
        }
        folders.add(o.folder);
      }
      return new Written(folders, rows, valued, rmseSum);
    }

    /** After a failure: deletes the unfinished files (the first failure is the one reported). */
    void abort() {
      for (Open o : files.values()) {
        try {
          if (o.file != null) {
            o.file.close();
          }
        } catch (IOException | RuntimeException ignored) {
          // the first failure is the one to report
        }
        try {
          o.tmp.getFileSystem(conf).delete(o.tmp, false);
        } catch (IOException ignored) {
          // a leftover hidden file in the staging folder, removed with it
        }
      }
    }
  }

  /** A task's file for one acquisition: its hidden name while written, then its final one. */
  private static final class Open {
    final Path target;
    final Path tmp;
    final String folder;
    AbundanceFile file;

    Open(Path target, String folder, int attempt) {
      this.target = target;
      this.tmp = new Path(target.getParent(), "." + target.getName() + ".attempt-" + attempt + ".inprogress");
      this.folder = folder;
    }
  }

  /** Moves every staged acquisition folder in place of the table's, removes the staging folder, marks success. */
  private static void commit(Configuration conf, Path table, Path staging, List<Written> written) {
    try {
      FileSystem fs = table.getFileSystem(conf);
      fs.mkdirs(table);
      TreeSet<String> folders = new TreeSet<>();
      written.forEach(w -> folders.addAll(w.folders));
      for (String folder : folders) {
        Path from = new Path(staging, folder);
        for (FileStatus s : fs.listStatus(from)) { // a failed attempt's hidden leftovers
          if (s.getPath().getName().endsWith(".inprogress")) {
            fs.delete(s.getPath(), false);
          }
        }
        Path to = new Path(table, folder);
        if (fs.exists(to) && !fs.delete(to, true)) {
          throw new IOException("could not replace " + to);
        }
        if (!fs.rename(from, to)) {
          throw new IOException("could not move " + from + " to " + to);
        }
      }
      fs.delete(staging, true);
      fs.create(new Path(table, "_SUCCESS"), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + table + ": " + e.getMessage(), e);
    }
  }
}
