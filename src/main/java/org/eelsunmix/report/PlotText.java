package org.eelsunmix.report;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the figures of the report share: axis ticks at "nice" values (1, 2 or 5 times a power of ten, the rule of
 * most plotting libraries), their labels, and text drawing with anti-aliasing.
 */
final class PlotText {
  private PlotText() {}

  static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);

  /** Graphics on {@code img}, painted white, anti-aliased (the caller disposes them). */
  static Graphics2D canvas(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    smooth(g);
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    return g;
  }

  /** Turns on anti-aliasing for lines and text. */
  static void smooth(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
  }

  /** The step between about {@code target} ticks spanning {@code [lo, hi]}: 1, 2 or 5 × 10^k. */
  static double niceStep(double lo, double hi, int target) {
    double span = hi - lo;
    if (!(span > 0) || !Double.isFinite(span)) {
      return 1;
    }
    double raw = span / Math.max(1, target);
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  }

  /** The smallest tick value (see {@link #niceStep}, about 5 ticks from 0) at or above {@code v > 0}. */
  static double niceCeiling(double v) {
    double step = niceStep(0, v, 5);
    return Math.ceil(v / step - 1e-9) * step;
  }

  /** Tick values at multiples of {@code step} inside {@code [lo, hi]}. */
  static List<Double> ticks(double lo, double hi, double step) {
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
      out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return out;
  }

  /** A tick label with as many decimals as the step needs (scale large or tiny axes with {@link #exponent}). */
  static String label(double v, double step) {
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /**
   * The power of ten an axis reaching {@code maxAbs} is labelled in (its ticks divided by {@code 10^k}, the title
   * given {@link #timesTenTo}), so all labels of one axis share one notation: 0 for axes between 0.001 and 99999.
   */
  static int exponent(double maxAbs) {
    if (!(maxAbs > 0) || !Double.isFinite(maxAbs) || (maxAbs >= 1e-3 && maxAbs < 1e5)) {
      return 0;
    }
    return (int) Math.floor(Math.log10(maxAbs));
  }

  /** A length to 3 significant digits, micrometres below 0.1 µm in nanometres (e.g. {@code 3.22 nm}). */
  static String length(double value, String units) {
    String u = units == null ? "" : units.trim();
    if ((u.equals("µm") || u.equals("um")) && Math.abs(value) < 0.1) {
      return String.format(Locale.ROOT, "%.3g nm", value * 1000);
    }
    return String.format(Locale.ROOT, "%.3g %s", value, u).trim();
  }

  /** {@code " ×10⁵"} for 5, empty for 0. */
  static String timesTenTo(int k) {
    if (k == 0) {
      return "";
    }
    String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    StringBuilder sb = new StringBuilder(" ×10");
    if (k < 0) {
      sb.append('⁻');
    }
    for (char c : Integer.toString(Math.abs(k)).toCharArray()) {
      sb.append(digits.charAt(c - '0'));
    }
    return sb.toString();
  }

  /** Draws {@code s} with its horizontal centre at {@code x} and baseline at {@code y}. */
  static void centred(Graphics2D g, String s, double x, double y) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(s, (float) (x - fm.stringWidth(s) / 2.0), (float) y);
  }

  /** Draws {@code s} right-aligned at {@code x}, vertically centred on {@code y}. */
  static void rightAligned(Graphics2D g, String s, double x, double y) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(s, (float) (x - fm.stringWidth(s)), (float) (y + fm.getAscent() / 2.0 - 1));
  }

  /** Draws {@code s} rotated by -90° (reading upwards), centred on {@code (x, y)}. */
  static void vertical(Graphics2D g, String s, double x, double y) {
    AffineTransform saved = g.getTransform();
    g.translate(x, y);
    g.rotate(-Math.PI / 2);
    centred(g, s, 0, 0);
    g.setTransform(saved);
  }
}
