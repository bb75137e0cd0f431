package org.eelsunmix.report;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
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

  /** Tick values at multiples of {@code step} inside {@code [lo, hi]}. */
  static List<Double> ticks(double lo, double hi, double step) {
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
      out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return out;
  }

  /** A tick label with as many decimals as the step needs; powers of ten for very large or small values. */
  static String label(double v, double step) {
    double a = Math.max(Math.abs(v), step);
    if (v != 0 && (a >= 1e5 || a < 1e-3)) {
      int exp = (int) Math.floor(Math.log10(Math.abs(v)));
      String mantissa = new java.math.BigDecimal(v / Math.pow(10, exp)).round(new java.math.MathContext(3))
          .stripTrailingZeros().toPlainString();
      return mantissa + "e" + exp;
    }
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
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
