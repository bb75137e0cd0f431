package org.eelsunmix.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * Reader and writer of EMSA/MSA 1.0 single-spectrum files, the "EMSA/MAS Spectral Data File Format" of the
 * Microscopy Society of America and the Microbeam Analysis Society (1991; ISO 22029). A file is a header of
 * {@code #KEYWORD : value} lines, the line {@code #SPECTRUM}, one data point per line, and {@code #ENDOFDATA}:
 *
 * <pre>
 * #FORMAT      : EMSA/MAS Spectral Data File
 * #VERSION     : 1.0
 * #TITLE       : Co
 * #NPOINTS     : 200
 * #XUNITS      : eV
 * #DATATYPE    : XY
 * #XPERCHAN    : 3.33
 * #OFFSET      : 200.0
 * #SIGNALTYPE  : ELS
 * #SPECTRUM    : Spectral Data Starts Here
 * 200.0, 0.0123
 * ...
 * #ENDOFDATA   :
 * </pre>
 *
 * <p><b>Reading.</b> Keywords are case-insensitive; a keyword may carry a unit qualifier ({@code #BEAMKV -kV}).
 * Data values may be separated by commas and/or blanks; {@code DATATYPE Y} gives only intensities (any number per
 * line), {@code XY} gives an energy and an intensity per line. The energy axis always comes from
 * {@code #OFFSET} and {@code #XPERCHAN}: the channel {@code i} sits at {@code OFFSET + i·XPERCHAN}. This reader
 * requires {@code #FORMAT}, {@code #VERSION}, {@code #NPOINTS}, {@code #DATATYPE}, {@code #XPERCHAN},
 * {@code #OFFSET} and the {@code #SPECTRUM} line; the other keywords that the standard calls required
 * ({@code #TITLE}, {@code #DATE}, {@code #TIME}, {@code #OWNER}, {@code #NCOLUMNS}, {@code #XUNITS},
 * {@code #YUNITS}) are not needed to recover the spectrum and are read when present ({@code XUNITS} defaults to
 * eV). A missing {@code #ENDOFDATA} is tolerated because {@code #NPOINTS} already detects truncation. Anything
 * wrong (a missing keyword, {@code #NPOINTS} disagreeing with the data, an unreadable or non-finite number, an X
 * column that is not the linear axis within a quarter of a channel) is a {@link BadInputException} naming the
 * file and, where there is one, the line.
 *
 * <p><b>Writing.</b> {@code DATATYPE XY}, one {@code energy, intensity} pair per line, CR LF line ends as in the
 * standard, every number printed by {@link Double#toString(double)} (the shortest text that reads back to the
 * same double, so a write/read round trip is exact). {@code DATE}, {@code TIME}, {@code OWNER}, {@code YUNITS}
 * and {@code SIGNALTYPE} come from the keyword map when present, else now, {@code eels-unmix}, {@code counts}
 * and {@code ELS}. The file is written to a temporary sibling and moved into place, so a reader never sees half
 * a file.
 */
public final class Msa {
  private static final String EOL = "\r\n";
  private static final List<String> REQUIRED =
      List.of("FORMAT", "VERSION", "NPOINTS", "DATATYPE", "XPERCHAN", "OFFSET");
  /** Keywords the writer places right after the standard's fixed ones, in this order. */
  private static final List<String> WRITER_DEFAULTS = List.of("DATE", "TIME", "OWNER", "YUNITS", "SIGNALTYPE");
  /** X values may deviate from the linear axis by this fraction of a channel (printed rounding, not a gap). */
  private static final double X_TOLERANCE_CHANNELS = 0.25;

  private Msa() {
  }

  /** Reads an EMSA/MSA file; any problem is a {@link BadInputException} naming {@code file}. */
  public static MsaSpectrum read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file.toString(), "no such EMSA/MSA file", e);
    } catch (IOException e) {
      throw new BadInputException(file.toString(), "cannot read the EMSA/MSA file (" + e.getMessage() + ")", e);
    }
    return parse(decode(bytes), file.toString());
  }

  /**
   * Reads an EMSA/MSA file from a stream (not closed here); {@code source} names it in error messages (a path or
   * a classpath resource).
   */
  public static MsaSpectrum read(InputStream in, String source) {
    try {
      return parse(decode(in.readAllBytes()), source);
    } catch (IOException e) {
      throw new BadInputException(source, "cannot read the EMSA/MSA file (" + e.getMessage() + ")", e);
    }
  }

  /** Parses the text of an EMSA/MSA file; {@code source} names it in error messages. */
  public static MsaSpectrum parse(String text, String source) {
    Map<String, String> fixed = new HashMap<>();
    Map<String, String> others = new LinkedHashMap<>();
    String[] lines = text.split("\r\n|\n|\r", -1);
    int line = 0;
    boolean sawSpectrum = false;
    for (; line < lines.length; line++) {
      String l = lines[line].strip();
      if (l.isEmpty()) {
        continue;
      }
      if (l.charAt(0) != '#') {
        throw new BadInputException(source, String.format(
            "line %d: '%s' appears before #SPECTRUM but is not a '#KEYWORD : value' header line%s", line + 1,
            shorten(l), fixed.containsKey("FORMAT") ? "" : " (is this an EMSA/MSA file?)"));
      }
      String[] kv = keywordAndValue(l);
      String name = MsaSpectrum.nameOf(kv[0]);
      if (name.equals("SPECTRUM")) {
        sawSpectrum = true;
        line++;
        break;
      }
      if (MsaSpectrum.RESERVED.contains(name)) {
        fixed.put(name, kv[1]);
      } else {
        others.put(kv[0], kv[1]);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String k : REQUIRED) {
      if (!fixed.containsKey(k)) {
        missing.add("#" + k);
      }
    }
    if (!sawSpectrum) {
      missing.add("#SPECTRUM (the line that starts the data)");
    }
    if (!missing.isEmpty()) {
      throw new BadInputException(source, "not a complete EMSA/MSA spectrum: missing required keyword"
          + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
    }

    String datatype = fixed.get("DATATYPE").toUpperCase(Locale.ROOT);
    if (!datatype.equals("XY") && !datatype.equals("Y")) {
      throw new BadInputException(source, "#DATATYPE must be XY or Y, got '" + fixed.get("DATATYPE") + "'");
    }
    boolean xy = datatype.equals("XY");
    int npoints = npoints(fixed.get("NPOINTS"), source);
    double xperchan = headerNumber(fixed, "XPERCHAN", source);
    double offset = headerNumber(fixed, "OFFSET", source);
    if (xperchan == 0.0) {
      throw new BadInputException(source, "#XPERCHAN (energy per channel) must not be zero");
    }
    String units = fixed.getOrDefault("XUNITS", "eV");
    if (npoints > text.length()) {
      // Every point takes at least two characters: refuse before allocating for a corrupt count.
      throw new BadInputException(source, String.format(
          "#NPOINTS says %d points but the file is far too short to hold them", npoints));
    }
    EnergyAxis axis = new EnergyAxis(offset, xperchan, units.isBlank() ? "eV" : units, npoints);

    double[] x = xy ? new double[npoints] : null;
    double[] y = new double[npoints];
    int count = 0;
    for (; line < lines.length; line++) {
      String l = lines[line].strip();
      if (l.isEmpty()) {
        continue;
      }
      if (l.charAt(0) == '#') {
        // #ENDOFDATA, or a trailing keyword such as #CHECKSUM: the data ends here either way.
        break;
      }
      if (l.charAt(0) == '\u001a') {
        break; // DOS end-of-file marker left by old instruments
      }
      String[] tokens = l.split("[,\\s]+");
      int first = tokens[0].isEmpty() ? 1 : 0;
      int n = tokens.length - first;
      if (xy && n != 2) {
        throw new BadInputException(source, String.format(
            "line %d: XY data needs one 'energy, intensity' pair per line, found %d value%s in '%s'",
            line + 1, n, n == 1 ? "" : "s", shorten(l)));
      }
      for (int t = first; t < tokens.length; t += xy ? 2 : 1) {
        if (count == npoints) {
          throw new BadInputException(source, String.format(
              "#NPOINTS says %d points but the data has more (line %d)", npoints, line + 1));
        }
        if (xy) {
          x[count] = dataNumber(tokens[t], line, source);
          y[count] = dataNumber(tokens[t + 1], line, source);
        } else {
          y[count] = dataNumber(tokens[t], line, source);
        }
        count++;
      }
    }
    if (count != npoints) {
      throw new BadInputException(source, String.format(
          "#NPOINTS says %d points but the data has %d (is the file truncated?)", npoints, count));
    }
    if (xy) {
      double tolerance = X_TOLERANCE_CHANNELS * Math.abs(xperchan);
      for (int i = 0; i < npoints; i++) {
        double expected = axis.energy(i);
        if (Math.abs(x[i] - expected) > tolerance) {
          throw new BadInputException(source, String.format(
              "the X column is not the linear energy axis #OFFSET + i·#XPERCHAN = %s + i·%s: point %d has "
                  + "X = %s %s where %s %s was expected", num(offset), num(xperchan), i, num(x[i]), axis.units(),
              num(expected), axis.units()));
        }
      }
    }
    return new MsaSpectrum(fixed.getOrDefault("TITLE", ""), axis, y, others);
  }

  /** Writes {@code spectrum} as an EMSA/MSA 1.0 XY file, atomically ({@link AtomicFile}). */
  public static void write(Path file, MsaSpectrum spectrum) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      AtomicFile.write(file, format(spectrum).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BadInputException(file.toString(), "cannot write the EMSA/MSA file (" + e + ")", e);
    }
  }

  /**
   * The {@code DATE} ({@code dd-MMM-yyyy}) and {@code TIME} ({@code HH:mm}) keywords of {@code when}, as the
   * writer stamps them: for a caller that stamps a file with the time its content was made rather than now.
   */
  public static Map<String, String> dateAndTime(LocalDateTime when) {
    return Map.of("DATE", DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.ROOT).format(when)
        .toUpperCase(Locale.ROOT), "TIME", DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).format(when));
  }

  /** The text of {@code spectrum} as an EMSA/MSA 1.0 XY file (see the class comment). */
  public static String format(MsaSpectrum spectrum) {
    EnergyAxis axis = spectrum.axis();
    double[] values = spectrum.values();
    Map<String, String> stamp = dateAndTime(LocalDateTime.now());
    StringBuilder sb = new StringBuilder(64 * (values.length + 24));
    header(sb, "FORMAT", "EMSA/MAS Spectral Data File");
    header(sb, "VERSION", "1.0");
    header(sb, "TITLE", spectrum.title());
    Map<String, String> kw = spectrum.keywords();
    String[] defaults = {stamp.get("DATE"), stamp.get("TIME"), "eels-unmix", "counts", "ELS"};
    for (int d = 0; d < WRITER_DEFAULTS.size(); d++) {
      String name = WRITER_DEFAULTS.get(d);
      String key = keyNamed(kw, name);
      header(sb, key == null ? name : key, key == null ? defaults[d] : kw.get(key));
      if (name.equals("OWNER")) {
        // The standard's order: ... OWNER, NPOINTS, NCOLUMNS, XUNITS, YUNITS, DATATYPE, XPERCHAN, OFFSET.
        header(sb, "NPOINTS", Integer.toString(axis.channels()));
        header(sb, "NCOLUMNS", "1");
        header(sb, "XUNITS", axis.units());
      }
      if (name.equals("YUNITS")) {
        header(sb, "DATATYPE", "XY");
        header(sb, "XPERCHAN", Double.toString(axis.scale()));
        header(sb, "OFFSET", Double.toString(axis.offset()));
      }
    }
    for (Map.Entry<String, String> e : kw.entrySet()) {
      if (!WRITER_DEFAULTS.contains(MsaSpectrum.nameOf(e.getKey()))) {
        header(sb, e.getKey(), e.getValue());
      }
    }
    header(sb, "SPECTRUM", "Spectral Data Starts Here");
    for (int i = 0; i < values.length; i++) {
      sb.append(axis.energy(i)).append(", ").append(values[i]).append(EOL);
    }
    header(sb, "ENDOFDATA", "");
    return sb.toString();
  }

  private static void header(StringBuilder sb, String key, String value) {
    String k = "#" + key;
    sb.append(k);
    for (int i = k.length(); i < 13; i++) {
      sb.append(' ');
    }
    // A line break inside a value would end the header line early and corrupt the file.
    sb.append(": ").append(value.replaceAll("[\\r\\n]+", " ")).append(EOL);
  }

  private static String keyNamed(Map<String, String> kw, String name) {
    for (String k : kw.keySet()) {
      if (MsaSpectrum.nameOf(k).equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** Splits a header line into its normalised key ("NAME" or "NAME qualifier") and its value. */
  private static String[] keywordAndValue(String line) {
    int colon = line.indexOf(':');
    String keyPart = (colon < 0 ? line.substring(1) : line.substring(1, colon)).strip();
    String value = colon < 0 ? "" : line.substring(colon + 1).strip();
    String name = MsaSpectrum.nameOf(keyPart);
    String qualifier = keyPart.substring(name.length()).strip();
    return new String[] {qualifier.isEmpty() ? name : name + " " + qualifier, value};
  }

  private static int npoints(String text, String source) {
    double n;
    try {
      n = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new BadInputException(source, "#NPOINTS must be a whole number of points, got '" + text + "'");
    }
    if (!(n >= 1) || n != Math.rint(n) || n > Integer.MAX_VALUE - 8) {
      throw new BadInputException(source, "#NPOINTS must be a whole number of points ≥ 1, got '" + text + "'");
    }
    return (int) n;
  }

  private static double headerNumber(Map<String, String> fixed, String key, String source) {
    String text = fixed.get(key);
    try {
      double v = Double.parseDouble(text.strip());
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInputException(source, "#" + key + " must be a finite number, got '" + text + "'");
  }

  private static double dataNumber(String token, int line, String source) {
    try {
      double v = Double.parseDouble(token);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInputException(source, String.format("line %d: cannot read '%s' as a finite number", line + 1,
        shorten(token)));
  }

  /** UTF-8 when the bytes are valid UTF-8 (pure ASCII included), else ISO-8859-1 as older instruments write. */
  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Visible for tests: the standard's header keywords in the order this writer emits them. */
  static List<String> writtenOrder(String text) {
    List<String> order = new ArrayList<>();
    for (String l : text.split(EOL)) {
      if (l.startsWith("#")) {
        order.add(MsaSpectrum.nameOf(keywordAndValue(l)[0]));
      }
    }
    return order;
  }
}
