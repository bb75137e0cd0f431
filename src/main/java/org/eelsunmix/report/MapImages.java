package org.eelsunmix.report;

import java.awt.Color;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYDataImageAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/**
 * Abundance (and RMSE) maps as image files.
 *
 * <p><b>16-bit TIFF</b> ({@link #writeTiff16}): one grey channel, unsigned 16-bit, one image pixel per map pixel,
 * row 0 at the top; the value stored is {@code round(65535 × clamp(a, 0, 1))} ({@link #toUnsigned16}), so
 * {@code a = stored / 65535} to within 7.7e-6 (half a step). For quantitative work in ImageJ, Fiji, HyperSpy.
 *
 * <p><b>PNG</b> ({@link #renderPng}, {@link #render}): for looking at, a JFreeChart figure in the house style of
 * {@link Charts}: the map in the viridis colour map ({@link ColourMap}) with square pixels enlarged by a whole
 * factor (no smoothing), pixel axes, a colour bar with labelled ticks, a title and a line giving the image size and
 * the pixel size when known. A line scan (one row) is drawn as a band 32 px high.
 */
public final class MapImages {
  private MapImages() {}

  /** The 16-bit value a map value in [0, 1] is stored as: {@code round(65535 × clamp(a, 0, 1))}; NaN gives 0. */
  public static int toUnsigned16(double a) {
    if (Double.isNaN(a)) {
      return 0;
    }
    return (int) Math.round(65535.0 * Math.min(1.0, Math.max(0.0, a)));
  }

