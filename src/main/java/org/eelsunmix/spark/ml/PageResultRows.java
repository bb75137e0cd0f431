package org.eelsunmix.spark.ml;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.eelsunmix.spark.pages.StoreScan;

/**
 * The result rows of one scan partition read from its Parquet pages ({@link PixelTransform#resultBlocks}): each
 * chunk of spectra the page reader gives ({@link StoreScan.Chunks}, one acquisition, up to a block of pixels) is
 * solved at once by the kernel's {@link PixelTransform.BlockSolver}, then handed out pixel by pixel as a row of the
 * result columns only ({@code acquisition_id}, {@code x}, {@code y}, the values, the RMSE and, for a kernel with a
 * second output, its values): no spectrum ever enters a row.
 *
 * <p>The row and its value arrays are reused: each row must be consumed before the next is asked for, as Spark's scan
 * of an RDD does (it writes every row into its own binary row at once).
 */
final class PageResultRows implements Iterator<InternalRow> {
  /**
   * What every partition's pass needs, shipped in the closure: values per pixel, whether a second column, and the
   * rows' schema ({@code acquisition_id}, {@code x}, {@code y}, values, RMSE[, second values]).
   */
  record Layout(int outputs, boolean second, StructType schema) implements Serializable {}

  private final StoreScan.Chunks chunks;
  private final PixelTransform.BlockSolver solver;
  private final int outputs;
  private final int width;
  private final double[] values;
  private final double[] rmse;
  private final UnsafeArrayData pixel;
  private final UnsafeArrayData secondValues;
  private final SpecificInternalRow row;
  private String acquisition;
  private int count; // pixels in the current chunk
  private int next; // next pixel of the chunk to hand out

  PageResultRows(StoreScan.Chunks chunks, Layout layout, PixelTransform.BlockSolver solver) {
    this.chunks = chunks;
    this.solver = solver;
    outputs = layout.outputs();
    width = layout.second() ? 2 * outputs : outputs;
    int block = chunks.keys().length;
    values = new double[block * width];
    rmse = new double[block];
    pixel = UnsafeArrayData.fromPrimitiveArray(new double[outputs]);
    secondValues = layout.second() ? UnsafeArrayData.fromPrimitiveArray(new double[outputs]) : null;
    row = new SpecificInternalRow(layout.schema());
    row.update(3, pixel);
    if (secondValues != null) {
      row.update(5, secondValues);
    }
  }

  @Override
  public boolean hasNext() {
    if (next < count) {
      return true;
    }
    try {
      if (!chunks.next()) {
        count = 0;
        return false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    count = chunks.count();
    next = 0;
    solver.solve(chunks.spectra(), count, chunks.keys(), values, rmse);
    if (!chunks.acquisition().equals(acquisition)) { // one string per file split, not per pixel
      acquisition = chunks.acquisition();
      row.update(0, UTF8String.fromString(acquisition));
    }
    return true;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int p = next++;
    row.setInt(1, chunks.xs()[p]);
    row.setInt(2, chunks.ys()[p]);
    for (int i = 0; i < outputs; i++) {
      pixel.setDouble(i, values[p * width + i]);
    }
    row.setDouble(4, rmse[p]);
    if (secondValues != null) {
      for (int i = 0; i < outputs; i++) {
        secondValues.setDouble(i, values[p * width + outputs + i]);
      }
    }
    return row;
  }
}
