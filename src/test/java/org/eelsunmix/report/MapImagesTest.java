package org.eelsunmix.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;

/** Map files read back by javax.imageio; tick rules against hand-worked cases. */
class MapImagesTest {
  @Test
  void tiffHoldsRoundedSixteenBitValuesOfTheMap() throws Exception {
    int h = 3;
    int w = 5;
    double[] map = new double[h * w];
    for (int p = 0; p < map.length; p++) {
      map[p] = p / 14.0;
    }
    map[1] = -0.2; // clamped to 0
    map[2] = 1.7; // clamped to 1
    map[3] = 0.5; // 32767.5 rounds half up
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MapImages.writeTiff16(map, h, w, bytes);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(BufferedImage.TYPE_USHORT_GRAY, back.getType());
    assertEquals(16, back.getColorModel().getPixelSize());
    assertEquals(w, back.getWidth());
    assertEquals(h, back.getHeight());
    int[] expected = new int[map.length];
    for (int p = 0; p < map.length; p++) {
      expected[p] = (int) Math.round(65535 * Math.min(1, Math.max(0, map[p])));
    }
    expected[1] = 0;
    expected[2] = 65535;
    expected[3] = 32768;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        assertEquals(expected[y * w + x], back.getRaster().getSample(x, y, 0), "pixel " + x + "," + y);
      }
    }
    assertEquals(0, MapImages.toUnsigned16(Double.NaN));
    assertEquals(65535, MapImages.toUnsigned16(1.0));
  }

  @Test
  void pngMapsAndPlotsAreReadableImages() throws Exception {
    double[] line = new double[40];
    for (int i = 0; i < 40; i++) {
      line[i] = i / 39.0;
    }
    BufferedImage png = MapImages.renderPng(line, 1, 40, 0, 1, "LSMO: Mn abundance", "abundance", 3.2, "nm");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MapImages.writePng(png, bytes);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(png.getWidth(), back.getWidth());
    // The line scan is a band 8 px per pixel (320 / 40) wide, 32 px high, centred in the 160 px high plot area
    // below the 40 px title: its first cell is viridis(0), its last viridis(1).
    assertEquals(ColourMap.viridis(0), back.getRGB(20 + 3, 40 + 64 + 16) & 0xffffff);
    assertEquals(ColourMap.viridis(1), back.getRGB(20 + 39 * 8 + 3, 40 + 64 + 16) & 0xffffff);
    assertEquals(0xffffff, back.getRGB(20 + 3, 40 + 64 - 4) & 0xffffff);

    BufferedImage plot = SpectrumPlot.render(EnergyAxis.ofEv(200, 3.33, 200), List.of(
        new SpectrumPlot.Curve("Co", new double[200], false), new SpectrumPlot.Curve("sum", new double[200], true)),
        "endmembers", "intensity (counts)", 900, 440);
    assertEquals(900, plot.getWidth());
    assertEquals(440, plot.getHeight());
  }

  /** A credible band is shaded in its curve's colour (tab10 blue over white) between its lower and upper values. */
  @Test
  void aBandIsShadedInItsCurvesColourBetweenItsBounds() {
    EnergyAxis axis = EnergyAxis.ofEv(200, 1, 200);
    double[] mean = new double[200];
    double[] lower = new double[200];
    double[] upper = new double[200];
    java.util.Arrays.fill(mean, 2);
    java.util.Arrays.fill(lower, 1);
    java.util.Arrays.fill(upper, 3);
    List<SpectrumPlot.Curve> curves = List.of(new SpectrumPlot.Curve("e0", mean, false));
    BufferedImage plain = SpectrumPlot.render(axis, curves, "e", "counts", 600, 400);
    BufferedImage banded = SpectrumPlot.render(axis, curves, List.of(new SpectrumPlot.Band(0, lower, upper)), "e",
        "counts", 600, 400);
    // Left of the legend, halfway between the curve (2) and the band's top (3): white without the band, a blend of
    // white and tab10 blue (0x1f77b4) with it.
    int x = 150;
    int top = -1;
    for (int y = 0; y < 400 && top < 0; y++) {
      if ((banded.getRGB(x, y) & 0xffffff) != (plain.getRGB(x, y) & 0xffffff)) {
        top = y;
      }
    }
    assertTrue(top > 0, "no shaded pixel in column " + x);
    int shade = banded.getRGB(x, top + 5) & 0xffffff;
    int r = shade >> 16;
    int b = shade & 0xff;
    assertTrue(b > r && r > 0x1f && r < 0xff, String.format("shade %06x", shade));
    assertEquals(0xffffff, plain.getRGB(x, top + 5) & 0xffffff);
  }

  @Test
  void ticksFallOnOneTwoFiveSteps() {
    assertEquals(0.2, PlotText.niceStep(0, 1, 5), 1e-12);
    assertEquals(100, PlotText.niceStep(200, 863, 8), 1e-9);
    assertEquals(List.of(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0), PlotText.ticks(0, 1, 0.2));
    assertEquals("0.6", PlotText.label(0.6000000000000001, 0.2));
    assertEquals("300", PlotText.label(300, 100));
    assertEquals("2.5", PlotText.label(2.5, 0.5));
    assertEquals(0, PlotText.exponent(99999));
    assertEquals(5, PlotText.exponent(2.8e5));
    assertEquals(-4, PlotText.exponent(2.5e-4));
    assertEquals(" ×10⁵", PlotText.timesTenTo(5));
    assertEquals(" ×10⁻¹²", PlotText.timesTenTo(-12));
    assertEquals(30.0, PlotText.niceCeiling(28.89), 1e-12);
    assertEquals("3.22 nm", PlotText.length(0.00321902, "µm"));
    assertEquals("1.99 nm", PlotText.length(1.99, "nm"));
    assertEquals(ColourMap.viridis(0.5), 0x26828e);
  }
}
