package org.eelsunmix.cli;

import java.util.Locale;
import org.eelsunmix.core.BadInputException;

/**
 * The {@code --stringency} of commands that read many files (as in Glow's and htsjdk's validation stringency):
 * {@code strict} fails the run on the first bad file before anything is written, {@code lenient} skips bad files
 * and lists them with their reasons.
 */
final class Stringency {
  private Stringency() {}

  /** True for {@code lenient}, false for {@code strict} (any case); anything else is refused naming the option. */
  static boolean isLenient(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "strict" -> false;
      case "lenient" -> true;
      default -> throw new BadInputException("--stringency", "must be strict or lenient, got '" + value + "'");
    };
  }
}
