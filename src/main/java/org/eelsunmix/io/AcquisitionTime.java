package org.eelsunmix.io;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When an acquisition was recorded, from the metadata a reader found: DigitalMicrograph's {@code DataBar}
 * "Acquisition Date"/"Acquisition Time" ({@link DmReader}: {@code acquisition_date}, {@code acquisition_time};
 * written in the acquiring PC's locale, e.g. {@code 2/15/2018} and {@code 3:05:22 PM}), HyperSpy's
 * {@code General.date}/{@code General.time} (ISO 8601, also what a Ripple header's {@code date}/{@code time}
 * become). Local time as written; no time zone is guessed. A slashed date is read month first (DigitalMicrograph's
 * US default) unless that is impossible ({@code 14/05/2019} is 14 May): a day-first date with a day of 12 or less
 * cannot be told apart from the text alone.
 */
public final class AcquisitionTime {
  private AcquisitionTime() {}

  private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ISO_LOCAL_DATE,
      DateTimeFormatter.ofPattern("M/d/yyyy", Locale.ROOT), DateTimeFormatter.ofPattern("d/M/yyyy", Locale.ROOT),
      DateTimeFormatter.ofPattern("d.M.yyyy", Locale.ROOT),
      DateTimeFormatter.ofPattern("yyyy/M/d", Locale.ROOT));
  private static final List<DateTimeFormatter> TIMES = List.of(DateTimeFormatter.ISO_LOCAL_TIME,
      DateTimeFormatter.ofPattern("h:mm:ss a", Locale.US), DateTimeFormatter.ofPattern("H:mm:ss", Locale.ROOT),
      DateTimeFormatter.ofPattern("h:mm a", Locale.US), DateTimeFormatter.ofPattern("H:mm", Locale.ROOT));

  /** The date and time in {@code metadata}, or null when absent or unreadable (a date alone is taken at 00:00). */
  public static LocalDateTime of(Map<String, String> metadata) {
    String date = first(metadata, "acquisition_date", "General.date");
    if (date == null) {
      return null;
    }
    LocalDate d = parse(date, DATES, LocalDate::from);
    if (d == null) {
      return null;
    }
    String time = first(metadata, "acquisition_time", "General.time");
    LocalTime t = time == null ? null : parse(time, TIMES, LocalTime::from);
    return d.atTime(t == null ? LocalTime.MIDNIGHT : t);
  }

  private static String first(Map<String, String> m, String a, String b) {
    String v = m.get(a);
    if (v == null || v.isBlank()) {
      v = m.get(b);
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static <T> T parse(String text, List<DateTimeFormatter> formats,
      java.time.temporal.TemporalQuery<T> query) {
    for (DateTimeFormatter f : formats) {
      try {
        return f.parse(text.toUpperCase(Locale.ROOT), query);
      } catch (DateTimeParseException ignored) {
        // try the next way of writing it
      }
    }
    return null;
  }
}
