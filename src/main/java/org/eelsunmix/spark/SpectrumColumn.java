package org.eelsunmix.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.PixelKey;

/**
 * Checking spectra read out of rows, and the energy axis carried as Spark column metadata. A pixel table read through
 * {@link SeriesStore} has its common {@link EnergyAxis} attached to the {@code spectrum} column (like MLlib's
 * attributes on vector columns), so an estimator can label its endmembers without a join.
 */
public final class SpectrumColumn {
  private SpectrumColumn() {}

  private static final String OFFSET = "energy_offset";
  private static final String SCALE = "energy_scale";
  private static final String UNITS = "energy_units";
  private static final String CHANNELS = "channels";

  /** The column {@code name} of {@code df} with {@code axis} attached as metadata. */
  public static Column withAxis(Dataset<Row> df, String name, EnergyAxis axis) {
    return df.col(name).as(name, metadata(axis));
  }

  /** The column metadata that carries {@code axis}. */
  public static Metadata metadata(EnergyAxis axis) {
    return new MetadataBuilder().putDouble(OFFSET, axis.offset()).putDouble(SCALE, axis.scale())
        .putString(UNITS, axis.units()).putLong(CHANNELS, axis.channels()).build();
  }

  /** The energy axis attached to column {@code name}, or null when it carries none. */
  public static EnergyAxis axisOf(StructType schema, String name) {
    StructField f = schema.fields()[schema.fieldIndex(name)];
    Metadata m = f.metadata();
    if (!m.contains(OFFSET) || !m.contains(SCALE) || !m.contains(CHANNELS)) {
      return null;
    }
    return new EnergyAxis(m.getDouble(OFFSET), m.getDouble(SCALE), m.contains(UNITS) ? m.getString(UNITS) : "eV",
        (int) m.getLong(CHANNELS));
  }

  /** Checks a spectrum already read: its length, finite values and, when {@code nonNegative}, no negative counts. */
  public static void check(float[] s, int channels, boolean nonNegative, String table, PixelKey key) {
    if (s.length != channels) {
      throw new BadInputException(table, "pixel " + describe(key) + " has " + s.length + " channels, expected "
          + channels);
    }
    for (int i = 0; i < s.length; i++) {
      float f = s[i];
      if (!Float.isFinite(f) || (nonNegative && f < 0)) {
        throw bad(f, i, nonNegative, table, key);
      }
    }
  }

  private static BadInputException bad(float f, int channel, boolean nonNegative, String table, PixelKey key) {
    return new BadInputException(table, "pixel " + describe(key) + " has " + (Float.isFinite(f)
        ? "a negative count " + f : "a non-finite value " + f) + " at channel " + channel
        + (nonNegative && Float.isFinite(f) ? "; unmixing needs non-negative spectra" : ""));
  }

  /** A pixel address as messages print it: {@code (acquisition, y=.., x=..)}. */
  public static String describe(PixelKey key) {
    return key == null ? "?" : "(" + (key.acquisition().isEmpty() ? "" : key.acquisition() + ", ") + "y=" + key.y()
        + ", x=" + key.x() + ")";
  }
}
