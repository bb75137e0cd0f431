package org.eelsunmix.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;

/**
 * The one look and export of every chart of the project, drawn by JFreeChart (pure Java2D, so it runs with
 * {@code java.awt.headless=true}): white background, light grey grid, sans-serif text legible at 100 % zoom
 * (13–16 pt), the colour-blind-safe palette of Okabe &amp; Ito ("Color Universal Design", 2008), legend below the
 * plot, PNG through {@link MapImages#writePng}. The chart kinds are built by {@link LineChart} (spectra with
 * credible bands, line profiles; {@link SpectrumPlot} for an energy axis) and {@link BarChart} (bars with error
 * bars, linear or log value axis).
 */
public final class Charts {
  private Charts() {}

  /**
   * Okabe–Ito's eight colours, reordered for a white background (blue, orange, bluish green, vermillion,
   * reddish purple, sky blue, yellow last as it is faint on white), then grey.
   */
  private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
      new Color(0xD55E00), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x777777)};

  static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  static final Color GRID = new Color(0xdddddd);

  /** Colour {@code i} of the palette (cycling); a negative index is black (sums, references). */
  public static Color colour(int i) {
    return i < 0 ? Color.BLACK : PALETTE[i % PALETTE.length];
  }

  /** A solid or dashed line of width 2 px. */
  static BasicStroke line(boolean dashed) {
    return dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f)
        : new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  /**
   * A chart drawn as an image.
   *
   * @param image the picture (opaque RGB)
   * @param plotArea where the data are drawn, in image pixels (inside the axes)
   * @param points the finite data values the chart shows (0: an empty chart)
   */
  public record Rendered(BufferedImage image, Rectangle plotArea, int points) {
    /** Writes the image as PNG (the stream is not closed). */
    public void writePng(OutputStream out) throws IOException {
      MapImages.writePng(image, out);
    }
  }

  /** Draws {@code chart} at {@code width × height} pixels. */
  public static Rendered render(JFreeChart chart, int width, int height) {
    ChartRenderingInfo info = new ChartRenderingInfo();
    BufferedImage image = chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, info);
    Rectangle2D area = info.getPlotInfo().getDataArea();
    return new Rendered(image, area.getBounds(), points(chart));
  }

  /** A chart of {@code plot} in the house style: title on top, legend (when wanted) at the bottom. */
  static JFreeChart styled(String title, Plot plot, boolean legend) {
    JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    chart.setPadding(new RectangleInsets(6, 6, 6, 14));
    TextTitle t = chart.getTitle();
    t.setPaint(Color.BLACK);
    t.setPadding(new RectangleInsets(4, 4, 8, 4));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.GRAY);
    plot.setInsets(new RectangleInsets(4, 4, 4, 4));
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(GRID);
      xy.setRangeGridlinePaint(GRID);
      xy.setDomainGridlineStroke(new BasicStroke(1f));
      xy.setRangeGridlineStroke(new BasicStroke(1f));
      xy.setAxisOffset(RectangleInsets.ZERO_INSETS);
      for (int i = 0; i < xy.getDomainAxisCount(); i++) {
        axis(xy.getDomainAxis(i));
      }
      for (int i = 0; i < xy.getRangeAxisCount(); i++) {
        axis(xy.getRangeAxis(i));
      }
    } else if (plot instanceof CategoryPlot cp) {
      cp.setRangeGridlinePaint(GRID);
      cp.setRangeGridlineStroke(new BasicStroke(1f));
      cp.setAxisOffset(RectangleInsets.ZERO_INSETS);
      axis(cp.getDomainAxis());
      axis(cp.getRangeAxis());
    }
    LegendTitle l = chart.getLegend();
    if (l != null) {
      l.setItemFont(TICK);
      l.setPosition(RectangleEdge.BOTTOM);
      l.setFrame(BlockBorder.NONE);
      l.setBackgroundPaint(Color.WHITE);
    }
    return chart;
  }

  private static void axis(Axis a) {
    a.setLabelFont(LABEL);
    a.setTickLabelFont(TICK);
    a.setLabelPaint(Color.BLACK);
    a.setTickLabelPaint(Color.BLACK);
    a.setAxisLinePaint(Color.GRAY);
    a.setTickMarkPaint(Color.GRAY);
  }

  /** The finite values of every dataset of the chart's plot (the chart "has data" when this is positive). */
  public static int points(JFreeChart chart) {
    int n = 0;
    if (chart.getPlot() instanceof XYPlot xy) {
      for (int d = 0; d < xy.getDatasetCount(); d++) {
        XYDataset ds = xy.getDataset(d);
        for (int s = 0; ds != null && s < ds.getSeriesCount(); s++) {
          for (int i = 0; i < ds.getItemCount(s); i++) {
            n += Double.isFinite(ds.getYValue(s, i)) && Double.isFinite(ds.getXValue(s, i)) ? 1 : 0;
          }
        }
      }
    } else if (chart.getPlot() instanceof CategoryPlot cp) {
      for (int d = 0; d < cp.getDatasetCount(); d++) {
        CategoryDataset ds = cp.getDataset(d);
        for (int r = 0; ds != null && r < ds.getRowCount(); r++) {
          for (int c = 0; c < ds.getColumnCount(); c++) {
            Number v = ds.getValue(r, c);
            n += v != null && Double.isFinite(v.doubleValue()) ? 1 : 0;
          }
        }
      }
    }
    return n;
  }
}
