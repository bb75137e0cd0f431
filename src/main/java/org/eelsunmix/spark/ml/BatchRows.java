package org.eelsunmix.spark.ml;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.spark.PixelRows;

/**
 * The columnar form of {@link PixelTransform#applyBlocks}'s per-partition pass: for each batch of a columnar scan
 * ({@link ColumnarScan}), blocks of up to {@code block} consecutive rows have their spectra read in bulk
 * ({@link PixelRows#spectra}), are solved at once by the kernel's {@link PixelTransform.BlockSolver}, and are handed
 * to Spark as rows that join a view of the batch's row (its columns, uncopied) with the reused output values. The
 * row path instead copies every row whole before a block is solved (Spark reuses row objects) and has the scan
 * write each spectrum into a binary row first; here a spectrum is read once, from the reader's vector.
 *
 * <p>The rows are reused and point into the current batch: they must be consumed before the next is asked for, as
 * Spark's scan of an RDD does (it converts each to a binary row, reading only the columns its consumers use).
 */
final class BatchRows implements Iterator<InternalRow> {
  /** What every partition's pass needs, shipped in the closure. */
  record Layout(PixelRows pixels, int outputs, int width, int block, boolean withKeys, boolean second)
      implements Serializable {}

  private final Iterator<ColumnarBatch> batches;
  private final int[] columns;
  private final Layout layout;
  private final PixelTransform.BlockSolver solver;
  private final float[] buffer;
  private final PixelKey[] keys;
  private final double[] values;
  private final double[] rmse;
  private final AppendedColumns extra;
  private final JoinedRow joined = new JoinedRow();
  private ColumnarBatch batch;
  private int rows; // in the current batch
  private int start; // first row of the current block
  private int count; // rows in the current block
  private int next; // next row of the block to hand out

  BatchRows(Iterator<ColumnarBatch> batches, int[] columns, Layout layout, PixelTransform.BlockSolver solver) {
    this.batches = batches;
    this.columns = columns;
    this.layout = layout;
    this.solver = solver;
    int block = layout.block();
    buffer = new float[block * layout.pixels().channels()];
    keys = new PixelKey[block];
    values = new double[block * layout.width()];
    rmse = new double[block];
    extra = new AppendedColumns(layout.outputs(), true, layout.second());
  }

  @Override
  public boolean hasNext() {
    while (next == count) {
      if (start + count < rows) {
        solve(start + count);
      } else if (batches.hasNext()) {
        batch = ColumnarScan.view(columns, batches.next());
        rows = batch.numRows();
        start = 0;
        count = 0;
        next = 0;
      } else {
        return false;
      }
    }
    return true;
  }

  /** Reads and solves the block of rows from {@code from}. */
  private void solve(int from) {
    start = from;
    count = Math.min(layout.block(), rows - from);
    next = 0;
    PixelRows pixels = layout.pixels();
    float[] y = pixels.spectra(batch, from, count, buffer);
    if (layout.withKeys()) {
      for (int i = 0; i < count; i++) {
        keys[i] = pixels.key(batch.getRow(from + i));
      }
    }
    solver.solve(y, count, keys, values, rmse);
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int p = next++;
    return joined.apply(batch.getRow(start + p), extra.of(values, p, layout.width(), rmse[p]));
  }
}
