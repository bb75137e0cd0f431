package org.eelsunmix.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Vertical bars with error bars (JFreeChart {@link CategoryPlot}): one group of bars per category on the
 * horizontal axis (e.g. endmember, or "mean"), one bar per series within a group (e.g. method), each series in its
 * palette colour throughout; the value axis linear from zero, or logarithmic (base 10, a tick per decade, range
 * from the decade below the smallest shown value to the decade above the largest), as the seed study's NMSE and
 * SAD figures. An error bar spans {@code [low, high]} as given (mean ± std, or an interval); on a log axis a low end
 * at or below zero is drawn to the bottom of the plot.
 */
public final class BarChart {
  private BarChart() {}

  /**
   * One bar.
   *
   * @param series the colour series (legend entry), e.g. the method
   * @param category the group on the horizontal axis, e.g. the endmember
   * @param value the bar's height
   * @param low lower end of its error bar (NaN: no error bar)
   * @param high upper end of its error bar (NaN: no error bar)
   */
  public record Bar(String series, String category, double value, double low, double high) {}

  /**
   * The chart.
   *
   * @param seriesOrder every series, in legend order; series {@code i} gets palette colour {@code i}, so charts
   *     given the same order colour the same series alike
   * @param log logarithmic value axis (non-positive values are not drawn)
   */
  public static JFreeChart of(String title, String categoryLabel, String valueLabel, List<String> seriesOrder,
      List<Bar> bars, boolean log) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    LinkedHashSet<String> categories = new LinkedHashSet<>();
    for (Bar b : bars) {
      categories.add(b.category());
    }
    // Rows and columns in the given orders (the dataset orders keys by first addition).
    for (String s : seriesOrder) {
      for (String c : categories) {
        data.addValue(null, s, c);
      }
    }
    Map<List<String>, double[]> whiskers = new HashMap<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = log ? Double.NEGATIVE_INFINITY : 0;
    for (Bar b : bars) {
      if (!seriesOrder.contains(b.series())) {
        throw new IllegalArgumentException("series " + b.series() + " is not in " + seriesOrder);
      }
      boolean shown = Double.isFinite(b.value()) && (!log || b.value() > 0);
      data.setValue(shown ? b.value() : null, b.series(), b.category());
      if (!shown) {
        continue;
      }
      lo = Math.min(lo, b.value());
      hi = Math.max(hi, b.value());
      if (Double.isFinite(b.low()) && Double.isFinite(b.high())) {
        whiskers.put(List.of(b.series(), b.category()), new double[] {b.low(), b.high()});
        hi = Math.max(hi, b.high());
        if (!log || b.low() > 0) {
          lo = Math.min(lo, b.low());
        }
      }
    }

    ValueAxis valueAxis;
    if (log) {
      LogAxis axis = new LogAxis(valueLabel);
      double bottom = Double.isFinite(lo) ? Math.pow(10, Math.floor(Math.log10(lo))) : 1e-3;
      double top = Double.isFinite(hi) ? Math.pow(10, Math.ceil(Math.log10(hi))) : 1;
      if (top <= bottom) {
        top = bottom * 10;
      }
      axis.setSmallestValue(bottom / 10);
      axis.setRange(bottom * (1 - 1e-9), top * (1 + 1e-9)); // log10(1e-3) is -2.9999…: keep the end decades' ticks
      axis.setTickUnit(new NumberTickUnit(1)); // one labelled tick per decade (10ⁿ)
      axis.setMinorTickMarksVisible(true);
      valueAxis = axis;
    } else {
      NumberAxis axis = new NumberAxis(valueLabel);
      axis.setRange(0, hi > 0 ? hi * 1.08 : 1);
      valueAxis = axis;
    }
    CategoryAxis categoryAxis = new CategoryAxis(categoryLabel);
    categoryAxis.setCategoryMargin(0.25);
    categoryAxis.setLowerMargin(0.04);
    categoryAxis.setUpperMargin(0.04);
    ErrorBars renderer = new ErrorBars(whiskers);
    for (int i = 0; i < seriesOrder.size(); i++) {
      renderer.setSeriesPaint(i, Charts.colour(i));
    }
    CategoryPlot plot = new CategoryPlot(data, categoryAxis, valueAxis, renderer);
    plot.setOrientation(PlotOrientation.VERTICAL);
    return Charts.styled(title, plot, true);
  }

  /** Flat bars (no gradient or shadow) with a black error bar drawn over each. */
  private static final class ErrorBars extends BarRenderer {
    private static final long serialVersionUID = 1L;
    private final Map<List<String>, double[]> whiskers;

    ErrorBars(Map<List<String>, double[]> whiskers) {
      this.whiskers = whiskers;
      setBarPainter(new StandardBarPainter());
      setShadowVisible(false);
      setDrawBarOutline(false);
      setItemMargin(0.05);
      setMaximumBarWidth(0.12);
    }

    @Override
    public void drawItem(Graphics2D g, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
        CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column, int pass) {
      super.drawItem(g, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
      int visibleRow = state.getVisibleSeriesIndex(row);
      double[] w = whiskers.get(List.of(dataset.getRowKey(row).toString(), dataset.getColumnKey(column).toString()));
      if (pass != getPassCount() - 1 || visibleRow < 0 || w == null || dataset.getValue(row, column) == null) {
        return;
      }
      double bottom = rangeAxis.getLowerBound();
      double top = rangeAxis.getUpperBound();
      double low = Math.max(bottom, w[0]);
      double high = Math.min(top, w[1]);
      if (!(high >= low)) {
        return;
      }
      double x0 = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state, visibleRow, column);
      double xc = x0 + state.getBarWidth() / 2;
      double cap = Math.max(3, state.getBarWidth() / 4);
      double y0 = rangeAxis.valueToJava2D(low, dataArea, plot.getRangeAxisEdge());
      double y1 = rangeAxis.valueToJava2D(high, dataArea, plot.getRangeAxisEdge());
      g.setPaint(Color.BLACK);
      g.setStroke(new BasicStroke(1.5f));
      g.draw(new Line2D.Double(xc, y0, xc, y1));
      if (w[1] <= top) {
        g.draw(new Line2D.Double(xc - cap, y1, xc + cap, y1));
      }
      if (w[0] >= bottom) {
        g.draw(new Line2D.Double(xc - cap, y0, xc + cap, y0));
      }
    }
  }

  /** The distinct series of {@code bars} in order of first appearance (a default legend order). */
  public static List<String> seriesOf(List<Bar> bars) {
    return new ArrayList<>(new LinkedHashSet<>(bars.stream().map(Bar::series).toList()));
  }
}
