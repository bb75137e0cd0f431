package org.eelsunmix.io;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * The parsed {@code .rpl} header of a Ripple/LISPIX pair: the layout of the {@code .raw} file beside it and the
 * calibrations HyperSpy adds to it.
 *
 * <p>The format is that of LISPIX (D. Bright, NIST, "Ripple file format", {@code lispix/doc/ripple.htm}): one
 * {@code key value} pair per line, separated by a tab or blanks, keys case-insensitive, lines starting with
 * {@code ;} are comments. Required keys: {@code width}, {@code height}, {@code depth} (pixels along x, y and
 * channels), {@code offset} (bytes to skip at the start of the .raw), {@code data-length} (bytes per value),
 * {@code data-type} ({@code signed}, {@code unsigned}, {@code float}), {@code byte-order} ({@code big-endian},
 * {@code little-endian}, {@code dont-care}) and {@code record-by} ({@code vector}: one spectrum after another;
 * {@code image}: one energy plane after another; {@code dont-care}: only for one channel). HyperSpy's extra keys
 * give the calibration: {@code depth-origin}, {@code depth-scale}, {@code depth-units} (energy axis; older files
 * carry only {@code ev-per-chan}), {@code width-*} and {@code height-*} (pixel size), and metadata such as
 * {@code beam-energy}, {@code title}, {@code signal}.
 *
 * @param source the .rpl file, for messages
 * @param width pixels along x
 * @param height pixels along y
 * @param depth channels per spectrum
 * @param offset bytes before the first value in the .raw
 * @param dtype the stored values ({@code int8 ... uint32}, {@code float32}, {@code float64})
 * @param byteOrder order of the bytes of a value ({@code dont-care} is read as little-endian, as HyperSpy does)
 * @param bandSequential true for {@code record-by image} (energy is the slowest axis on disk)
 * @param axis the energy axis
 * @param navigationScale pixel size along x ({@code width-scale}), NaN when absent
 * @param navigationUnits units of the pixel size, empty when absent
 * @param keys every key of the header (lower case) with its value, in file order
 */
