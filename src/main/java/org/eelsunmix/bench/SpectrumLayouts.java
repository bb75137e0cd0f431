package org.eelsunmix.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;

/**
 * What the Parquet layout of the spectra costs to read: a store's {@code pixels} table copied under other codecs,
 * encodings and column types, and each copy's {@code spectrum} column read the way the columnar transform reads it
 * (Spark's vectorised Parquet scan, column batches taken as {@code float[]} blocks), in tasks' CPU per value.
 *
 * <p>It answers one question of issue 13 ("≥ 1 M pixels/s per core for {@code apply}"): how much of the read cost is
 * the store's choice of layout. The store writes each spectrum as {@code array<float>}, zstd, with Parquet's
 * dictionary encoding; every value then carries a repetition and a definition level. The other layouts here are the
 * same list without dictionary or compression, and the spectrum as one {@code binary} value per pixel (B little-endian
 * float32, one level per pixel instead of one per value). Not a format proposal: a measurement.
 */
public final class SpectrumLayouts {
  private SpectrumLayouts() {}

  /** One way of writing the spectra: Parquet codec, column type, dictionary encoding on or off. */
  public record Layout(String codec, boolean binary, boolean dictionary) {
    public String name() {
      return codec + (binary ? "-binary" : "-array") + (dictionary ? "-dictionary" : "-plain");
    }
  }

  /** The store's own layout first, then the alternatives measured. */
  public static final List<Layout> LAYOUTS = List.of(
      new Layout("zstd", false, true),
      new Layout("snappy", false, true),
      new Layout("uncompressed", false, true),
      new Layout("uncompressed", false, false),
      new Layout("lz4_raw", false, false),
      new Layout("zstd", true, false),
      new Layout("snappy", true, false),
      new Layout("lz4_raw", true, false),
      new Layout("uncompressed", true, false));

  /** One layout's figures: its bytes on disk and, per run, the tasks' CPU seconds of reading every spectrum. */
  public record Figure(Layout layout, long bytes, long pixels, long values, double[] taskSeconds) {
    public double nanosPerValue(int run) {
      return taskSeconds[run] * 1e9 / values;
    }

    public double pixelsPerCpuSecond(int run) {
      return pixels / taskSeconds[run];
    }
  }

  /** The pixels with their spectrum as {@code binary}: B float32 values, little-endian, end to end. */
  public static Dataset<Row> asBinary(Dataset<Row> pixels) {
    StructType schema = new StructType()
        .add(PixelSchema.ACQUISITION_ID, DataTypes.StringType, false)
        .add(PixelSchema.X, DataTypes.IntegerType, false)
        .add(PixelSchema.Y, DataTypes.IntegerType, false)
        .add(PixelSchema.SPECTRUM, DataTypes.BinaryType, false);
    Dataset<Row> keyed = pixels.select(PixelSchema.ACQUISITION_ID, PixelSchema.X, PixelSchema.Y, PixelSchema.SPECTRUM);
    return keyed.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new java.util.Iterator<Row>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        List<Float> spectrum = r.getList(3);
        ByteBuffer bytes = ByteBuffer.allocate(4 * spectrum.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (Float v : spectrum) {
          bytes.putFloat(v);
        }
        return RowFactory.create(r.getString(0), r.getInt(1), r.getInt(2), bytes.array());
      }
    }, Encoders.row(schema));
  }

  /** Writes {@code store}'s pixels as {@code layout} into {@code copy/pixels}, partitioned as the store is. */
  public static void write(SparkSession spark, String store, Layout layout, String copy) {
    Dataset<Row> pixels = spark.read().schema(PixelSchema.PIXELS).parquet(new Path(store, SeriesStore.PIXELS)
        .toString());
    SeriesStore.writePartitioned(layout.binary() ? asBinary(pixels) : pixels,
        new Path(copy, SeriesStore.PIXELS).toString(), spark,
        Map.of("compression", layout.codec(), "parquet.enable.dictionary", Boolean.toString(layout.dictionary())));
  }

  /**
   * Tasks' CPU seconds of reading every spectrum of a {@code binary} copy through the vectorised scan, each value
   * decoded into a block of 256 spectra, one figure per run after one untimed run. A value of the wrong length is
   * refused, naming the copy.
   */
  public static double[] binaryRead(SparkSession spark, String copy, int channels, int runs)
      throws java.util.concurrent.TimeoutException {
    Dataset<Row> spectra = spark.read().parquet(new Path(copy, SeriesStore.PIXELS).toString())
        .select(PixelSchema.SPECTRUM);
    SparkPlan scan = spectra.queryExecution().executedPlan().collectLeaves().head();
    if (!scan.supportsColumnar()) {
      throw new IllegalStateException("the scan of " + copy + " is not columnar: " + scan.nodeName());
    }
    return FclsThroughput.taskSeconds(spark, runs, () -> scan.executeColumnar().toJavaRDD().foreachPartition(
        batches -> {
          float[] block = new float[256 * channels];
          while (batches.hasNext()) {
            ColumnarBatch batch = batches.next();
            ColumnVector column = batch.column(0);
            for (int i = 0; i < batch.numRows(); i++) {
              byte[] value = column.getBinary(i);
              if (value.length != 4 * channels) {
                throw new IllegalStateException(copy + ": a spectrum of " + value.length + " bytes, expected "
                    + 4 * channels);
              }
              ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(block, (i & 255) * channels,
                  channels);
            }
          }
        }));
  }

  /** Copies {@code store} into {@code out/<layout name>} for every layout and times each copy's read. */
  public static List<Figure> measure(SparkSession spark, String store, String out, List<Layout> layouts, int runs)
      throws java.io.IOException, java.util.concurrent.TimeoutException {
    Dataset<Row> sizes = spark.read().schema(PixelSchema.PIXELS).parquet(new Path(store, SeriesStore.PIXELS)
        .toString()).selectExpr("count(*)", "sum(size(spectrum))");
    Row counts = sizes.first();
    long pixels = counts.getLong(0);
    long values = counts.getLong(1);
    int channels = (int) (values / pixels);
    List<Figure> figures = new ArrayList<>();
    for (Layout layout : layouts) {
      String copy = new Path(out, layout.name()).toString();
      write(spark, store, layout, copy);
      Path table = new Path(copy, SeriesStore.PIXELS);
      FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
      long bytes = fs.getContentSummary(table).getLength();
      double[] seconds = layout.binary() ? binaryRead(spark, copy, channels, runs)
          : FclsThroughput.spectraRead(spark, copy, runs);
      figures.add(new Figure(layout, bytes, pixels, values, seconds));
    }
    return figures;
  }

  /**
   * {@code STORE OUT RUNS [MASTER]}: one line per layout and run, ns of tasks' CPU per spectrum value, pixels per
   * task-CPU second, MB on disk.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: SpectrumLayouts STORE OUT RUNS [MASTER]");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().master(args.length > 3 ? args[3] : "local[*]")
        .appName("spectrum-layouts-bench").config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    for (Figure f : measure(spark, args[0], args[1], LAYOUTS, Integer.parseInt(args[2]))) {
      for (int run = 0; run < f.taskSeconds().length; run++) {
        System.out.printf("%-30s %7.1f MB  tasks' CPU %6.3f s  %5.2f ns per value  %5.2f M pixels per CPU s%n",
            f.layout().name(), f.bytes() / 1e6, f.taskSeconds()[run], f.nanosPerValue(run),
            f.pixelsPerCpuSecond(run) / 1e6);
      }
    }
    spark.stop();
  }
}
