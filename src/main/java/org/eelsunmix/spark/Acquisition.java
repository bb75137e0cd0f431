package org.eelsunmix.spark;

import java.sql.Timestamp;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.eelsunmix.core.EnergyAxis;
import scala.collection.JavaConverters;

/**
 * One row of the acquisitions table ({@link PixelSchema#ACQUISITIONS}): what a spectrum image is, where it came
 * from and how its energy axis is calibrated.
 *
 * @param id acquisition identifier (the pixel table's partition)
 * @param sourcePath file or folder it was read from (null for synthetic data)
 * @param checksum SHA-256 of the source data, hex (null when not computed)
 * @param width columns
 * @param height rows
 * @param axis energy axis (gives the channel count)
 * @param acquisitionTime when it was acquired, if the file says (null otherwise)
 * @param format source format: {@code npy}, {@code synthetic}, {@code dm4}, ...
 * @param dataType how the file stores its counts ({@code float32}, {@code uint16}, ...; null when unknown)
 * @param metadata acquisition metadata found in the file (beam energy, exposure, title, ...), as text; empty when
 *     there is none
 */
public record Acquisition(String id, String sourcePath, String checksum, int width, int height, EnergyAxis axis,
    Timestamp acquisitionTime, String format, String dataType, Map<String, String> metadata)
    implements java.io.Serializable {

  public Acquisition {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** An acquisition whose stored type and metadata are not known (synthetic data, tests). */
  public Acquisition(String id, String sourcePath, String checksum, int width, int height, EnergyAxis axis,
      Timestamp acquisitionTime, String format) {
    this(id, sourcePath, checksum, width, height, axis, acquisitionTime, format, null, Map.of());
  }

  public Row toRow() {
    return RowFactory.create(id, sourcePath, checksum, width, height, axis.channels(), axis.offset(), axis.scale(),
        axis.units(), acquisitionTime, format, dataType, JavaConverters.mapAsScalaMap(new TreeMap<>(metadata)));
  }

  public static Acquisition fromRow(Row r) {
    EnergyAxis axis = new EnergyAxis(r.getDouble(r.fieldIndex("energy_offset")),
        r.getDouble(r.fieldIndex("energy_scale")), r.getString(r.fieldIndex("energy_units")),
        r.getInt(r.fieldIndex("channels")));
    return new Acquisition(r.getString(r.fieldIndex(PixelSchema.ACQUISITION_ID)),
        r.getString(r.fieldIndex("source_path")), r.getString(r.fieldIndex("checksum")),
        r.getInt(r.fieldIndex("width")), r.getInt(r.fieldIndex("height")), axis,
        r.getTimestamp(r.fieldIndex("acquisition_time")), r.getString(r.fieldIndex("format")),
        r.getString(r.fieldIndex("data_type")),
        r.isNullAt(r.fieldIndex("metadata")) ? Map.of() : r.<String, String>getJavaMap(r.fieldIndex("metadata")));
  }
}
