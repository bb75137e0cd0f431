package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.synth.SyntheticGenerator.Options;
import org.junit.jupiter.api.Test;

class LayeredMapsTest {
  private static final List<String> CO_RU_PT = List.of("Co", "Ru", "Pt");

  /** The documented concentration c(y) of the thin layer, from its definition (box ⊗ one-sided exponential). */
  private static double concentration(double y, double y0, double y1, double l) {
    if (y < y0) {
      return 0;
    }
    if (y < y1) {
      return 1 - Math.exp(-(y - y0) / l);
    }
    return Math.exp(-(y - y1) / l) - Math.exp(-(y - y0) / l);
  }

  @Test
  void thinLayerIsNeverPureAndDiffusesDownwardsOnly() {
    double l = 2.0;
    LayeredMaps layers = new LayeredMaps(64, 3, l);
    Abundances a = layers.paint(CO_RU_PT);
    int y0 = (64 - 3) / 2; // documented: ⌊(size − w)/T⌋ with T = 2 thick layers
    assertEquals(y0, layers.thinStart(3));
    checkProportions(a);
    for (int y = 0; y < 64; y++) {
      // Row averages of c by a fine midpoint rule: an independent reference for the closed form.
      int n = 20_000;
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += concentration(y + (j + 0.5) / n, y0, y0 + 3, l);
      }
      for (int x : new int[] {0, 17, 63}) {
        assertEquals(sum / n, a.get(y, x, 1), 1e-8, "row " + y);
      }
    }
    double maxThin = 0;
    for (int y = y0; y < y0 + 3; y++) {
      maxThin = Math.max(maxThin, a.get(y, 5, 1));
      assertEquals(0.0, a.get(y, 5, 0), "no Co inside the thin layer: the Co/Ru interface is sharp");
    }
    assertTrue(maxThin < 0.9 && maxThin > 0.3, "no pure Ru pixel, max " + maxThin);
    // Above: nothing of the thin layer, pure Co. Below: a tail decaying as e^{−1/L} per row.
    for (int y = 0; y < y0; y++) {
      assertEquals(0.0, a.get(y, 9, 1));
      assertEquals(1.0, a.get(y, 9, 0));
    }
    for (int y = y0 + 3; y < y0 + 12; y++) {
      double measuredLength = 1 / Math.log(a.get(y, 9, 1) / a.get(y + 1, 9, 1));
      assertEquals(l, measuredLength, 1e-9, "tail length at row " + y);
      assertEquals(0.0, a.get(y, 9, 0));
    }
    assertTrue(a.get(y0 + 3, 9, 1) > 0.1, "the tail starts strong below the layer");
    assertEquals(1.0, a.get(63, 9, 2), 1e-6, "Pt at the bottom, but for the far tail (2e-7)");
  }

  @Test
  void sharpLayerWithoutDiffusion() {
    Abundances a = new LayeredMaps(20, 4, 0).paint(CO_RU_PT);
    checkProportions(a);
    for (int y = 0; y < 20; y++) {
      double expectedRu = y >= 8 && y < 12 ? 1 : 0; // y0 = ⌊16/2⌋
      assertEquals(expectedRu, a.get(y, 3, 1), "row " + y);
    }
  }

  @Test
  void endmembersGoOntoLayersByNameOrByIndex() {
    // By name, whatever the order: Co upper, Ru thin, Pt lower.
    LayeredMaps.Layout named = LayeredMaps.layout(List.of("Pt", "co", "Ru"));
    assertEquals(2, named.thin());
    assertArrayEquals(new int[] {1, 0}, named.thick());
    // By index: 0 upper, 1 thin, 2 lower, then 3, 4 … below.
    LayeredMaps.Layout four = LayeredMaps.layout(List.of("C", "BN", "Al2O3", "LiF"));
    assertEquals(1, four.thin());
    assertArrayEquals(new int[] {0, 2, 3}, four.thick());
    // Two endmembers: the thin layer 1 inside endmember 0.
    LayeredMaps.Layout two = LayeredMaps.layout(List.of("a", "b"));
    assertEquals(1, two.thin());
    assertArrayEquals(new int[] {0, 0}, two.thick());

    Abundances a4 = new LayeredMaps(64, 3, 1.5).paint(List.of("C", "BN", "Al2O3", "LiF"));
    checkProportions(a4);
    int y0 = (64 - 3) / 3; // 20; the other two thick layers share rows 23..63: 23..42 and 43..63
    assertEquals(1.0, a4.get(0, 0, 0));
    assertEquals(1.0, a4.get(y0 - 1, 0, 0));
    assertTrue(a4.get(y0 + 1, 0, 1) > 0.3 && a4.get(y0 + 1, 0, 1) < 1);
    assertEquals(1.0, a4.get(42, 0, 2), 1e-5);
    assertEquals(1.0, a4.get(43, 0, 3), 1e-5);
    assertEquals(1.0, a4.get(63, 0, 3), 1e-10);

    Abundances a2 = new LayeredMaps(16, 2, 1).paint(List.of("a", "b"));
    checkProportions(a2);
    assertEquals(1.0, a2.get(0, 0, 0));
    assertEquals(1.0, a2.get(15, 0, 0), 2e-3); // the tail, e^{−6} down
    assertTrue(a2.get(8, 0, 1) > 0.3);
  }

  @Test
  void generatorUsesLayersAndTheFilterOnTop() {
    Options o = Options.builtin("co-ru-pt").with("map", "layers").with("filter", "1")
        .with("dose", "Infinity");
    assertArrayEquals(new LayeredMaps(64, Scene.DEFAULT_LAYER_WIDTH, Scene.DEFAULT_DIFFUSION).paint(CO_RU_PT)
        .values(), SyntheticGenerator.truth(o, 0).abundances().values());
    // Layers draw nothing: every replicate has the same maps.
    assertArrayEquals(SyntheticGenerator.truth(o, 0).abundances().values(),
        SyntheticGenerator.truth(o, 5).abundances().values());
    Abundances filtered = SyntheticGenerator.truth(o.with("filter", "5").with("layer_width", "4")
        .with("diffusion", "3"), 0).abundances();
    checkProportions(filtered);
    assertArrayEquals(new MixingFilter(5).apply(new LayeredMaps(64, 4, 3).paint(CO_RU_PT)).values(),
        filtered.values());
  }

  private static void checkProportions(Abundances a) {
    double[] v = a.values();
    for (int p = 0; p < a.pixels(); p++) {
      double sum = 0;
      for (int r = 0; r < a.count(); r++) {
        assertTrue(v[p * a.count() + r] >= 0, "pixel " + p);
        sum += v[p * a.count() + r];
      }
      assertEquals(1.0, sum, 1e-12, "pixel " + p);
    }
  }
}
