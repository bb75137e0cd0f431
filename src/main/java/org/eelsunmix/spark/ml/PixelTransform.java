package org.eelsunmix.spark.ml;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.pages.StoreScan;

/**
 * Appends the result of a per-pixel kernel to every row, inside partitions, on Spark's binary rows (as
 * {@link FclsTransform} does for FCLS): an {@code array<double>} column of the kernel's values and, optionally, a
 * per-pixel RMSE column. The kernel travels as {@link KernelBroadcasts} decides (in the closure, or one broadcast for
 * a series of jobs); its solver is built once per partition ({@link Kernel#newSolver()}), with its own buffers;
 * nothing is collected. A block kernel whose pixels do not depend on their block ({@link
 * BlockKernel#blockIndependent()}, FCLS) reads a vectorised Parquet scan's column batches instead of rows
 * ({@link ColumnarScan}, {@link BatchRows}); for the result files alone ({@link #resultBlocks}) it reads a plain
 * scan's Parquet pages instead ({@link StoreScan}, {@link PageResultRows}).
 */
final class PixelTransform {
  /** Session setting: {@code false} keeps the row path ({@link VcaFclsModel#COLUMNAR_TRANSFORM}). */
  static final String COLUMNAR = VcaFclsModel.COLUMNAR_TRANSFORM;

  private PixelTransform() {}

  /** What a model applies to each pixel; serialisable, shipped in the closure or broadcast. */
  interface Kernel extends Serializable {
    /** A solver with its own buffers, used by one partition. */
    Solver newSolver();
  }

  /** Per-pixel work of one partition. */
  interface Solver {
    /**
     * Writes the pixel's values for the spectrum {@code y} (length B, not modified) into {@code out} and returns
     * the pixel's RMSE over channels (NaN when the model has none).
     */
    double solve(float[] y, double[] out);
  }

  /**
   * @param channels B, which the spectra must have
   * @param outputs how many values {@code out} receives per pixel
   * @param rmseCol the RMSE column, or null for none
   */
  static Dataset<Row> apply(Dataset<?> dataset, int channels, int outputs, Kernel kernel, String inputCol,
      String outputCol, String rmseCol, String modelName) {
    StructType schema = outputSchema(dataset, channels, inputCol, outputCol, rmseCol, modelName);
    PixelRows pixels = new PixelRows(dataset.schema(), inputCol, channels, true, "input dataset");
    boolean withRmse = rmseCol != null;
    KernelBroadcasts.Shipped<Kernel> shipped = KernelBroadcasts.ship(kernel);
    RDD<InternalRow> rows = PixelRows.of(dataset).mapPartitions(
        (Iterator<InternalRow> it) -> new Iterator<InternalRow>() {
          private final Solver solver = shipped.get().newSolver();
          private final float[] y = new float[channels];
          private final double[] values = new double[outputs];
          private final AppendedColumns extra = new AppendedColumns(outputs, withRmse, false);
          private final JoinedRow joined = new JoinedRow();

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public InternalRow next() {
            InternalRow row = it.next();
            pixels.spectrum(row, y);
            double rmse = solver.solve(y, values);
            return joined.apply(row, extra.of(values, 0, outputs, rmse));
          }
        }).rdd();
    return rowsToFrame(rows, schema);
  }

  /**
   * The rows as a DataFrame without a conversion of our own. {@code internalCreateDataFrame} is Spark-internal
   * (private[sql], public in bytecode) and takes binary rows as they are; its scan ({@code RDDScanExec}) turns every
   * row into an {@code UnsafeRow} itself (pinned Spark 3.5: its {@code createUnsafeProjection} is true), so the
   * iterators above hand out joined, reused rows: one copy of each row, made before the next is asked for, instead
   * of two. The same reason lets the value arrays be reused.
   */
  private static Dataset<Row> rowsToFrame(RDD<InternalRow> rows, StructType schema) {
    return SparkSession.active().internalCreateDataFrame(rows, schema, false);
  }

  /** Block kernels: several spectra solved at once (one forward pass of a network); serialisable. */
  interface BlockKernel extends Serializable {
    /** A solver with its own buffers, used by one partition. */
    BlockSolver newSolver();

    /** Whether the solver needs the pixels' addresses (read only then: it costs a string per row). */
    default boolean needsKeys() {
      return false;
    }

    /**
     * Whether a pixel's values do not depend on which pixels share its block (as FCLS's, bit for bit): then the
     * blocks may follow a columnar scan's batches ({@link ColumnarScan}) instead of runs of rows.
     */
    default boolean blockIndependent() {
      return false;
    }
  }

