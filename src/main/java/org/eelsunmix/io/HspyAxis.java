package org.eelsunmix.io;

import java.util.Locale;
import java.util.Map;
import org.eelsunmix.core.BadInputException;

/**
 * One {@code axis-i} group of a HyperSpy signal: the calibration of array dimension {@code i}. HyperSpy's
 * {@code UniformDataAxis} (hspy format 3.x; see HyperSpy's {@code axes.py}) stores {@code name}, {@code size},
 * {@code offset}, {@code scale}, {@code units} and {@code navigate} as attributes: coordinate {@code k} along the
 * axis is {@code offset + k·scale}, and {@code navigate} is true for pixel (navigation) axes and false for the
 * signal axis.
 *
 * @param index the array dimension this axis describes
 * @param name the axis name ({@code x}, {@code y}, {@code Energy loss}, ...)
 * @param size number of points
 * @param offset coordinate of the first point
 * @param scale step between points
 * @param units units of offset and scale (empty when HyperSpy wrote {@code <undefined>})
 * @param navigate true for a navigation axis, false for a signal axis, null when the file does not say
 */
record HspyAxis(int index, String name, long size, double offset, double scale, String units, Boolean navigate) {

  /**
   * Reads an axis from its attribute values as jHDF returns them (numbers as {@code Number}, HDF5 enum booleans as
   * the strings {@code TRUE}/{@code FALSE}).
   *
   * @param source the file, for messages
   * @param index the axis number
   * @param attributes attribute name → value
   * @throws BadInputException naming {@code source} for a size, offset or scale that is not a number
   */
  static HspyAxis of(String source, int index, Map<String, Object> attributes) {
    String what = "axis-" + index;
    Object sizeValue = attributes.get("size");
    if (sizeValue == null) {
      throw new BadInputException(source, what + " has no size");
    }
    double size = number(source, what, "size", sizeValue);
    if (size != Math.rint(size) || size < 0) {
      throw new BadInputException(source, what + " size " + size + " is not a whole number of points");
    }
    double offset = attributes.containsKey("offset") ? number(source, what, "offset", attributes.get("offset")) : 0;
    double scale = attributes.containsKey("scale") ? number(source, what, "scale", attributes.get("scale")) : 1;
    String units = text(attributes.get("units"));
    if (units.equals("<undefined>")) {
      units = "";
    }
    Object nav = attributes.get("navigate");
    return new HspyAxis(index, text(attributes.get("name")), (long) size, offset, scale, units,
        nav == null ? null : truth(source, what, nav));
  }

  private static double number(String source, String what, String key, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(text(v).strip());
    } catch (NumberFormatException e) {
      throw new BadInputException(source, what + " " + key + " '" + text(v) + "' is not a number");
    }
  }

  /** HyperSpy stores booleans as the enum strings TRUE/FALSE (h5py); accept numbers and Java booleans too. */
  private static boolean truth(String source, String what, Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0.0;
    }
    String s = text(v).strip().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new BadInputException(source, what + " navigate '" + s + "' is neither TRUE nor FALSE");
    };
  }

  private static String text(Object v) {
    return v == null ? "" : v.toString();
  }
}
