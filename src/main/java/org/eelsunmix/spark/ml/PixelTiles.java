package org.eelsunmix.spark.ml;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import scala.Tuple2;

/**
 * Applies a spatial kernel (one whose result at a pixel depends on the spectra within {@code halo} pixels of it, such
 * as CNNAEU's 3×3 encoder) to pixel rows, tile by tile, without ever holding an image: each row goes to its core
 * tile ({@code acquisition_id}, {@code x / tile}, {@code y / tile}) and, as context only (its spectrum), to every
 * neighbouring tile whose halo contains it; the tiles are grouped by key (one shuffle, memory per task bounded by a
 * tile), and the kernel sees each core with its halo: a block of up to {@code (tile + 2·halo)²} pixels, zeros where
 * there is no pixel (beyond the image's edges, or a pixel missing from the table), as the zero padding of a pass over
 * the whole image. The block spans the core pixels present plus the halo, so an edge tile is as small as the
 * in-memory tiling's ({@code Cnnaeu.abundances}) and the results do not depend on the partitioning.
 *
 * <p>Output: one row per input row, the row unchanged plus the kernel's values ({@code array<double>}) and RMSE, the
 * schema {@link PixelTransform#applyBlocks} produces. Spectra are checked as everywhere ({@link PixelRows#spectrum});
 * a pixel address present twice is refused naming the pixel.
 */
final class PixelTiles {
  private static final String TABLE = "input dataset";

  private PixelTiles() {}

  /** A spatial kernel; serialisable, shipped once in the closure. */
  interface TileKernel extends Serializable {
    /** A solver with its own buffers, used by one partition. */
    TileSolver newSolver();
  }

  /** Per-tile work of one partition. */
  interface TileSolver {
    /**
     * Writes the values ({@code (y·width + x)·outputs + k}) and RMSE ({@code y·width + x}) of every pixel of a
     * block; only those of the core are kept.
     *
     * @param pixels the block's spectra, {@code (y·width + x)·B + c}, zeros where there is no pixel; at least
     *     {@code width·height·B} values, read-only
     */
    void solve(float[] pixels, int width, int height, double[] out, double[] rmse);
  }

  /**
   * @param channels B, which the spectra must have
   * @param outputs values per pixel the kernel writes
   * @param tile core side of a tile, in pixels (≥ 1)
   * @param halo pixels of context on each side (0 to {@code tile})
   * @param modelName names the model in errors
   */
  static Dataset<Row> apply(Dataset<?> dataset, int channels, int outputs, int tile, int halo, TileKernel kernel,
      String inputCol, String outputCol, String rmseCol, String modelName) {
    if (tile < 1 || halo < 0 || halo > tile) {
      throw new IllegalArgumentException("tiles of " + tile + " pixels cannot carry a halo of " + halo);
    }
    StructType in = dataset.schema();
    StructType schema = PixelTransform.outputSchema(dataset, channels, inputCol, outputCol, rmseCol, modelName);
    PixelSchema.requireColumn(in, PixelSchema.X, DataTypes.IntegerType, TABLE);
    PixelSchema.requireColumn(in, PixelSchema.Y, DataTypes.IntegerType, TABLE);
    PixelRows pixels = new PixelRows(in, inputCol, channels, true, TABLE);
    JavaRDD<InternalRow> rows = PixelRows.of(dataset);
    JavaPairRDD<TileKey, TilePixel> routed = rows.mapPartitionsToPair(
        (Iterator<InternalRow> it) -> new Router(it, pixels, in, tile, halo));
    JavaRDD<InternalRow> out = routed.groupByKey(Math.max(1, rows.getNumPartitions())).mapPartitions(
        (Iterator<Tuple2<TileKey, Iterable<TilePixel>>> it) -> new TileRows(it, pixels, schema, tile, halo, outputs,
            kernel));
    // As in PixelTransform: binary rows straight into a DataFrame (Spark-internal API, pinned Spark 3.5).
    return SparkSession.active().internalCreateDataFrame(out.rdd(), schema, false);
  }