  /** Per-block work of one partition. */
  interface BlockSolver {
    /**
     * Writes the values of {@code count} spectra to {@code out} ({@code count × outputs}, or
     * {@code count × 2 outputs} with a second column) and their RMSEs to
     * {@code rmse}.
     *
     * @param y the spectra, {@code count × B} row-major, read-only
     * @param keys the pixels' addresses when {@link BlockKernel#needsKeys()}, else unset
     */
    void solve(float[] y, int count, PixelKey[] keys, double[] out, double[] rmse);
  }

  /**
   * As {@link #apply} (always with an RMSE column), with the spectra of up to {@code block} rows solved together:
   * the rows of a block are copied (Spark reuses row objects), solved at once, then emitted. Memory per task: one
   * block of rows.
   */
  static Dataset<Row> applyBlocks(Dataset<?> dataset, int channels, int outputs, int block, BlockKernel kernel,
      String inputCol, String outputCol, String rmseCol, String modelName) {
    return applyBlocks(dataset, channels, outputs, block, kernel, inputCol, outputCol, rmseCol, null, modelName);
  }

  /**
   * As {@link #applyBlocks(Dataset, int, int, int, BlockKernel, String, String, String, String)}, with a second
   * {@code array<double>} column after the RMSE when {@code secondCol} is not null: the kernel then writes
   * {@code 2 × outputs} values per pixel, the first {@code outputs} to {@code outputCol}, the next to
   * {@code secondCol} (e.g. posterior means and standard deviations).
   */
  static Dataset<Row> applyBlocks(Dataset<?> dataset, int channels, int outputs, int block, BlockKernel kernel,
      String inputCol, String outputCol, String rmseCol, String secondCol, String modelName) {
    StructType first = outputSchema(dataset, channels, inputCol, outputCol, rmseCol, modelName);
    if (secondCol != null && java.util.Arrays.asList(first.fieldNames()).contains(secondCol)) {
      throw new BadInputException("input dataset", "already has a column '" + secondCol + "' (set another output "
          + "column)");
    }
    StructType schema = secondCol == null ? first : first.add(secondCol, PixelSchema.VALUES_TYPE, false);
    int width = secondCol == null ? outputs : 2 * outputs;
    PixelRows pixels = new PixelRows(dataset.schema(), inputCol, channels, true, "input dataset");
    boolean withKeys = kernel.needsKeys();
    KernelBroadcasts.Shipped<BlockKernel> shipped = KernelBroadcasts.ship(kernel);
    boolean columnar = kernel.blockIndependent() && pixels.readsBatches() && Boolean.parseBoolean(
        dataset.sparkSession().conf().get(COLUMNAR, "true"));
    ColumnarScan scan = columnar ? ColumnarScan.of(dataset) : null;
    if (scan != null) {
      BatchRows.Layout layout = new BatchRows.Layout(pixels, outputs, width, block, withKeys, secondCol != null);
      int[] columns = scan.columns; // the closure takes the column map, not the scan and its RDD
      RDD<InternalRow> rows = scan.batches.toJavaRDD().mapPartitions(
          (Iterator<ColumnarBatch> it) -> new BatchRows(it, columns, layout, shipped.get().newSolver())).rdd();
      return rowsToFrame(rows, schema);
    }
    RDD<InternalRow> rows = PixelRows.of(dataset).mapPartitions(
        (Iterator<InternalRow> it) -> new Iterator<InternalRow>() {
          private final BlockSolver solver = shipped.get().newSolver();
          private final InternalRow[] held = new InternalRow[block];
          private final UnsafeRow[] slots = new UnsafeRow[block];
          private final PixelKey[] keys = new PixelKey[block];
          private final float[] y = new float[block * channels];
          private final double[] values = new double[block * width];
          private final double[] rmse = new double[block];
          private final AppendedColumns extra = new AppendedColumns(outputs, true, secondCol != null);
          private final JoinedRow joined = new JoinedRow();
          private int count;
          private int next;

          @Override
          public boolean hasNext() {
            if (next == count) {
              fill();
            }
            return next < count;
          }

          private void fill() {
            count = 0;
            next = 0;
            while (count < block && it.hasNext()) {
              InternalRow row = it.next();
              pixels.spectrum(row, y, count * channels);
              if (withKeys) {
                keys[count] = pixels.key(row);
              }
              held[count] = keep(row, count);
              count++;
            }
            if (count > 0) {
              solver.solve(y, count, keys, values, rmse);
            }
          }

          /**
           * The row, copied (Spark reuses its row objects): a binary row into this block's slot, whose buffer is
           * reused from block to block once large enough; {@code row.copy()} allocated and zeroed a new one per
           * row, a tenth of the transform's CPU on a cached cube (JFR).
           */
          private InternalRow keep(InternalRow row, int slot) {
            if (!(row instanceof UnsafeRow u)) {
              return row.copy();
            }
            UnsafeRow kept = slots[slot];
            if (kept == null) {
              kept = new UnsafeRow(u.numFields());
              kept.pointTo(new byte[u.getSizeInBytes()], u.getSizeInBytes());
              slots[slot] = kept;
            }
            kept.copyFrom(u);
            return kept;
          }

          @Override
          public InternalRow next() {
            if (!hasNext()) {
              throw new java.util.NoSuchElementException();
            }
            int p = next++;
            return joined.apply(held[p], extra.of(values, p, width, rmse[p]));
          }
        }).rdd();
    return rowsToFrame(rows, schema);
  }

