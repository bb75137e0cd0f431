package org.eelsunmix.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.eelsunmix.core.EnergyAxis;

/**
 * A line plot of spectra on one energy axis, drawn with java.awt: labelled energy-loss axis (x) and intensity axis
 * (y) with ticks at nice values, one colour per curve (matplotlib's "tab10" cycle), a legend, a title. Used for the
 * endmember spectra of a report.
 */
public final class SpectrumPlot {
  private SpectrumPlot() {}

  /** matplotlib's tab10 colours, in its order. */
  private static final int[] COLOURS = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
      0x7f7f7f, 0xbcbd22, 0x17becf};

  /** One curve: a label for the legend and one value per channel; {@code dashed} for e.g. a sum of the others. */
  public record Curve(String label, double[] values, boolean dashed) {}

  /**
   * A shaded band around curve number {@code curve} (e.g. a credible band: lower and upper value per channel),
   * drawn translucent in that curve's colour, behind the curves.
   */
  public record Band(int curve, double[] lower, double[] upper) {}

  /**
   * Renders {@code curves} over {@code axis}.
   *
   * @param yLabel the intensity axis title, e.g. {@code "intensity (counts)"}
   */
  public static BufferedImage render(EnergyAxis axis, List<Curve> curves, String title, String yLabel, int width,
      int height) {
    return render(axis, curves, List.of(), title, yLabel, width, height);
  }

  /** As {@link #render(EnergyAxis, List, String, String, int, int)}, with shaded {@code bands}. */
  public static BufferedImage render(EnergyAxis axis, List<Curve> curves, List<Band> bands, String title,
      String yLabel, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = PlotText.canvas(img);
    try {
      g.setFont(PlotText.LABEL);
      FontMetrics fm = g.getFontMetrics();

      double x0 = Math.min(axis.energy(0), axis.end());
      double x1 = Math.max(axis.energy(0), axis.end());
      if (x1 == x0) {
        x1 = x0 + Math.abs(axis.scale());
      }
      double y0 = 0;
      double y1 = 0;
      for (Curve c : curves) {
        for (double v : c.values()) {
          y0 = Math.min(y0, v);
          y1 = Math.max(y1, v);
        }
      }
      for (Band b : bands) {
        for (int k = 0; k < b.lower().length; k++) {
          y0 = Math.min(y0, b.lower()[k]);
          y1 = Math.max(y1, b.upper()[k]);
        }
      }
      if (y1 <= y0) {
        y1 = y0 + 1;
      }
      double yStep = PlotText.niceStep(y0, y1, 5);
      y1 = Math.ceil(y1 / yStep - 1e-9) * yStep; // the top tick closes the frame
      y0 = Math.floor(y0 / yStep + 1e-9) * yStep;

      int yExp = PlotText.exponent(Math.max(Math.abs(y0), Math.abs(y1)));
      double yUnit = Math.pow(10, yExp);
      int maxLabel = 0;
      for (double t : PlotText.ticks(y0, y1, yStep)) {
        maxLabel = Math.max(maxLabel, fm.stringWidth(PlotText.label(t / yUnit, yStep / yUnit)));
      }
      int left = 40 + maxLabel;
      int right = 20;
      int top = 40;
      int bottom = 56;
      int pw = width - left - right;
      int ph = height - top - bottom;

      g.setColor(Color.BLACK);
      g.setFont(PlotText.TITLE);
      PlotText.centred(g, title, left + pw / 2.0, 24);
      g.setFont(PlotText.LABEL);

      double xStep = PlotText.niceStep(x0, x1, 8);
      g.setStroke(new BasicStroke(1f));
      for (double t : PlotText.ticks(x0, x1, xStep)) {
        double px = left + (t - x0) / (x1 - x0) * pw;
        g.setColor(new Color(0xe8e8e8));
        g.drawLine((int) px, top, (int) px, top + ph);
        g.setColor(Color.BLACK);
        g.drawLine((int) px, top + ph, (int) px, top + ph + 5);
        PlotText.centred(g, PlotText.label(t, xStep), px, top + ph + 20);
      }
      for (double t : PlotText.ticks(y0, y1, yStep)) {
        double py = top + ph - (t - y0) / (y1 - y0) * ph;
        g.setColor(new Color(0xe8e8e8));
        g.drawLine(left, (int) py, left + pw, (int) py);
        g.setColor(Color.BLACK);
        g.drawLine(left - 5, (int) py, left, (int) py);
        PlotText.rightAligned(g, PlotText.label(t / yUnit, yStep / yUnit), left - 8, py);
      }
      g.drawRect(left, top, pw, ph);
      PlotText.centred(g, "energy loss (" + axis.units() + ")", left + pw / 2.0, height - 14);
      PlotText.vertical(g, yLabel, 16, top + ph / 2.0);
      g.drawString(PlotText.timesTenTo(yExp).trim(), left - maxLabel - 8, top - 8); // the y labels' multiplier

      for (Band b : bands) {
        Path2D.Double area = new Path2D.Double();
        int n = b.lower().length;
        for (int k = 0; k < n; k++) {
          double px = left + (axis.energy(k) - x0) / (x1 - x0) * pw;
          double py = top + ph - (b.upper()[k] - y0) / (y1 - y0) * ph;
          if (k == 0) {
            area.moveTo(px, py);
          } else {
            area.lineTo(px, py);
          }
        }
        for (int k = n - 1; k >= 0; k--) {
          area.lineTo(left + (axis.energy(k) - x0) / (x1 - x0) * pw,
              top + ph - (b.lower()[k] - y0) / (y1 - y0) * ph);
        }
        area.closePath();
        g.setColor(new Color(COLOURS[b.curve() % COLOURS.length] | 0x50000000, true));
        g.setClip(left, top, pw + 1, ph + 1);
        g.fill(area);
        g.setClip(null);
      }

      int legendY = top + 18;
      int legendW = 0;
      for (Curve c : curves) {
        legendW = Math.max(legendW, fm.stringWidth(c.label()));
      }
      int legendX = left + pw - legendW - 44;
      g.setColor(new Color(255, 255, 255, 220));
      g.fillRect(legendX - 8, top + 4, legendW + 48, curves.size() * 18 + 8);
      for (int i = 0; i < curves.size(); i++) {
        Curve c = curves.get(i);
        Color colour = c.dashed() ? Color.BLACK : new Color(COLOURS[i % COLOURS.length]);
        BasicStroke stroke = c.dashed()
            ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
            : new BasicStroke(1.6f);
        Path2D.Double path = new Path2D.Double();
        double[] v = c.values();
        for (int k = 0; k < v.length; k++) {
          double px = left + (axis.energy(k) - x0) / (x1 - x0) * pw;
          double py = top + ph - (v[k] - y0) / (y1 - y0) * ph;
          if (k == 0) {
            path.moveTo(px, py);
          } else {
            path.lineTo(px, py);
          }
        }
        g.setColor(colour);
        g.setStroke(stroke);
        g.setClip(left, top, pw + 1, ph + 1);
        g.draw(path);
        g.setClip(null);
        int ly = legendY + i * 18;
        g.drawLine(legendX, ly - 4, legendX + 26, ly - 4);
        g.setColor(Color.BLACK);
        g.drawString(c.label(), legendX + 34, ly + 1);
      }
    } finally {
      g.dispose();
    }
    return img;
  }
}
