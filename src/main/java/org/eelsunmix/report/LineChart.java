package org.eelsunmix.report;

import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Lines over a numeric axis (JFreeChart {@link XYPlot}): spectra over energy loss, line profiles over distance.
 * Each series may carry a shaded band (e.g. a per-channel credible interval), drawn translucent in the series'
 * colour behind all lines. Styled by {@link Charts}.
 */
public final class LineChart {
  private LineChart() {}

  /**
   * One line.
   *
   * @param label legend text
   * @param x positions (ascending or not; drawn in the given order)
   * @param y values, one per position
   * @param colour palette index ({@link Charts#colour}); negative for black
   * @param dashed dashed (e.g. a truth, a sum) rather than solid
   */
  public record Series(String label, double[] x, double[] y, int colour, boolean dashed) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException(label + ": " + x.length + " positions for " + y.length + " values");
      }
    }
  }

  /** A band around series number {@code series}: its lower and upper value at each of its positions. */
  public record Band(int series, double[] lower, double[] upper) {}

  /** The chart (no bands). */
  public static JFreeChart of(String title, String xLabel, String yLabel, List<Series> series) {
    return of(title, xLabel, yLabel, series, List.of());
  }

  /** The chart with shaded {@code bands}. */
  public static JFreeChart of(String title, String xLabel, String yLabel, List<Series> series, List<Band> bands) {
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    x.setAutoRangeStickyZero(false);
    x.setLowerMargin(0);
    x.setUpperMargin(0);
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(x);
    plot.setRangeAxis(y);

    // Dataset 0: the bands (drawn first, behind), dataset 1: the lines.
    YIntervalSeriesCollection shaded = new YIntervalSeriesCollection();
    DeviationRenderer bandRenderer = new DeviationRenderer(false, false);
    bandRenderer.setAlpha(0.25f);
    bandRenderer.setDefaultSeriesVisibleInLegend(false);
    for (int i = 0; i < bands.size(); i++) {
      Band b = bands.get(i);
      Series s = series.get(b.series());
      YIntervalSeries ys = new YIntervalSeries(s.label() + " band " + i, false, true);
      for (int k = 0; k < s.x().length; k++) {
        ys.add(s.x()[k], s.y()[k], b.lower()[k], b.upper()[k]);
      }
      shaded.addSeries(ys);
      bandRenderer.setSeriesFillPaint(i, Charts.colour(s.colour()));
      bandRenderer.setSeriesPaint(i, Charts.colour(s.colour()));
    }
    plot.setDataset(0, shaded);
    plot.setRenderer(0, bandRenderer);

    XYSeriesCollection lines = new XYSeriesCollection();
    XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      // Labels may repeat across charts but must be unique keys inside one collection.
      XYSeries xs = new XYSeries(new Key(i, s.label()), false, true);
      for (int k = 0; k < s.x().length; k++) {
        xs.add(s.x()[k], s.y()[k]);
      }
      lines.addSeries(xs);
      lineRenderer.setSeriesPaint(i, Charts.colour(s.colour()));
      lineRenderer.setSeriesStroke(i, Charts.line(s.dashed()));
    }
    lineRenderer.setDrawSeriesLineAsPath(true);
    plot.setDataset(1, lines);
    plot.setRenderer(1, lineRenderer);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    return Charts.styled(title, plot, !series.isEmpty());
  }

  /** A series key: unique by index, shown as its label. */
  private record Key(int index, String label) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
      return label;
    }
  }
}
