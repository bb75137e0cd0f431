package org.eelsunmix.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.Platform;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.linalg.FiniteValues;

/**
 * Reads pixels out of Spark's binary rows for the passes that touch every spectrum (VCA's moments and projection,
 * FCLS): the column positions are resolved once on the driver and shipped to the executors, and each spectrum is
 * copied channel by channel from the row into a caller's {@code float[]}. The public {@code Row} API (and a bean
 * encoder) would first build a boxed or per-element copy of every spectrum, which profiling showed to cost far more
 * than the unmixing itself.
 *
 * <p>{@link #spectra} reads a block of spectra out of a columnar batch (the vectorised Parquet reader's) with the
 * same checks, for the per-pixel passes that can take the batches directly.
 *
 * <p>The address columns ({@code acquisition_id}, {@code y}, {@code x}) are optional: a plain table of spectra still
 * works, its pixels then share one address and ties fall to partition order.
 */
public final class PixelRows implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int spectrum;
  private final boolean isFloat;
  private final int acquisition;
  private final int y;
  private final int x;
  private final int channels;
  private final boolean nonNegative;
  private final String table;

  /**
   * @param schema the rows' schema
   * @param spectrumColumn the spectrum column (array of float or double; checked)
   * @param channels the expected spectrum length
   * @param nonNegative whether negative counts are refused
   * @param table how to name the table in error messages (a path, or "input dataset")
   */
  public PixelRows(StructType schema, String spectrumColumn, int channels, boolean nonNegative, String table) {
    PixelSchema.requireSpectrumColumn(schema, spectrumColumn, table);
    this.spectrum = schema.fieldIndex(spectrumColumn);
    this.isFloat = ((ArrayType) schema.fields()[spectrum].dataType()).elementType().equals(DataTypes.FloatType);
    List<String> names = Arrays.asList(schema.fieldNames());
    this.acquisition = names.indexOf(PixelSchema.ACQUISITION_ID);
    this.y = names.indexOf(PixelSchema.Y);
    this.x = names.indexOf(PixelSchema.X);
    this.channels = channels;
    this.nonNegative = nonNegative;
    this.table = table;
  }

  /** The binary rows of a dataset (rows may be reused objects: read them before taking the next). */
  public static JavaRDD<InternalRow> of(Dataset<?> dataset) {
    return dataset.toDF().queryExecution().toRdd().toJavaRDD();
  }

  public int channels() {
    return channels;
  }

  /** The pixel's address (missing columns read as "" and 0). */
  public PixelKey key(InternalRow row) {
    return new PixelKey(acquisition < 0 ? "" : row.getUTF8String(acquisition).toString(),
        y < 0 ? 0 : row.getInt(y), x < 0 ? 0 : row.getInt(x));
  }

  /**
   * Copies the row's spectrum into {@code out} (length {@link #channels()}), checking the channel count, nulls,
   * finiteness and (when required) non-negative counts; errors name the table, the pixel and the channel.
   */
  public void spectrum(InternalRow row, float[] out) {
    spectrum(row, out, 0);
  }

  /**
   * As {@link #spectrum(InternalRow, float[])}, into {@code out[offset .. offset + channels)}. A float column in
   * Spark's binary form (the usual case: Parquet, cache and shuffle all give {@link UnsafeArrayData}) is copied in
   * one block after a word-wise look at its null bits; element by element, the copy cost several times the FCLS
   * solve of the pixel.
   */
  public void spectrum(InternalRow row, float[] out, int offset) {
    if (row.isNullAt(spectrum)) {
      throw new BadInputException(table, "pixel " + SpectrumColumn.describe(key(row)) + " has no spectrum (null)");
    }
    if (isFloat && row instanceof UnsafeRow u && copyFloats(u, out, offset)) {
      checkValues(out, offset, row);
      return;
    }
    ArrayData values = row.getArray(spectrum);
    if (values.numElements() != channels) {
      throw new BadInputException(table, "pixel " + SpectrumColumn.describe(key(row)) + " has "
          + values.numElements() + " channels, expected " + channels);
    }
    if (!(isFloat && values instanceof UnsafeArrayData u && copyFloats(u, out, offset))) {
      copyElements(row, values, out, offset);
    }
    checkValues(out, offset, row);
  }

  /**
   * Any non-finite or (when refused) negative value of the spectrum at {@code out[offset ..]}: then finds and names
   * it; the pixel's address ({@code row}) is only read for the error message.
   */
  private void checkValues(float[] out, int offset, InternalRow row) {
    if (!plausible(out, offset, offset + channels)) {
      float[] one = offset == 0 && out.length == channels ? out : Arrays.copyOfRange(out, offset, offset + channels);
      SpectrumColumn.check(one, channels, nonNegative, table, key(row));
    }
  }

  /** Whether {@code y[from .. to)} are all finite (and non-negative when required): {@link FiniteValues}. */
  private boolean plausible(float[] y, int from, int to) {
    return FiniteValues.all(y, from, to, nonNegative);
  }

  /**
   * Checks pixels {@code from .. from + count} of a block of spectra read without rows ({@code y[p·B + c]}, the
   * pixels' addresses in {@code keys[p]}) as
   * {@link #spectrum(InternalRow, float[], int)} checks one row's: finite, and non-negative when required; an error
   * names the table and the pixel.
   */
  public void check(float[] y, int from, int count, PixelKey[] keys) {
    if (!plausible(y, from * channels, (from + count) * channels)) {
      for (int p = from; p < from + count; p++) {
        if (!plausible(y, p * channels, (p + 1) * channels)) {
          SpectrumColumn.check(Arrays.copyOfRange(y, p * channels, (p + 1) * channels), channels, nonNegative, table,
              keys[p]);
        }
      }
    }
  }

  /** The table's name in error messages. */
  public String table() {
    return table;
  }

  /** Whether {@link #spectra} can read this table's spectrum column (an array of float). */
  public boolean readsBatches() {
    return isFloat;
  }

  /**
   * The spectra of rows {@code from .. from + count} of a columnar batch (a vectorised Parquet scan's), {@code count
   * × B} row-major, checked as {@link #spectrum(InternalRow, float[], int)} checks one row. The batch's columns are
   * those of the schema this reader was made for, in its order. When the rows' arrays lie end to end in the
   * column's element vector (the Parquet reader's layout), the block is one bulk read ({@code getFloats}: an array
   * copy, or the dictionary decoded), returned as a new array; otherwise each array is copied into {@code buffer}
   * (at least {@code count × B} long), which is returned.
   */
  public float[] spectra(ColumnarBatch batch, int from, int count, float[] buffer) {
    ColumnVector column = batch.column(spectrum);
    int first = -1;
    boolean contiguous = column instanceof WritableColumnVector;
    for (int i = from; i < from + count; i++) {
      if (column.isNullAt(i)) {
        throw new BadInputException(table, "pixel " + SpectrumColumn.describe(key(batch.getRow(i)))
            + " has no spectrum (null)");
      }
      int length = contiguous ? ((WritableColumnVector) column).getArrayLength(i) : column.getArray(i).numElements();
      if (length != channels) {
        throw new BadInputException(table, "pixel " + SpectrumColumn.describe(key(batch.getRow(i))) + " has "
            + length + " channels, expected " + channels);
      }
      if (contiguous) {
        int at = ((WritableColumnVector) column).getArrayOffset(i);
        first = i == from ? at : first;
        contiguous = at == first + (i - from) * channels;
      }
    }
    // Other vector kinds need not expose their elements as a child vector: their nulls are looked for one by one.
    ColumnVector elements = contiguous ? column.getChild(0) : null;
    if (elements == null || elements.hasNull()) { // a null somewhere in the batch: is it in this block? Name it
      for (int i = from; i < from + count; i++) {
        ColumnarArray values = column.getArray(i);
        for (int c = 0; c < channels; c++) {
          if (values.isNullAt(c)) {
            throw new BadInputException(table, "pixel " + SpectrumColumn.describe(key(batch.getRow(i)))
                + " has a null value at channel " + c);
          }
        }
      }
    }
    float[] y;
    if (contiguous) {
      y = elements.getFloats(first, count * channels);
    } else {
      y = buffer;
      for (int i = from; i < from + count; i++) {
        System.arraycopy(column.getArray(i).toFloatArray(), 0, y, (i - from) * channels, channels);
      }
    }
    if (!plausible(y, 0, count * channels)) { // one pass over the block; each pixel's own check only to name the culprit
      for (int i = 0; i < count; i++) {
        checkValues(y, i * channels, batch.getRow(from + i));
      }
    }
    return y;
  }

  /**
   * The spectrum of a binary row read where it lies, without the {@link UnsafeArrayData} that {@code getArray} makes
   * per call (a tenth of a cached FCLS transform's allocation, JFR): {@code getLong} of the field is the array's
   * offset in the row (high 32 bits) and its size in bytes (low). False (nothing trusted, the caller takes the general
   * path and names any defect) unless it holds exactly {@link #channels()} values and no null.
   */
  private boolean copyFloats(UnsafeRow row, float[] out, int offset) {
    long offsetAndSize = row.getLong(spectrum);
    Object base = row.getBaseObject();
    long start = row.getBaseOffset() + (int) (offsetAndSize >> 32);
    return Platform.getLong(base, start) == channels && copyFloats(base, start, out, offset);
  }

  /** One block copy of a binary float array without nulls; false (nothing trusted) when a null bit is set. */
  private boolean copyFloats(UnsafeArrayData u, float[] out, int offset) {
    return copyFloats(u.getBaseObject(), u.getBaseOffset(), out, offset);
  }

  /** {@link #copyFloats(UnsafeArrayData, float[], int)} of the array at {@code base + start}. */
  private boolean copyFloats(Object base, long start, float[] out, int offset) {
    int header = UnsafeArrayData.calculateHeaderPortionInBytes(channels); // 8-byte count, then the null bits
    for (long w = 8; w < header; w += 8) {
      if (Platform.getLong(base, start + w) != 0) {
        return false;
      }
    }
    Platform.copyMemory(base, start + header, out, Platform.FLOAT_ARRAY_OFFSET + 4L * offset, 4L * channels);
    return true;
  }

  /** Element by element: double columns, other array forms, and nulls (named). */
  private void copyElements(InternalRow row, ArrayData values, float[] out, int offset) {
    for (int i = 0; i < channels; i++) {
      if (values.isNullAt(i)) {
        throw new BadInputException(table, "pixel " + SpectrumColumn.describe(key(row)) + " has a null value at "
            + "channel " + i);
      }
      out[offset + i] = isFloat ? values.getFloat(i) : (float) values.getDouble(i);
    }
  }
}
