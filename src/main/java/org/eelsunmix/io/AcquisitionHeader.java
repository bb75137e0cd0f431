package org.eelsunmix.io;

import java.io.Serializable;
import java.util.Map;
import org.eelsunmix.core.EnergyAxis;

/**
 * What an acquisition file says about itself before any pixel is read: layout, energy axis, stored type and
 * metadata. Small and serialisable, so a Spark job can gather it from every file on the executors.
 *
 * @param path the file, as given (for messages and the acquisitions table)
 * @param format {@code dm3}, {@code dm4}, {@code hspy}, {@code ripple}, {@code npy}
 * @param dtype the stored number type
 * @param shape the array shape as HyperSpy/NumPy report it (C order: navigation axes, then the signal axis)
 * @param width pixels along x (a line scan is one row of pixels; a single spectrum is 1 × 1)
 * @param height pixels along y
 * @param axis the energy axis (its channel count is the spectrum length)
 * @param navigationScale size of a pixel along x (NaN when unknown)
 * @param navigationUnits units of {@code navigationScale} (empty when unknown)
 * @param metadata acquisition metadata found in the file (beam energy, exposure, date, title, ...), as text
 */
public record AcquisitionHeader(String path, String format, NumericType dtype, long[] shape, int width, int height,
    EnergyAxis axis, double navigationScale, String navigationUnits, Map<String, String> metadata)
    implements Serializable {

  public AcquisitionHeader {
    shape = shape.clone();
    metadata = Map.copyOf(metadata);
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(path + ": " + height + " x " + width + " pixels");
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of pixels, {@code width · height}. */
  public long pixels() {
    return (long) width * height;
  }

  /** Number of values as float32, {@code pixels · channels}. */
  public long values() {
    return pixels() * axis.channels();
  }
}
