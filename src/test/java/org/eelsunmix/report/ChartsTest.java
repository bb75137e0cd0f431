package org.eelsunmix.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart layer drawn and read back pixel by pixel: bar heights against the axis mapping worked out here
 * (linear and base-10 logarithmic), error bars, point counts, and a chart drawn in a JVM started headless.
 */
class ChartsTest {
  /** Where value {@code v} lands vertically in {@code area} for an axis from {@code lo} to {@code hi}. */
  private static double yOf(double v, double lo, double hi, Rectangle area, boolean log) {
    double t = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
    return area.y + area.height * (1 - t);
  }

  /** The vertical extent of colour {@code rgb} in column {@code x} of the plot area: {top, bottom}, or null. */
  private static int[] extent(BufferedImage img, Rectangle area, int x, int rgb) {
    int top = -1;
    int bottom = -1;
    for (int y = area.y; y < area.y + area.height; y++) {
      if ((img.getRGB(x, y) & 0xffffff) == rgb) {
        top = top < 0 ? y : top;
        bottom = y;
      }
    }
    return top < 0 ? null : new int[] {top, bottom};
  }

  /** The columns of the plot area holding colour {@code rgb}: {first, last}. */
  private static int[] columns(BufferedImage img, Rectangle area, int rgb) {
    int first = -1;
    int last = -1;
    for (int x = area.x; x < area.x + area.width; x++) {
      for (int y = area.y; y < area.y + area.height; y++) {
        if ((img.getRGB(x, y) & 0xffffff) == rgb) {
          first = first < 0 ? x : first;
          last = x;
          break;
        }
      }
    }
    return new int[] {first, last};
  }

  @Test
  void logBarsReachTheirValuesOnWholeDecades() {
    // Values 2e-3 and 0.3: the axis runs from 1e-3 to 1 (the decades around them).
    List<BarChart.Bar> bars = List.of(new BarChart.Bar("a", "Co", 2e-3, Double.NaN, Double.NaN),
        new BarChart.Bar("b", "Co", 0.3, Double.NaN, Double.NaN));
    Charts.Rendered r = Charts.render(BarChart.of("NMSE", "endmember", "NMSE", List.of("a", "b"), bars, true), 600,
        400);
    assertEquals(2, r.points());
    for (int i = 0; i < 2; i++) {
      int rgb = Charts.colour(i).getRGB() & 0xffffff;
      int[] cols = columns(r.image(), r.plotArea(), rgb);
      assertTrue(cols[1] - cols[0] > 10, "bar " + i + " is " + (cols[1] - cols[0]) + " px wide");
      int[] span = extent(r.image(), r.plotArea(), (cols[0] + cols[1]) / 2, rgb);
      double expectedTop = yOf(bars.get(i).value(), 1e-3, 1, r.plotArea(), true);
      assertEquals(expectedTop, span[0], 1.5, "top of bar " + i);
      assertEquals(r.plotArea().y + r.plotArea().height, span[1], 1.5, "bars start at the axis' bottom");
    }
  }

  @Test
  void linearBarsCarryBlackErrorBarsFromLowToHigh() {
    List<BarChart.Bar> bars = List.of(new BarChart.Bar("m", "Co", 0.5, 0.25, 0.9),
        new BarChart.Bar("m", "Ru", 0.2, 0.1, 0.3));
    var chart = BarChart.of("SAD", "endmember", "SAD (rad)", List.of("m"), bars, false);
    chart.setAntiAlias(false); // whole-pixel lines, so the error bar is pure black
    Charts.Rendered r = Charts.render(chart, 600, 400);
    // The axis runs from 0 to 1.08 × the highest error bar end.
    double top = 0.9 * 1.08;
    int blue = Charts.colour(0).getRGB() & 0xffffff;
    int[] cols = columns(r.image(), r.plotArea(), blue);
    // The first bar's column range ends before the second begins: find the first bar's own columns.
    int x = cols[0] + 2;
    while ((r.image().getRGB(x + 1, r.plotArea().y + r.plotArea().height - 2) & 0xffffff) == blue) {
      x++;
    }
    int centre = (cols[0] + x) / 2;
    int[] bar = extent(r.image(), r.plotArea(), cols[0] + 1, blue);
    assertEquals(yOf(0.5, 0, top, r.plotArea(), false), bar[0], 1.5);
    int[] black = extent(r.image(), r.plotArea(), centre, 0x000000);
    assertTrue(black != null, "no error bar at x = " + centre);
    assertEquals(yOf(0.9, 0, top, r.plotArea(), false), black[0], 1.5, "upper end");
    assertEquals(yOf(0.25, 0, top, r.plotArea(), false), black[1], 1.5, "lower end");
  }

  @Test
  void lineChartsCountTheirPointsAndDrawEachSeriesInItsColour() {
    double[] x = {0, 1, 2, 3, 4};
    List<LineChart.Series> series = List.of(new LineChart.Series("BS", x, new double[] {0, 1, 2, 1, 0}, 0, false),
        new LineChart.Series("NMF", x, new double[] {1, 1, Double.NaN, 1, 1}, 1, true));
    Charts.Rendered r = Charts.render(LineChart.of("profiles", "distance (nm)", "counts", series), 500, 300);
    assertEquals(9, r.points()); // the NaN is a gap, not a point
    for (int i = 0; i < 2; i++) {
      int[] cols = columns(r.image(), r.plotArea(), Charts.colour(i).getRGB() & 0xffffff);
      assertTrue(cols[0] >= 0, "series " + i + " not drawn");
    }
  }

  /** A chart in a fresh JVM with {@code java.awt.headless=true}: JFreeChart needs no display. */
  @Test
  void chartsDrawInAHeadlessJvm(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("c.png");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
        HeadlessChart.class.getName(), png.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the headless JVM did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("headless=true"), out);
    BufferedImage img = ImageIO.read(new File(png.toString()));
    assertEquals(640, img.getWidth());
    assertTrue(Files.size(png) > 1000);
  }

  /** The headless JVM's program: one spectrum chart to the file named by the first argument. */
  static final class HeadlessChart {
    public static void main(String[] args) throws Exception {
      System.out.println("headless=" + java.awt.GraphicsEnvironment.isHeadless());
      double[] v = new double[100];
      for (int k = 0; k < v.length; k++) {
        v[k] = Math.exp(-k / 30.0);
      }
      try (var o = Files.newOutputStream(Path.of(args[0]))) {
        MapImages.writePng(SpectrumPlot.render(org.eelsunmix.core.EnergyAxis.ofEv(100, 1, 100),
            List.of(new SpectrumPlot.Curve("e", v, false)), "t", "counts", 640, 400), o);
      }
    }
  }
}