  /** A tile's address: acquisition and tile column, row. */
  static final class TileKey implements Serializable {
    private static final long serialVersionUID = 1L;
    final String acquisition;
    final int tx;
    final int ty;

    TileKey(String acquisition, int tx, int ty) {
      this.acquisition = acquisition;
      this.tx = tx;
      this.ty = ty;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TileKey k && k.tx == tx && k.ty == ty && k.acquisition.equals(acquisition);
    }

    @Override
    public int hashCode() {
      return (acquisition.hashCode() * 31 + tx) * 31 + ty;
    }
  }

  /** A pixel on its way to a tile: the whole row for its own tile, just its spectrum for a neighbour's halo. */
  static final class TilePixel implements Serializable {
    private static final long serialVersionUID = 1L;
    final int x;
    final int y;
    /** The row (binary, copied), or null for context. */
    final UnsafeRow row;
    /** The spectrum of a context pixel, or null for a core one (it is read from the row). */
    final float[] spectrum;

    TilePixel(int x, int y, UnsafeRow row, float[] spectrum) {
      this.x = x;
      this.y = y;
      this.row = row;
      this.spectrum = spectrum;
    }
  }

  /** Map side: each row to its core tile, and its spectrum to the neighbours whose halo holds it. */
  private static final class Router implements Iterator<Tuple2<TileKey, TilePixel>> {
    private final Iterator<InternalRow> rows;
    private final PixelRows pixels;
    private final UnsafeProjection toUnsafe;
    private final int tile;
    private final int halo;
    private final float[] spectrum;
    @SuppressWarnings("unchecked")
    private final Tuple2<TileKey, TilePixel>[] pending = new Tuple2[9];
    private int count;
    private int next;

    Router(Iterator<InternalRow> rows, PixelRows pixels, StructType schema, int tile, int halo) {
      this.rows = rows;
      this.pixels = pixels;
      this.toUnsafe = UnsafeProjection.create(schema);
      this.tile = tile;
      this.halo = halo;
      this.spectrum = new float[pixels.channels()];
    }

    @Override
    public boolean hasNext() {
      while (next == count && rows.hasNext()) {
        route(rows.next());
      }
      return next < count;
    }

    @Override
    public Tuple2<TileKey, TilePixel> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending[next++];
    }

