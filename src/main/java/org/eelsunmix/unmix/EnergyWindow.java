package org.eelsunmix.unmix;

import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * An energy-loss window {@code [from, to]} in eV, as a microscopist marks it on a spectrum: the pre-edge window
 * where the background is fitted and the signal window over which an edge is integrated (Egerton, <i>Electron
 * Energy-Loss Spectroscopy in the Electron Microscope</i>, 3rd ed., §4.4). It holds the channels whose energy lies
 * inside the closed interval; both ends count, so a window from one channel's energy to the next holds two.
 *
 * @param name what the user called it, used in error messages (e.g. {@code preEdge})
 * @param from lower energy, eV
 * @param to upper energy, eV (greater than {@code from})
 */
public record EnergyWindow(String name, double from, double to) implements java.io.Serializable {

  /** Energies closer than this fraction of a channel to a window edge count as on the edge (rounding of e.g. 0.1). */
  private static final double EDGE_TOLERANCE = 1e-6;

  /** Refuses non-finite and inverted windows, naming the window. */
  public EnergyWindow {
    if (!Double.isFinite(from) || !Double.isFinite(to)) {
      throw new BadInputException(name, "energies must be finite, got " + from + ":" + to);
    }
    if (!(to > from)) {
      throw new BadInputException(name, "window " + format(from, to) + " is inverted or empty: give E1:E2 with "
          + "E1 < E2 (eV)");
    }
  }

  /** Parses {@code E1:E2} (eV, e.g. {@code 250:290}) given for the option {@code name}. */
  public static EnergyWindow parse(String name, String text) {
    String[] parts = text == null ? new String[0] : text.trim().split(":", -1);
    if (parts.length != 2) {
      throw new BadInputException(name, "expected E1:E2 in eV (e.g. 250:290), got '" + text + "'");
    }
    try {
      return new EnergyWindow(name, Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new BadInputException(name, "expected E1:E2 in eV (e.g. 250:290), got '" + text + "'");
    }
  }

  /**
   * The first and last channel of {@code axis} inside this window, as {@code {first, last}} (first ≤ last).
   * Refused, naming the window and showing the axis range: a window reaching outside the axis, or holding fewer
   * than two channels.
   */
  public int[] channels(EnergyAxis axis) {
    double low = Math.min(axis.offset(), axis.end());
    double high = Math.max(axis.offset(), axis.end());
    double tolerance = EDGE_TOLERANCE * Math.abs(axis.scale());
    if (from < low - tolerance || to > high + tolerance) {
      throw new BadInputException(name, "window " + this + " lies outside the energy axis " + range(axis));
    }
    double a = (from - axis.offset()) / axis.scale();
    double b = (to - axis.offset()) / axis.scale();
    int first = (int) Math.max(0, Math.ceil(Math.min(a, b) - EDGE_TOLERANCE));
    int last = (int) Math.min(axis.channels() - 1, Math.floor(Math.max(a, b) + EDGE_TOLERANCE));
    if (last - first + 1 < 2) {
      throw new BadInputException(name, "window " + this + " holds " + Math.max(0, last - first + 1)
          + " channel(s) of the energy axis " + range(axis) + "; it needs at least 2");
    }
    return new int[] {first, last};
  }

  /** The axis as error messages show it: {@code 200–866.7 eV (200 channels of 3.333 eV)}. */
  static String range(EnergyAxis axis) {
    return number(Math.min(axis.offset(), axis.end())) + "–" + number(Math.max(axis.offset(), axis.end())) + " "
        + axis.units() + " (" + axis.channels() + " channels of " + number(Math.abs(axis.scale())) + " "
        + axis.units() + ")";
  }

  private static String format(double from, double to) {
    return number(from) + ":" + number(to) + " eV";
  }

  /** Six significant digits without trailing zeros: 250, 866.667, 0.05. */
  static String number(double v) {
    String s = String.format(java.util.Locale.ROOT, "%.6g", v);
    if (s.contains(".") && !s.contains("e")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }

  @Override
  public String toString() {
    return format(from, to);
  }
}
