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
    Charts.Rendered r = MapImages.render(line, 1, 40, 0, 1, "LSMO: Mn abundance", "abundance", 3.2, "nm");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    r.writePng(bytes);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(r.image().getWidth(), back.getWidth());
    assertEquals(40, r.points());
    // The line scan is a band 8 px per pixel (320 / 40) wide and 32 px high, exactly the plot area: its first cell
    // is viridis(0), its last viridis(1); above the plot area is the white page.
    java.awt.Rectangle a = r.plotArea();
    assertEquals(320, a.width);
    assertEquals(32, a.height);
    assertEquals(ColourMap.viridis(0), back.getRGB(a.x + 3, a.y + 16) & 0xffffff);
    assertEquals(ColourMap.viridis(1), back.getRGB(a.x + 39 * 8 + 3, a.y + 16) & 0xffffff);
    assertEquals(ColourMap.viridis(20 / 39.0), back.getRGB(a.x + 20 * 8 + 4, a.y + 16) & 0xffffff);
    assertEquals(0xffffff, back.getRGB(a.x + 3, a.y - 4) & 0xffffff);

    // A square map: whole squares of 5 px (320 / 64), row 0 at the top.
    double[] map = new double[64 * 64];
    map[0] = 1; // top-left pixel bright, the rest dark
    Charts.Rendered m = MapImages.render(map, 64, 64, 0, 1, "Co", "abundance", Double.NaN, "");
    assertEquals(320, m.plotArea().width);
    assertEquals(320, m.plotArea().height);
    assertEquals(ColourMap.viridis(1), m.image().getRGB(m.plotArea().x + 2, m.plotArea().y + 2) & 0xffffff);
    assertEquals(ColourMap.viridis(0), m.image().getRGB(m.plotArea().x + 7, m.plotArea().y + 2) & 0xffffff);
    assertEquals(ColourMap.viridis(0), m.image().getRGB(m.plotArea().x + 2, m.plotArea().y + 7) & 0xffffff);

    BufferedImage plot = SpectrumPlot.render(EnergyAxis.ofEv(200, 3.33, 200), List.of(
        new SpectrumPlot.Curve("Co", new double[200], false), new SpectrumPlot.Curve("sum", new double[200], true)),
        "endmembers", "intensity (counts)", 900, 440);
    assertEquals(900, plot.getWidth());
    assertEquals(440, plot.getHeight());
  }

  /** A credible band is shaded in its curve's colour (Okabe-Ito blue over white) between its lower and upper values. */
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
    // white and Okabe-Ito blue (0x0072b2) with it.
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
  void colourBarsEndOnOneTwoFiveStepsAndLengthsReadWell() {
    assertEquals(0.2, AcquisitionProducts.niceStep(1), 1e-12);
    assertEquals(100, AcquisitionProducts.niceStep(663), 1e-9);
    assertEquals(30.0, AcquisitionProducts.niceCeiling(28.89), 1e-12);
    assertEquals(0.05, AcquisitionProducts.niceCeiling(0.0437), 1e-12);
    assertEquals("3.22 nm", MapImages.length(0.00321902, "µm"));
    assertEquals("1.99 nm", MapImages.length(1.99, "nm"));
    assertEquals(ColourMap.viridis(0.5), 0x26828e);
  }
}