  /**
   * The result columns of {@link #applyBlocks(Dataset, int, int, int, BlockKernel, String, String, String, String,
   * String)} only: the input's address columns ({@link #resultNames}) and the output columns, the same rows with the
   * same values as that transform followed by a selection of those columns. When the kernel's pixels do not depend
   * on their block ({@link BlockKernel#blockIndependent()}), the table has all three address columns and its input is
   * a plain scan of a Parquet pixel table that {@link StoreScan} reads, the spectra come straight from the Parquet
   * pages in Spark's scan partitions and order ({@link PageResultRows}), and each output row is built with the result
   * columns alone: no spectrum is copied into a row. Otherwise (and with {@link StoreScan#ENABLED} off) it is the
   * transform and the selection.
   */
  static Dataset<Row> resultBlocks(Dataset<?> dataset, int channels, int outputs, int block, BlockKernel kernel,
      String inputCol, String outputCol, String rmseCol, String secondCol, String modelName) {
    List<String> names = resultNames(dataset.schema(), outputCol, rmseCol, secondCol);
    java.util.Optional<StoreScan> pages = rmseCol != null && kernel.blockIndependent()
        && names.containsAll(List.of(PixelSchema.ACQUISITION_ID, PixelSchema.X, PixelSchema.Y))
        ? StoreScan.of(dataset, inputCol) : java.util.Optional.empty();
    if (pages.isEmpty()) {
      return applyBlocks(dataset, channels, outputs, block, kernel, inputCol, outputCol, rmseCol, secondCol, modelName)
          .select(names.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
    }
    // The fields as the transform gives them (types, nullability, metadata), so the files written are the same.
    StructType full = outputSchema(dataset, channels, inputCol, outputCol, rmseCol, modelName);
    if (secondCol != null) {
      full = full.add(secondCol, PixelSchema.VALUES_TYPE, false);
    }
    StructType schema = new StructType();
    for (String n : names) {
      schema = schema.add(full.apply(n));
    }
    PixelRows pixels = new PixelRows(dataset.schema(), inputCol, channels, true, "input dataset");
    KernelBroadcasts.Shipped<BlockKernel> shipped = KernelBroadcasts.ship(kernel);
    PageResultRows.Layout layout = new PageResultRows.Layout(outputs, secondCol != null, schema);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    RDD<InternalRow> rows = pages.get().chunks(sc, pixels, block,
        (StoreScan.Chunks chunks) -> (Iterator<InternalRow>) new PageResultRows(chunks, layout,
            shipped.get().newSolver())).rdd();
    return rowsToFrame(rows, schema);
  }

  /**
   * The result files' columns of a transformed table, in order: {@code acquisition_id}, {@code x}, {@code y} (those
   * the input has), the output column, the RMSE column and the second output column (those given).
   */
  static List<String> resultNames(StructType input, String outputCol, String rmseCol, String secondCol) {
    List<String> in = java.util.Arrays.asList(input.fieldNames());
    List<String> names = new java.util.ArrayList<>();
    for (String c : new String[] {PixelSchema.ACQUISITION_ID, PixelSchema.X, PixelSchema.Y}) {
      if (in.contains(c)) {
        names.add(c);
      }
    }
    for (String c : new String[] {outputCol, rmseCol, secondCol}) {
      if (c != null) {
        names.add(c);
      }
    }
    return names;
  }

  /**
   * The input schema plus the output column(s); a channel count other than the model's, or an output column that
   * already exists, is refused naming the model or the column.
   */
  static StructType outputSchema(Dataset<?> dataset, int channels, String inputCol, String outputCol,
      String rmseCol, String modelName) {
    StructType in = dataset.schema();
    EnergyAxis axis = SpectrumColumn.axisOf(in, inputCol);
    if (axis != null && axis.channels() != channels) {
      throw new BadInputException("input dataset", "spectra have " + axis.channels() + " channels but model "
          + modelName + " has " + channels);
    }
    for (String c : rmseCol == null ? new String[] {outputCol} : new String[] {outputCol, rmseCol}) {
      if (java.util.Arrays.asList(in.fieldNames()).contains(c)) {
        throw new BadInputException("input dataset", "already has a column '" + c + "' (set another output column)");
      }
    }
    StructType out = in.add(outputCol, PixelSchema.VALUES_TYPE, false);
    if (rmseCol != null) {
      out = out.add(rmseCol, DataTypes.DoubleType, false);
    }
    return out;
  }
}
