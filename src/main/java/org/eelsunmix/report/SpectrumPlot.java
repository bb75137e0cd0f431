package org.eelsunmix.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.EnergyAxis;
import org.jfree.chart.JFreeChart;

/**
 * Spectra over an energy-loss axis, as a {@link LineChart}: one palette colour per curve in order, dashed curves
 * (a sum, a truth) in black unless a colour is given, optional shaded credible bands around curves (the BLU model's
 * per-channel endmember bands). Used for the endmember plots of the reprocess and study reports.
 */
public final class SpectrumPlot {
  private SpectrumPlot() {}

  /**
   * One curve: a label for the legend and one value per channel; {@code dashed} for e.g. a sum of the others;
   * {@code colour} a palette index ({@link Charts#colour}), or {@link #AUTO} for the curve's position (black when
   * dashed).
   */
  public record Curve(String label, double[] values, boolean dashed, int colour) {
    /** A curve coloured by its position. */
    public Curve(String label, double[] values, boolean dashed) {
      this(label, values, dashed, AUTO);
    }
  }

  /** Colour a curve by its position in the list. */
  public static final int AUTO = Integer.MIN_VALUE;

  /** A shaded band around curve number {@code curve}: lower and upper value per channel. */
  public record Band(int curve, double[] lower, double[] upper) {}

  /** The image of {@code curves} over {@code axis}; {@code yLabel} e.g. {@code "intensity (counts)"}. */
  public static BufferedImage render(EnergyAxis axis, List<Curve> curves, String title, String yLabel, int width,
      int height) {
    return render(axis, curves, List.of(), title, yLabel, width, height);
  }

  /** As {@link #render(EnergyAxis, List, String, String, int, int)}, with shaded {@code bands}. */
  public static BufferedImage render(EnergyAxis axis, List<Curve> curves, List<Band> bands, String title,
      String yLabel, int width, int height) {
    return Charts.render(chart(axis.energies(), axis.units(), curves, bands, title, yLabel), width, height).image();
  }

  /**
   * The chart of {@code curves} over the channel energies {@code energies} (any spacing) in {@code units}.
   */
  public static JFreeChart chart(double[] energies, String units, List<Curve> curves, List<Band> bands, String title,
      String yLabel) {
    List<LineChart.Series> series = new ArrayList<>();
    for (int i = 0; i < curves.size(); i++) {
      Curve c = curves.get(i);
      int colour = c.colour() != AUTO ? c.colour() : c.dashed() ? -1 : i;
      series.add(new LineChart.Series(c.label(), energies, c.values(), colour, c.dashed()));
    }
    List<LineChart.Band> shaded = new ArrayList<>();
    for (Band b : bands) {
      shaded.add(new LineChart.Band(b.curve(), b.lower(), b.upper()));
    }
    return LineChart.of(title, "energy loss (" + units + ")", yLabel, series, shaded);
  }
}
