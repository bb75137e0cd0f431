package org.eelsunmix.spark.pages;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.datasources.FilePartition;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.util.SerializableConfiguration;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.spark.PixelSchema;

/**
 * A dataset that is a plain scan of a Parquet pixel table (Spark's file listing and partition pruning applied, no
 * other filter), read again with {@link SpectrumPages} instead of Spark's reader: the same partitions, each of the
 * same file splits in the same order (a split's row groups are those whose midpoint lies in it, Spark's rule), so
 * each partition's pixels arrive in the order Spark's scan gives them and the blocks built from them are those of
 * the row path, bit for bit.
 *
 * <p>{@link #of} says when this holds: the executed plan is a {@link FileSourceScanExec} of Parquet without data
 * filters, subquery partition filters or buckets, under at most code generation, a columnar-to-row step and a
 * projection of plain columns; the dataset has the spectrum, {@code x} and {@code y} columns; and every selected
 * file's footer (read on the driver, once per file) is one {@link SpectrumPages} reads. Otherwise it is empty, and the caller keeps Spark's reader. A spectrum of the wrong
 * length or a null found while reading is bad input (as on the row path), named by file.
 *
 * <p>Three ways to read it: {@link #blocks} (one block per partition, the fits' kept blocks), {@link #fold} (one
 * accumulator per partition) and {@link #chunks} (a lazy pass over a partition's chunks, the abundances pass). Values
 * are checked as the row path checks them ({@link PixelRows#check}), those decoded from dictionary pages through
 * their dictionary's bounds ({@link BoundsCheck}).
 *
 * <p>The partitions are handed out with {@code parallelize}, so Spark's preferred locations of the splits (HDFS block
 * hosts) are not passed on; on a local file system or object store that changes nothing.
 */