public record RippleHeader(String source, int width, int height, int depth, long offset, NumericType dtype,
    ByteOrder byteOrder, boolean bandSequential, EnergyAxis axis, double navigationScale,
    String navigationUnits, Map<String, String> keys) {

  /** Pixels are counted in ints (Java arrays cannot quite reach Integer.MAX_VALUE elements). */
  static final long MAX_PIXELS = Integer.MAX_VALUE - 8;
  /** A header is a few hundred bytes; anything this large is not a .rpl file. */
  private static final int MAX_HEADER_BYTES = 1 << 20;

  /** Checks the layout so that a header built in code is as safe to read with as a parsed one. */
  public RippleHeader {
    if (width < 1 || height < 1 || depth < 1 || offset < 0) {
      throw new IllegalArgumentException(source + ": impossible layout " + width + " x " + height + " x " + depth
          + " after " + offset + " bytes");
    }
    if ((long) width * height > MAX_PIXELS) {
      throw new IllegalArgumentException(source + ": too many pixels");
    }
    keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /** Number of values in the .raw file. */
  public long valueCount() {
    return (long) width * height * depth;
  }

  /** The exact size the .raw file must have ({@code Long.MAX_VALUE} when absurdly large: no file is). */
  public long rawBytes() {
    long values = valueCount(); // at most 2^62: each dimension is below 2^31 and the pixels are
    return values > (Long.MAX_VALUE - offset) / dtype.size() ? Long.MAX_VALUE : offset + values * dtype.size();
  }

  /**
   * Parses the text of a .rpl file.
   *
   * @param source the file name used in messages
   * @throws BadInputException naming {@code source} for a missing key, an unknown value or impossible sizes
   */
  public static RippleHeader parse(String source, byte[] text) {
    if (text.length > MAX_HEADER_BYTES) {
      throw new BadInputException(source, "is " + text.length + " bytes long; a Ripple .rpl header is a short text "
          + "file (is this the .raw data file?)");
    }
    // Malformed UTF-8 (a Latin-1 µ in a units line) decodes to U+FFFD and leaves the ASCII keys readable.
    String s = new String(text, StandardCharsets.UTF_8);
    if (s.indexOf('\0') >= 0) {
      throw new BadInputException(source, "contains binary data; a Ripple .rpl header is a text file");
    }
    Map<String, String> keys = new LinkedHashMap<>();
    for (String raw : s.split("\r\n|\r|\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith(";")) {
        continue;
      }
      int cut = 0;
      while (cut < line.length() && !Character.isWhitespace(line.charAt(cut))) {
        cut++;
      }
      String key = line.substring(0, cut).toLowerCase(Locale.ROOT);
      String value = line.substring(cut).strip();
      // HyperSpy writes a column caption "key value" as its first line.
      if (key.equals("key") && value.equalsIgnoreCase("value")) {
        continue;
      }
      keys.put(key, value);
    }
    return fromKeys(source, keys);
  }

  private static RippleHeader fromKeys(String source, Map<String, String> keys) {
    int width = positiveInt(source, keys, "width");
    int height = positiveInt(source, keys, "height");
    int depth = positiveInt(source, keys, "depth");
    long offset = parseLong(source, "offset", required(source, keys, "offset"));
    if (offset < 0) {
      throw new BadInputException(source, "offset must be 0 or more bytes, got " + offset);
    }
    int dataLength = positiveInt(source, keys, "data-length");
    String dataType = required(source, keys, "data-type").toLowerCase(Locale.ROOT);
    NumericType dtype = dtype(source, dataType, dataLength);
    String order = required(source, keys, "byte-order").toLowerCase(Locale.ROOT);
    ByteOrder byteOrder = switch (order) {
      case "big-endian" -> ByteOrder.BIG_ENDIAN;
      case "little-endian", "dont-care" -> ByteOrder.LITTLE_ENDIAN;
      default -> throw new BadInputException(source, "byte-order '" + order
          + "' is not one of big-endian, little-endian, dont-care");
    };
    String recordBy = required(source, keys, "record-by").toLowerCase(Locale.ROOT);
    boolean bandSequential = switch (recordBy) {
      case "vector" -> false;
      case "image" -> true;
      case "dont-care" -> {
        if (depth != 1) {
          throw new BadInputException(source, "record-by dont-care is only allowed for one channel (depth 1), "
              + "but depth is " + depth + "; say record-by vector (spectrum by spectrum) or image (plane by plane)");
        }
        yield false;
      }
      default -> throw new BadInputException(source, "record-by '" + recordBy
          + "' is not one of vector, image, dont-care");
    };
    if ((long) width * height > MAX_PIXELS) {
      throw new BadInputException(source, String.format("%d x %d pixels are too many for one spectrum image",
          height, width));
    }
    EnergyAxis axis = energyAxis(source, keys, depth);
    double navScale = keys.containsKey("width-scale") ? parseDouble(source, "width-scale", keys.get("width-scale"))
        : Double.NaN;
    String navUnits = keys.getOrDefault("width-units", "");
    return new RippleHeader(source, width, height, depth, offset, dtype, byteOrder, bandSequential, axis,
        navScale, navUnits, keys);
  }

  /** Energy axis: HyperSpy's depth-origin/-scale/-units, else the original Ripple ev-per-chan, else channels. */
  private static EnergyAxis energyAxis(String source, Map<String, String> keys, int depth) {
    double origin = keys.containsKey("depth-origin")
        ? parseDouble(source, "depth-origin", keys.get("depth-origin")) : 0.0;
    double scale = 1.0;
    String units = keys.getOrDefault("depth-units", "");
    if (keys.containsKey("depth-scale")) {
      scale = parseDouble(source, "depth-scale", keys.get("depth-scale"));
    } else if (keys.containsKey("ev-per-chan")) {
      scale = parseDouble(source, "ev-per-chan", keys.get("ev-per-chan"));
      if (units.isEmpty()) {
        units = "eV";
      }
    }
    if (scale == 0.0) {
      throw new BadInputException(source, "the energy scale (depth-scale or ev-per-chan) is 0 eV per channel");
    }
    return new EnergyAxis(origin, scale, units, depth);
  }

  /** The NumPy dtype for a Ripple (data-type, data-length) pair. */
  private static NumericType dtype(String source, String dataType, int dataLength) {
    NumericType dtype = switch (dataType) {
      // Ripple has no 8-byte integers and no half floats.
      case "signed" -> dataLength <= 4 ? NumericType.of('i', dataLength) : null;
      case "unsigned" -> dataLength <= 4 ? NumericType.of('u', dataLength) : null;
      case "float" -> dataLength >= 4 ? NumericType.of('f', dataLength) : null;
      default -> throw new BadInputException(source, "data-type '" + dataType
          + "' is not one of signed, unsigned, float");
    };
    if (dtype == null) {
      throw new BadInputException(source, "data-type " + dataType + " with data-length " + dataLength
          + " bytes is not supported (signed/unsigned: 1, 2 or 4 bytes; float: 4 or 8 bytes)");
    }
    return dtype;
  }

  private static String required(String source, Map<String, String> keys, String key) {
    String v = keys.get(key);
    if (v == null) {
      throw new BadInputException(source, "the Ripple header has no '" + key + "' line");
    }
    if (v.isEmpty()) {
      throw new BadInputException(source, "the Ripple header's '" + key + "' line has no value");
    }
    return v;
  }

  private static int positiveInt(String source, Map<String, String> keys, String key) {
    long v = parseLong(source, key, required(source, keys, key));
    if (v < 1 || v > Integer.MAX_VALUE) {
      throw new BadInputException(source, key + " must be a whole number from 1 to " + Integer.MAX_VALUE + ", got "
          + v);
    }
    return (int) v;
  }

  private static long parseLong(String source, String key, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      // HyperSpy and some exporters print whole numbers as "4.0".
      try {
        double d = Double.parseDouble(text);
        if (d == Math.rint(d) && Math.abs(d) < 0x1p62) {
          return (long) d;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new BadInputException(source, key + " '" + text + "' is not a whole number");
    }
  }

  private static double parseDouble(String source, String key, String text) {
    try {
      double d = Double.parseDouble(text);
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new BadInputException(source, key + " '" + text + "' is not a finite number");
  }
}