  /**
   * Writes a {@code height × width} row-major map of values in [0, 1] as an uncompressed 16-bit greyscale TIFF
   * (javax.imageio's TIFF plugin, part of Java since 9). The stream is not closed.
   */
  public static void writeTiff16(double[] map, int height, int width, OutputStream out) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = img.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setSample(x, y, 0, toUnsigned16(map[y * width + x]));
      }
    }
    write(img, "tiff", out);
  }

  /** Writes a rendered image as PNG. The stream is not closed. */
  public static void writePng(BufferedImage img, OutputStream out) throws IOException {
    write(img, "png", out);
  }

  private static void write(BufferedImage img, String format, OutputStream out) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IOException("this Java has no " + format + " image writer");
    }
    ImageWriter w = writers.next();
    // In memory, not ImageIO's default temporary-file cache: the target may be any Hadoop file system.
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(img);
    } finally {
      w.dispose();
    }
  }

  /**
   * Renders a map for viewing (see {@link #render}).
   *
   * @param map row-major {@code height × width} values
   * @param lo value drawn darkest (bottom of the colour bar)
   * @param hi value drawn brightest (top of the colour bar)
   * @param title e.g. {@code "Co abundance"}
   * @param barLabel the quantity on the colour bar, e.g. {@code "abundance"} or {@code "RMSE (counts)"}
   * @param pixelSize size of one pixel along x (NaN when unknown)
   * @param pixelUnits units of {@code pixelSize}
   */
  public static BufferedImage renderPng(double[] map, int height, int width, double lo, double hi, String title,
      String barLabel, double pixelSize, String pixelUnits) {
    return render(map, height, width, lo, hi, title, barLabel, pixelSize, pixelUnits).image();
  }

  /**
   * A map as a JFreeChart figure in the house style ({@link Charts}): the map in viridis ({@link ColourMap}), each
   * map pixel a square of a whole number of image pixels (nearest neighbour, about 320 image pixels across; a line
   * scan is a band 32 px high), row 0 at the top, pixel axes, a colour bar from {@code lo} to {@code hi} with its
   * label, the title, and a line giving the image size and the pixel size when known. Its point count is the
   * number of finite map values.
   */
  public static Charts.Rendered render(double[] map, int height, int width, double lo, double hi, String title,
      String barLabel, double pixelSize, String pixelUnits) {
    int zoom = Math.max(1, 320 / Math.max(width, height));
    int mapW = width * zoom;
    int mapH = height == 1 ? 32 : height * zoom;
    double span = hi > lo ? hi - lo : 1;
    BufferedImage raster = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int finite = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double v = map[y * width + x];
        finite += Double.isFinite(v) ? 1 : 0;
        raster.setRGB(x, y, ColourMap.viridis((v - lo) / span));
      }
    }
    NumberAxis xAxis = new NumberAxis("x (pixels)");
    xAxis.setRange(0, width);
    xAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis yAxis = new NumberAxis(height == 1 ? " " : "y (pixels)");
    yAxis.setRange(0, height);
    yAxis.setInverted(true); // row 0 at the top, as microscopes and image viewers show it
    yAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    yAxis.setTickLabelsVisible(height > 1);
    yAxis.setTickMarksVisible(height > 1);
    XYPlot plot = new XYPlot(null, xAxis, yAxis, null);
    plot.addAnnotation(new XYDataImageAnnotation(raster, 0, 0, width, height, true));
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    JFreeChart chart = Charts.styled(title, plot, false);
    chart.setAntiAlias(false); // crisp map pixels and frame

    NumberAxis barAxis = new NumberAxis(barLabel);
    barAxis.setRange(lo, lo + span);
    barAxis.setTickUnit(new NumberTickUnit(AcquisitionProducts.niceStep(span))); // about 5 labelled ticks
    barAxis.setLabelFont(Charts.LABEL);
    barAxis.setTickLabelFont(Charts.TICK);
    PaintScaleLegend bar = new PaintScaleLegend(new Viridis(lo, lo + span), barAxis);
    bar.setPosition(RectangleEdge.RIGHT);
    bar.setStripWidth(18);
    bar.setAxisOffset(2);
    bar.setSubdivisionCount(256);
    bar.setStripOutlineVisible(true);
    bar.setMargin(new RectangleInsets(4, 12, 4, 4));
    bar.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(bar);
    String size = String.format(Locale.ROOT, "%d × %d pixels", width, height);
    if (Double.isFinite(pixelSize) && pixelSize > 0) {
      size += ", " + length(pixelSize, pixelUnits) + " per pixel";
    }
    TextTitle sizeLine = new TextTitle(size, Charts.TICK);
    sizeLine.setPosition(RectangleEdge.BOTTOM);
    sizeLine.setHorizontalAlignment(HorizontalAlignment.LEFT);
    sizeLine.setPadding(new RectangleInsets(6, 4, 2, 4));
    chart.addSubtitle(sizeLine);

    // The frame around the plot depends on the fonts: measure it once, then size the image so that the plot area
    // is exactly mapW × mapH and every map pixel a whole square.
    Charts.Rendered probe = Charts.render(chart, mapW + 300, mapH + 200);
    int w = mapW + 300 + (mapW - probe.plotArea().width);
    int h = mapH + 200 + (mapH - probe.plotArea().height);
    Charts.Rendered r = Charts.render(chart, Math.max(w, 200), Math.max(h, 150));
    return new Charts.Rendered(r.image(), r.plotArea(), finite);
  }

  /** viridis from {@code lo} to {@code hi}, for the colour bar. */
  private record Viridis(double lo, double hi) implements PaintScale {
    @Override
    public double getLowerBound() {
      return lo;
    }

    @Override
    public double getUpperBound() {
      return hi;
    }

    @Override
    public Paint getPaint(double value) {
      return new Color(ColourMap.viridis((value - lo) / (hi - lo)));
    }
  }

  /** A length to 3 significant digits, micrometres below 0.1 µm in nanometres (e.g. {@code 3.22 nm}). */
  static String length(double value, String units) {
    String u = units == null ? "" : units.trim();
    if ((u.equals("µm") || u.equals("um")) && Math.abs(value) < 0.1) {
      return String.format(Locale.ROOT, "%.3g nm", value * 1000);
    }
    return String.format(Locale.ROOT, "%.3g %s", value, u).trim();
  }
}