public final class StoreScan implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Session setting that turns the page reader off ({@code false}; on by default); as a {@code spark.} key it can
   * also be given as a JVM system property ({@code -Dspark.eelsunmix.pageReader.enabled=false}) or in
   * {@code spark-defaults.conf}.
   */
  public static final String ENABLED = "spark.eelsunmix.pageReader.enabled";

  /** Makes a block from one partition's spectra (pixel-major) and their addresses. */
  public interface BlockMaker<T> extends Serializable {
    T make(float[] spectra, PixelKey[] keys, int channels);
  }

  /** One file split of a scan partition, with the file's acquisition (its partition value; "" when none). */
  record Split(String path, long start, long length, String acquisition) implements Serializable {}

  private final List<List<Split>> partitions;
  private final String column;
  private final SerializableConfiguration conf;

  private StoreScan(List<List<Split>> partitions, String column, SerializableConfiguration conf) {
    this.partitions = partitions;
    this.column = column;
    this.conf = conf;
  }

  /** Scan partitions (as Spark's scan of the dataset has them). */
  public int partitionCount() {
    return partitions.size();
  }

  /** The page reader's view of {@code dataset}'s scan, or empty when it cannot stand in for Spark's (class comment). */
  public static Optional<StoreScan> of(Dataset<?> dataset, String column) {
    if (!dataset.sparkSession().conf().get(ENABLED, "true").trim().equalsIgnoreCase("true")) {
      return Optional.empty();
    }
    List<String> names = Arrays.asList(dataset.columns());
    if (!names.contains(column) || !names.contains(PixelSchema.X) || !names.contains(PixelSchema.Y)) {
      return Optional.empty();
    }
    // the plan PixelRows.of runs (toDF shares the dataset's query execution): the same partitions as the row path
    FileSourceScanExec scan = plainScan(dataset.toDF().queryExecution().executedPlan());
    if (scan == null || !(scan.relation().fileFormat() instanceof ParquetFileFormat) || scan.bucketedScan()
        || !scan.dataFilters().isEmpty()) {
      return Optional.empty();
    }
    for (org.apache.spark.sql.catalyst.expressions.Expression e
        : scala.collection.JavaConverters.seqAsJavaList(scan.partitionFilters())) {
      if (org.apache.spark.sql.execution.ExecSubqueryExpression.hasSubquery(e)) {
        return Optional.empty(); // dynamic pruning: its subquery runs only when Spark executes the plan
      }
    }
    List<String> scanned = Arrays.asList(scan.requiredSchema().fieldNames());
    if (!scanned.contains(column) || !scanned.contains(PixelSchema.X) || !scanned.contains(PixelSchema.Y)) {
      return Optional.empty();
    }
    int acquisition = Arrays.asList(scan.relation().partitionSchema().fieldNames())
        .indexOf(PixelSchema.ACQUISITION_ID);
    if (acquisition >= 0 && !(scan.relation().partitionSchema().fields()[acquisition].dataType()
        instanceof org.apache.spark.sql.types.StringType)) {
      return Optional.empty(); // a partition value inferred as a number: the keys are read as strings
    }
    if (acquisition < 0 && names.contains(PixelSchema.ACQUISITION_ID)) {
      // The acquisition is a column of the files, not their folder: the page reader does not read it, and the pixel
      // keys (BLU's and NMF's per-pixel draws) would lose it.
      return Optional.empty();
    }
    RDD<?> input = scan.inputRDD();
    List<List<Split>> partitions = new ArrayList<>();
    Set<String> files = new LinkedHashSet<>();
    for (org.apache.spark.Partition p : input.partitions()) {
      if (!(p instanceof FilePartition fp)) {
        return Optional.empty();
      }
      List<Split> splits = new ArrayList<>();
      for (PartitionedFile f : fp.files()) {
        String id = acquisition < 0 || f.partitionValues().isNullAt(acquisition) ? ""
            : f.partitionValues().getUTF8String(acquisition).toString();
        splits.add(new Split(f.filePath().toPath().toString(), f.start(), f.length(), id));
        files.add(f.filePath().toPath().toString());
      }
      partitions.add(splits);
    }
    if (partitions.isEmpty()) {
      return Optional.empty();
    }
    SerializableConfiguration conf = new SerializableConfiguration(dataset.sparkSession().sessionState()
        .newHadoopConfWithOptions(scan.relation().options()));
    for (String file : files) { // footers only: type, structure, encodings
      try (SpectrumPages pages = SpectrumPages.open(conf.value(), new Path(file), 0, Long.MAX_VALUE, column, 1,
          PixelSchema.X, PixelSchema.Y)) {
        pages.rows();
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.of(new StoreScan(partitions, column, conf));
  }

  /** The scan under a plain projection, code generation and the columnar-to-row step; else null. */
  private static FileSourceScanExec plainScan(SparkPlan plan) {
    while (true) {
      if (plan instanceof FileSourceScanExec scan) {
        return scan;
      } else if (plan instanceof WholeStageCodegenExec w) {
        plan = w.child();
      } else if (plan instanceof InputAdapter a) {
        plan = a.child();
      } else if (plan instanceof ColumnarToRowExec c) {
        plan = c.child();
      } else if (plan instanceof ProjectExec p && plainColumns(p)) {
        plan = p.child();
      } else {
        return null;
      }
    }
  }

  /** Whether a projection only selects columns, or renames one to its own name (metadata, as on the spectrum). */
  private static boolean plainColumns(ProjectExec p) {
    for (NamedExpression e : scala.collection.JavaConverters.seqAsJavaList(p.projectList())) {
      boolean plain = e instanceof Attribute
          || e instanceof Alias a && a.child() instanceof Attribute c && c.name().equals(a.name());
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /** Takes each chunk of a partition's pixels: {@code n} spectra at {@code spectra[0 ..)}, their addresses. */
  public interface ChunkSink<A> extends Serializable {
    void add(A acc, float[] spectra, PixelKey[] keys, int n) throws Exception;
  }

  /**
   * One accumulator per scan partition ({@code make}), fed the partition's pixels in scan order, in chunks of up to
   * {@value #CHUNK} checked spectra ({@code add}; buffers reused), as a streaming pass over the rows would feed it.
   */
  public <A> JavaRDD<A> fold(JavaSparkContext sc, PixelRows rows, org.apache.spark.api.java.function.Function0<A> make,
      ChunkSink<A> add) {
    return chunks(sc, rows, CHUNK, (Chunks chunks) -> {
      A acc = make.call();
      while (chunks.next()) {
        add.add(acc, chunks.spectra(), chunks.keys(), chunks.count());
      }
      return Collections.singletonList(acc).iterator();
    });
  }

  /**
   * One pass per scan partition over its pixels in chunks ({@link Chunks}: up to {@code chunk} checked spectra at a
   * time, scan order, buffers reused), {@code pass} turning them into any number of outputs, lazily: a pass that
   * returns an iterator may read the chunks as its consumer asks for outputs. The partition's open file is closed
   * when its task ends, whether or not the chunks were read to the end.
   */
  public <R> JavaRDD<R> chunks(JavaSparkContext sc, PixelRows rows, int chunk,
      org.apache.spark.api.java.function.FlatMapFunction<Chunks, R> pass) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
    }
    String spectrum = column;
    SerializableConfiguration hadoop = conf;
    List<List<Split>> parts = partitions;
    return sc.parallelize(parts, parts.size()).mapPartitions(it -> {
      List<Split> splits = new ArrayList<>();
      it.forEachRemaining(splits::addAll);
      Chunks chunks = new Chunks(splits, hadoop, spectrum, rows, chunk);
      org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> {
          try {
            chunks.close();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      }
      return pass.call(chunks);
    });
  }

  /**
   * A cursor over one scan partition's pixels: {@link #next} reads the next chunk of up to a fixed number of spectra
   * (pixel-major, values checked by the table's {@link PixelRows}: finite, non-negative when required), with their
   * addresses; a chunk never spans two file splits, so all its pixels belong to one acquisition. The buffers are
   * reused from chunk to chunk. A file this reader cannot read is bad input naming the table and the file.
   */
  public static final class Chunks implements java.io.Closeable {
    private final List<Split> splits;
    private final SerializableConfiguration conf;
    private final String column;
    private final PixelRows rows;
    private final int channels;
    private final float[] spectra;
    private final int[] xs;
    private final int[] ys;
    private final PixelKey[] keys;
    private int next;
    private SpectrumPages open;
    private String acquisition = "";
    private int count;
    private boolean keysMade;
    private final float[] bounds = new float[2];
    private final BoundsCheck dictionaryCheck;

    Chunks(List<Split> splits, SerializableConfiguration conf, String column, PixelRows rows, int chunk) {
      this.splits = splits;
      this.conf = conf;
      this.column = column;
      this.rows = rows;
      this.channels = rows.channels();
      spectra = new float[chunk * channels];
      xs = new int[chunk];
      ys = new int[chunk];
      keys = new PixelKey[chunk];
      dictionaryCheck = new BoundsCheck(rows);
    }

    /** Reads the next chunk; false when the partition's pixels are all read. */
    public boolean next() throws IOException {
      while (true) {
        try {
          if (open == null) {
            if (next == splits.size()) {
              count = 0;
              return false;
            }
            Split split = splits.get(next++);
            open = SpectrumPages.open(conf.value(), new Path(split.path()), split.start(), split.length(), column,
                channels, PixelSchema.X, PixelSchema.Y);
            acquisition = split.acquisition();
          }
          int n = open.read(spectra, xs, ys);
          if (n > 0) {
            count = n;
            keysMade = false;
            if (!open.dictionaryBounds(bounds) || !dictionaryCheck.passes(bounds[0], bounds[1])) {
              rows.check(spectra, 0, n, keys());
            }
            return true;
          }
        } catch (SpectrumPages.Unsupported e) {
          throw new BadInputException(rows.table(), e.getMessage());
        }
        open.close();
        open = null;
      }
    }

    /** Spectra in the current chunk. */
    public int count() {
      return count;
    }

    /** The current chunk's spectra, {@code spectra[p·B + c]} for its {@link #count} pixels (reused buffer). */
    public float[] spectra() {
      return spectra;
    }

    /** The current chunk's pixel addresses (the first {@link #count}; reused array, made on the first call). */
    public PixelKey[] keys() {
      if (!keysMade) {
        for (int p = 0; p < count; p++) {
          keys[p] = new PixelKey(acquisition, ys[p], xs[p]);
        }
        keysMade = true;
      }
      return keys;
    }

    /** Column {@code x} of the current chunk's pixels (the first {@link #count}; reused array). */
    public int[] xs() {
      return xs;
    }

    /** Row {@code y} of the current chunk's pixels (the first {@link #count}; reused array). */
    public int[] ys() {
      return ys;
    }

    /** The current chunk's acquisition (its file's partition value; "" when the table has none). */
    public String acquisition() {
      return acquisition;
    }

    @Override
    public void close() throws IOException {
      if (open != null) {
        SpectrumPages p = open;
        open = null;
        p.close();
      }
    }
  }

  /** Pixels per chunk of {@link #fold}. */
  static final int CHUNK = 256;

  /**
   * One block per scan partition: its splits' spectra read by {@link SpectrumPages}, checked by {@code rows}
   * (finite, non-negative when required), with their addresses.
   */
  public <T> JavaRDD<T> blocks(JavaSparkContext sc, PixelRows rows, BlockMaker<T> maker) {
    int b = rows.channels();
    String spectrum = column;
    SerializableConfiguration hadoop = conf;
    List<List<Split>> parts = partitions;
    return sc.parallelize(parts, parts.size()).mapPartitions(it -> {
      BoundsCheck check = new BoundsCheck(rows);
      float[] bounds = new float[2];
      float[] data = new float[64 * b];
      PixelKey[] keys = new PixelKey[64];
      int n = 0;
      while (it.hasNext()) {
        for (Split split : it.next()) {
          try (SpectrumPages pages = SpectrumPages.open(hadoop.value(), new Path(split.path()), split.start(),
              split.length(), spectrum, b, PixelSchema.X, PixelSchema.Y)) {
            long rowsHere = pages.rows();
            if (n + rowsHere > Integer.MAX_VALUE / Math.max(b, 1)) {
              throw new IllegalStateException(split.path() + ": too many pixels for one block");
            }
            int need = n + (int) rowsHere;
            if (need > keys.length) {
              keys = Arrays.copyOf(keys, need);
              data = Arrays.copyOf(data, need * b);
            }
            int[] xs = new int[need];
            int[] ys = new int[need];
            int got = 0;
            boolean fromDictionaries = true;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            while (got < rowsHere) {
              got += pages.read(data, n + got, (int) rowsHere - got, xs, ys);
              fromDictionaries &= pages.dictionaryBounds(bounds);
              min = Math.min(min, bounds[0]);
              max = Math.max(max, bounds[1]);
            }
            for (int p = n; p < need; p++) {
              keys[p] = new PixelKey(split.acquisition(), ys[p], xs[p]);
            }
            if (!fromDictionaries || !check.passes(min, max)) {
              rows.check(data, n, got, keys);
            }
            n += got;
          } catch (SpectrumPages.Unsupported e) {
            throw new BadInputException(rows.table(), e.getMessage());
          }
        }
      }
      float[] spectra = data.length == n * b ? data : Arrays.copyOf(data, n * b);
      return Collections.singletonList(maker.make(spectra, keys.length == n ? keys : Arrays.copyOf(keys, n), b))
          .iterator();
    });
  }
}
