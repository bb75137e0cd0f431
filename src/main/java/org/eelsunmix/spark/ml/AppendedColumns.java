package org.eelsunmix.spark.ml;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.spark.PixelSchema;

/**
 * The columns a per-pixel transform appends to each row — a model's values ({@code array<double>}), optionally the
 * pixel's RMSE and a second values column — as one binary row reused from pixel to pixel: the value arrays are
 * {@link UnsafeArrayData} written in place, the RMSE a primitive field of a {@link SpecificInternalRow}. (A
 * {@code GenericInternalRow} boxed the RMSE, a {@code Double} per row: 7 % of a cached FCLS transform's allocation,
 * JFR.) Reuse is safe because every consumer copies the joined row before it asks for the next
 * ({@code PixelTransform.rowsToFrame}, {@code PixelTiles}' projection).
 */
final class AppendedColumns {
  private final int outputs;
  private final boolean withRmse;
  private final UnsafeArrayData values;
  private final UnsafeArrayData second;
  private final SpecificInternalRow row;

  /**
   * @param outputs values per pixel in each values column
   * @param withRmse whether the RMSE column follows the values
   * @param withSecond whether a second values column follows (needs the RMSE column)
   */
  AppendedColumns(int outputs, boolean withRmse, boolean withSecond) {
    if (withSecond && !withRmse) {
      throw new IllegalArgumentException("a second values column follows the RMSE column");
    }
    this.outputs = outputs;
    this.withRmse = withRmse;
    values = UnsafeArrayData.fromPrimitiveArray(new double[outputs]);
    second = withSecond ? UnsafeArrayData.fromPrimitiveArray(new double[outputs]) : null;
    StructType fields = new StructType().add("values", PixelSchema.VALUES_TYPE);
    if (withRmse) {
      fields = fields.add("rmse", DataTypes.DoubleType);
    }
    if (withSecond) {
      fields = fields.add("second", PixelSchema.VALUES_TYPE);
    }
    row = new SpecificInternalRow(fields);
    row.update(0, values);
    if (withSecond) {
      row.update(2, second);
    }
  }

  /**
   * Pixel p's columns: its values from {@code all[p·width ..]} (with a second column, its values right after them) and
   * its RMSE (ignored without an RMSE column). The row returned is this object's, overwritten by the next call.
   */
  InternalRow of(double[] all, int p, int width, double rmse) {
    int at = p * width;
    for (int i = 0; i < outputs; i++) {
      values.setDouble(i, all[at + i]);
    }
    if (withRmse) {
      row.setDouble(1, rmse);
    }
    if (second != null) {
      for (int i = 0; i < outputs; i++) {
        second.setDouble(i, all[at + outputs + i]);
      }
    }
    return row;
  }
}