    private void route(InternalRow row) {
      pixels.spectrum(row, spectrum); // checked here, where the input's partitioning names nothing yet
      PixelKey key = pixels.key(row);
      int x = key.x();
      int y = key.y();
      if (x < 0 || y < 0) {
        throw new BadInputException(TABLE, "pixel " + SpectrumColumn.describe(key) + " has a negative coordinate");
      }
      int tx = x / tile;
      int ty = y / tile;
      UnsafeRow copy = (row instanceof UnsafeRow u ? u : toUnsafe.apply(row)).copy();
      count = 0;
      next = 0;
      pending[count++] = new Tuple2<>(new TileKey(key.acquisition(), tx, ty), new TilePixel(x, y, copy, null));
      // Neighbouring tiles (up to 8 with a halo as wide as the tile) whose halo reaches this pixel.
      float[] context = null;
      for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
          if ((dx != 0 || dy != 0) && reaches(x, tx, dx) && reaches(y, ty, dy)) {
            context = context == null ? spectrum.clone() : context;
            pending[count++] = new Tuple2<>(new TileKey(key.acquisition(), tx + dx, ty + dy),
                new TilePixel(x, y, null, context));
          }
        }
      }
    }

    /** Whether coordinate {@code v} of tile {@code t} lies in the halo of tile {@code t + d} (d = −1, 0, 1). */
    private boolean reaches(int v, int t, int d) {
      int offset = v - t * tile;
      if (d < 0) {
        return t > 0 && offset < halo;
      }
      return d == 0 || offset >= tile - halo;
    }
  }

  /** Reduce side: each tile's block filled, solved, and its core rows emitted with their values. */
  private static final class TileRows implements Iterator<InternalRow> {
    private final Iterator<Tuple2<TileKey, Iterable<TilePixel>>> tiles;
    private final PixelRows pixels;
    private final int tile;
    private final int halo;
    private final int outputs;
    private final int channels;
    private final TileKernel kernel;
    private TileSolver solver; // made at the first tile: a partition without tiles restores no network
    private final UnsafeProjection toUnsafe;
    private final float[] block;
    private final boolean[] present;
    private final double[] values;
    private final double[] rmse;
    private final float[] one;
    private final AppendedColumns extra;
    private final JoinedRow joined = new JoinedRow();
    private Iterator<TilePixel> core = java.util.Collections.emptyIterator();
    private TilePixel waiting;
    private int originX;
    private int originY;
    private int width;

    TileRows(Iterator<Tuple2<TileKey, Iterable<TilePixel>>> tiles, PixelRows pixels, StructType schema, int tile,
        int halo, int outputs, TileKernel kernel) {
      this.tiles = tiles;
      this.pixels = pixels;
      this.tile = tile;
      this.halo = halo;
      this.outputs = outputs;
      this.channels = pixels.channels();
      this.kernel = kernel;
      this.toUnsafe = UnsafeProjection.create(schema);
      int side = tile + 2 * halo;
      block = new float[side * side * channels];
      present = new boolean[side * side];
      values = new double[side * side * outputs];
      rmse = new double[side * side];
      extra = new AppendedColumns(outputs, true, false);
      one = new float[channels];
    }

    @Override
    public boolean hasNext() {
      while (waiting == null) {
        while (core.hasNext()) {
          TilePixel p = core.next();
          if (p.row != null) {
            waiting = p;
            return true;
          }
        }
        if (!tiles.hasNext()) {
          return false;
        }
        solve(tiles.next());
      }
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int at = (waiting.y - originY) * width + waiting.x - originX;
      InternalRow row = toUnsafe.apply(joined.apply(waiting.row, extra.of(values, at, outputs, rmse[at])));
      waiting = null;
      return row;
    }

    /** Fills the block of one tile (core pixels present plus the halo), solves it, and points at its core rows. */
    private void solve(Tuple2<TileKey, Iterable<TilePixel>> group) {
      TileKey key = group._1();
      int x0 = key.tx * tile;
      int y0 = key.ty * tile;
      int coreW = 0;
      int coreH = 0;
      for (TilePixel p : group._2()) {
        if (p.row != null) {
          coreW = Math.max(coreW, p.x - x0 + 1);
          coreH = Math.max(coreH, p.y - y0 + 1);
        }
      }
      core = group._2().iterator();
      if (coreW == 0) { // a halo beyond the image's last tile: nothing to emit
        return;
      }
      width = coreW + 2 * halo;
      int height = coreH + 2 * halo;
      originX = x0 - halo;
      originY = y0 - halo;
      Arrays.fill(block, 0, width * height * channels, 0f);
      Arrays.fill(present, 0, width * height, false);
      for (TilePixel p : group._2()) {
        int bx = p.x - originX;
        int by = p.y - originY;
        if (bx < 0 || by < 0 || bx >= width || by >= height) {
          continue; // context beyond the last core pixel's halo
        }
        int at = by * width + bx;
        float[] s = p.spectrum;
        if (p.row != null) {
          if (present[at]) {
            throw new BadInputException(TABLE, "pixel " + SpectrumColumn.describe(new PixelKey(key.acquisition,
                p.y, p.x)) + " appears more than once");
          }
          present[at] = true;
          pixels.spectrum(p.row, one);
          s = one;
        }
        System.arraycopy(s, 0, block, at * channels, channels);
      }
      if (solver == null) {
        solver = kernel.newSolver();
      }
      solver.solve(block, width, height, values, rmse);
    }
  }
}
