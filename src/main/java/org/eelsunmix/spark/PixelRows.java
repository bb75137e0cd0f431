package org.eelsunmix.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.PixelKey;

/**
 * Where the pixel address and the spectrum sit in a row of some schema, resolved once on the driver and shipped
 * to the executors. The address columns ({@code acquisition_id}, {@code y}, {@code x}) are optional: a plain table
 * of spectra still works, its pixels then share one address and ties fall to partition order.
 */
public final class PixelRows implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int spectrum;
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
    java.util.List<String> names = Arrays.asList(schema.fieldNames());
    this.acquisition = names.indexOf(PixelSchema.ACQUISITION_ID);
    this.y = names.indexOf(PixelSchema.Y);
    this.x = names.indexOf(PixelSchema.X);
    this.channels = channels;
    this.nonNegative = nonNegative;
    this.table = table;
  }

  public int channels() {
    return channels;
  }

  /** The pixel's address (missing columns read as "" and 0). */
  public PixelKey key(Row row) {
    return new PixelKey(acquisition < 0 ? "" : row.getString(acquisition), y < 0 ? 0 : row.getInt(y),
        x < 0 ? 0 : row.getInt(x));
  }

  /** Reads and checks the row's spectrum into {@code out} (length {@link #channels()}). */
  public void spectrum(Row row, float[] out) {
    SpectrumColumn.read(row, spectrum, out, nonNegative, table, key(row));
  }
}
