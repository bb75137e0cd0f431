package org.eelsunmix.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eelsunmix.core.EnergyAxis;

/**
 * One spectrum of an EMSA/MSA 1.0 file (the EMSA/MAS "Spectral Data File" standard, Microscopy Society of
 * America / Microbeam Analysis Society, 1991): its title, its linear energy axis ({@code #OFFSET},
 * {@code #XPERCHAN}, {@code #XUNITS}, {@code #NPOINTS}) and its intensities.
 *
 * <p>{@code keywords} holds every other header keyword ({@code DATE}, {@code TIME}, {@code OWNER}, {@code YUNITS},
 * {@code SIGNALTYPE}, {@code BEAMKV -kV}, user keywords such as {@code #MYKEY} written {@code ##MYKEY}, ...), in
 * file order, keyed by the keyword name in upper case followed, when the file gives one, by a space and its unit
 * qualifier ({@code "BEAMKV -kV"}). The keywords that {@link Msa} writes from the other fields ({@link #RESERVED})
 * are not allowed in it.
 *
 * <p>Immutable: the constructor copies the array and the map, {@link #values()} returns a copy.
 *
 * @param title the {@code #TITLE} (may be empty)
 * @param axis the energy axis; its channel count is the number of points
 * @param values the intensities, one per channel, finite
 * @param keywords the other header keywords (see above)
 */
public record MsaSpectrum(String title, EnergyAxis axis, double[] values, Map<String, String> keywords) {

  /** Keywords that {@link Msa} derives from the record's fields (and so refuses in {@code keywords}). */
  public static final Set<String> RESERVED = Set.of("FORMAT", "VERSION", "TITLE", "NPOINTS", "NCOLUMNS",
      "XUNITS", "DATATYPE", "XPERCHAN", "OFFSET", "SPECTRUM", "ENDOFDATA", "CHECKSUM");

  /** Validates the shape and copies the mutable parts. */
  public MsaSpectrum {
    title = title == null ? "" : title.strip();
    Objects.requireNonNull(axis, "axis");
    Objects.requireNonNull(values, "values");
    if (values.length != axis.channels()) {
      throw new IllegalArgumentException(String.format("%d values for an energy axis of %d channels",
          values.length, axis.channels()));
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("non-finite value " + values[i] + " at channel " + i);
      }
    }
    values = values.clone();
    Map<String, String> copy = new LinkedHashMap<>();
    if (keywords != null) {
      for (Map.Entry<String, String> e : keywords.entrySet()) {
        String key = Objects.requireNonNull(e.getKey(), "keyword").strip();
        if (key.isEmpty() || RESERVED.contains(nameOf(key))) {
          throw new IllegalArgumentException("keyword '" + key + "' cannot be set in the keyword map");
        }
        copy.put(key, e.getValue() == null ? "" : e.getValue().strip());
      }
    }
    keywords = Collections.unmodifiableMap(copy);
  }

  /** A spectrum with no extra keywords. */
  public MsaSpectrum(String title, EnergyAxis axis, double[] values) {
    this(title, axis, values, Map.of());
  }

  /** A copy of the intensities. */
  @Override
  public double[] values() {
    return values.clone();
  }

  /**
   * The value of keyword {@code name} (case-insensitive, with or without its unit qualifier), or {@code null}.
   */
  public String keyword(String name) {
    String wanted = name.strip().toUpperCase(Locale.ROOT);
    String exact = keywords.get(wanted);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, String> e : keywords.entrySet()) {
      if (nameOf(e.getKey()).equals(wanted)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Equal titles, axes, values (bit for bit) and keywords. */
  @Override
  public boolean equals(Object o) {
    return o instanceof MsaSpectrum s && s.title.equals(title) && s.axis.equals(axis)
        && java.util.Arrays.equals(s.values, values) && s.keywords.equals(keywords);
  }

  @Override
  public int hashCode() {
    return Objects.hash(title, axis, java.util.Arrays.hashCode(values), keywords);
  }

  @Override
  public String toString() {
    return "MsaSpectrum[" + title + ", " + axis + "]";
  }

  /**
   * The keyword name of a key: its text up to the unit qualifier, in upper case ({@code "BEAMKV -kV"} and
   * {@code "BEAMKV-kV"} → {@code "BEAMKV"}).
   */
  static String nameOf(String key) {
    String k = key.strip();
    int end = 0;
    while (end < k.length() && !Character.isWhitespace(k.charAt(end)) && (end == 0 || k.charAt(end) != '-')) {
      end++;
    }
    return k.substring(0, end).toUpperCase(Locale.ROOT);
  }
}
