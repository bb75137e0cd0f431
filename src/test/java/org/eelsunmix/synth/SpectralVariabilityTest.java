package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.synth.SyntheticGenerator.Options;
import org.junit.jupiter.api.Test;

/** Noise-free checks of each kind of spectral variability against its definition. */
class SpectralVariabilityTest {
  private static final Options CO_RU_PT = Options.builtin("co-ru-pt").withSize(32).withBlock(8).withFilter(1)
      .withDose(SyntheticGenerator.NOISE_FREE);

  /** Σ i·x_i / Σ x_i: a linear-interpolation shift by s moves it by exactly s for a feature far from the ends. */
  private static double centroid(double[] x) {
    double m = 0;
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      m += i * x[i];
      s += x[i];
    }
    return m / s;
  }

  /** One endmember: a Gaussian peak (σ = 3 channels) in the middle of 120 channels, no background. */
  private static Options peak(int size) {
    double[] m = new double[120];
    for (int i = 0; i < m.length; i++) {
      m[i] = Math.exp(-0.5 * Math.pow((i - 60) / 3.0, 2));
    }
    Endmembers e = new Endmembers(new double[][] {m}, List.of("peak"), EnergyAxis.ofEv(100, 1, 120));
    return new Options("peak", e, size, size, 1, SyntheticGenerator.NOISE_FREE, 3);
  }

  @Test
  void driftPlaneIsMeasuredBackFromTheSpectra() {
    int size = 16;
    Options o = peak(size).with("shift_drift", "2");
    SyntheticCube cube = SyntheticGenerator.generate(o, 0);
    double reference = centroid(o.endmembers().spectrum(0));
    // Documented plane: s = drift·(x + y)/(2(size − 1)): 0 at (0, 0), drift at the far corner.
    int[][] pixels = {{0, 0}, {15, 15}, {0, 15}, {15, 0}, {7, 3}, {10, 12}};
    for (int[] p : pixels) {
      double measured = centroid(cube.image().spectrum(p[0], p[1])) - reference;
      double plane = 2.0 * (p[0] + p[1]) / (2.0 * (size - 1));
      assertEquals(plane, measured, 1e-3, "pixel (y, x) = (" + p[0] + ", " + p[1] + ")");
    }
    assertEquals(2.0, centroid(cube.image().spectrum(15, 15)) - reference, 1e-3);
  }

  @Test
  void shiftJitterHasTheRequestedSpreadAroundThePlane() {
    int size = 32;
    Options o = peak(size).with("shift_jitter", "0.5");
    SyntheticCube cube = SyntheticGenerator.generate(o, 1);
    double reference = centroid(o.endmembers().spectrum(0));
    double sum = 0;
    double sumSq = 0;
    int n = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double s = centroid(cube.image().spectrum(y, x)) - reference;
        sum += s;
        sumSq += s * s;
      }
    }
    double mean = sum / n;
    double sd = Math.sqrt(sumSq / n - mean * mean);
    assertEquals(0.0, mean, 5 * 0.5 / Math.sqrt(n));
    assertEquals(0.5, sd, 5 * 0.5 / Math.sqrt(2.0 * n));
  }

  @Test
  void thicknessScalesEachPixelAndKeepsTheProportions() {
    SyntheticCube base = SyntheticGenerator.generate(CO_RU_PT.withFilter(3), 2);
    SyntheticCube thick = SyntheticGenerator.generate(CO_RU_PT.withFilter(3).with("thickness", "0.2"), 2);
    assertArrayEquals(base.truthAbundances().values(), thick.truthAbundances().values());
    assertEquals(base.truthEndmembers(), thick.truthEndmembers());
    List<Double> scales = new ArrayList<>();
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        double[] b = base.image().spectrum(y, x);
        double[] t = thick.image().spectrum(y, x);
        double scale = sum(t) / sum(b);
        scales.add(scale);
        for (int i = 0; i < b.length; i++) {
          assertEquals(scale * b[i], t[i], 1e-6 * b[i] * Math.max(1, scale), "pixel " + y + "," + x + " ch " + i);
        }
      }
    }
    double mean = scales.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sd = Math.sqrt(scales.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / scales.size());
    assertEquals(1.0, mean, 5 * 0.2 / 32);
    assertEquals(0.2, sd, 0.2 * 5 / Math.sqrt(2.0 * 1024));
  }

  /** The built-in models' power-law backgrounds, each on its unit-sum endmember's scale (computed here). */
  private static double[][] modelBackgrounds() {
    BuiltinEndmembers.Definition d = BuiltinEndmembers.definition("co-ru-pt");
    double[][] b = new double[3][];
    for (int r = 0; r < 3; r++) {
      EelsSpectrumModel model = d.entries().get(r).model();
      double total = sum(model.channelCounts(d.axis()));
      EelsSpectrumModel.Component background = model.components().get(0);
      assertTrue(background instanceof EelsSpectrumModel.PowerLawBackground);
      b[r] = new EelsSpectrumModel("bg", background).channelCounts(d.axis());
      for (int i = 0; i < b[r].length; i++) {
        b[r][i] /= total;
      }
    }
    return b;
  }

  /** The endmember of a pure pixel (filter 1: every pixel is pure). */
  private static int pureEndmember(SyntheticCube cube, int y, int x) {
    for (int r = 0; r < 3; r++) {
      if (cube.truthAbundances().get(y, x, r) == 1.0) {
        return r;
      }
    }
    throw new AssertionError("not pure");
  }

  @Test
  void edgeScaleScalesTheEdgeSignalOnly() {
    SyntheticCube cube = SyntheticGenerator.generate(CO_RU_PT.with("edge_scale", "0.3"), 4);
    double[][] b = modelBackgrounds();
    double[][] m = cube.truthEndmembers().matrix();
    List<Double> factors = new ArrayList<>();
    int ptPixels = 0;
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int r = pureEndmember(cube, y, x);
        double[] v = cube.image().spectrum(y, x);
        if (r == 2) {
          // Pt has no edge in range: its pixels are the reference spectrum.
          for (int i = 0; i < v.length; i++) {
            assertEquals((float) m[2][i], v[i], Math.ulp((float) m[2][i]) * 2);
          }
          ptPixels++;
          continue;
        }
        // x − b = g·(m − b) at every channel carrying edge signal, with one g per pixel.
        double maxEdge = 0;
        for (int i = 0; i < v.length; i++) {
          maxEdge = Math.max(maxEdge, m[r][i] - b[r][i]);
        }
        double g = Double.NaN;
        for (int i = 0; i < v.length; i++) {
          double e = m[r][i] - b[r][i];
          double residual = v[i] - b[r][i];
          if (e > 0.05 * maxEdge) {
            double gi = residual / e;
            if (Double.isNaN(g)) {
              g = gi;
            }
            assertEquals(g, gi, 1e-4 * Math.max(1, g), "pixel " + y + "," + x + " channel " + i);
          } else if (e < 1e-6 * maxEdge) {
            assertEquals(b[r][i], v[i], 1e-6 * b[r][i], "background channel " + i + " unchanged");
          }
        }
        factors.add(g);
      }
    }
    assertTrue(ptPixels > 0 && factors.size() > 100);
    double mean = factors.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sd = Math.sqrt(factors.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / factors.size());
    assertEquals(1.0, mean, 5 * 0.3 / Math.sqrt(factors.size()));
    assertEquals(0.3, sd, 0.3 * 5 / Math.sqrt(2.0 * factors.size()));
  }

  @Test
  void backgroundJitterTiltsTheBackgroundOnly() {
    SyntheticCube cube = SyntheticGenerator.generate(CO_RU_PT.with("background_jitter", "0.1"), 5);
    double[][] b = modelBackgrounds();
    double[][] m = cube.truthEndmembers().matrix();
    EnergyAxis axis = cube.image().axis();
    List<Double> deltas = new ArrayList<>();
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int r = pureEndmember(cube, y, x);
        double[] v = cube.image().spectrum(y, x);
        // (x − e)/b = (E/E₀)^−δ: a straight line of slope −δ through 0 in log-log, E₀ the first channel.
        double sxy = 0;
        double sxx = 0;
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
          if (b[r][i] > 0.5 * m[r][i]) {
            double lx = Math.log(axis.energy(i) / axis.energy(0));
            double ly = Math.log((v[i] - (m[r][i] - b[r][i])) / b[r][i]);
            points.add(new double[] {lx, ly});
            sxy += lx * ly;
            sxx += lx * lx;
          }
        }
        double slope = sxy / sxx;
        for (double[] p : points) {
          assertEquals(slope * p[0], p[1], 1e-5, "pixel " + y + "," + x + ": not a pure tilt of the background");
        }
        deltas.add(-slope);
      }
    }
    double mean = deltas.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sd = Math.sqrt(deltas.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / deltas.size());
    assertEquals(0.0, mean, 5 * 0.1 / 32);
    assertEquals(0.1, sd, 0.1 * 5 / Math.sqrt(2.0 * 1024));
  }

  @Test
  void variabilityLeavesMapsAndOtherQuantitiesAlone() {
    Options o = Options.builtin("co-ru-pt").withSize(16).withBlock(4).withFilter(3);
    SyntheticCube plain = SyntheticGenerator.generate(o, 0);
    SyntheticCube varied = SyntheticGenerator.generate(o.with("shift_drift", "1.5").with("edge_scale", "0.2")
        .with("background_jitter", "0.05").with("thickness", "0.1").with("shift_jitter", "0.3"), 0);
    assertArrayEquals(plain.truthAbundances().values(), varied.truthAbundances().values());
    assertEquals(plain.truthEndmembers(), varied.truthEndmembers());
    // Each quantity has its own stream: adding edge scaling leaves the thickness draws as they were.
    Options thin = o.withDose(SyntheticGenerator.NOISE_FREE).with("thickness", "0.2");
    SyntheticCube a = SyntheticGenerator.generate(thin, 0);
    SyntheticCube b = SyntheticGenerator.generate(thin.with("edge_scale", "0.4"), 0);
    double[] pt = null;
    for (int y = 0; y < 16 && pt == null; y++) {
      for (int x = 0; x < 16; x++) {
        if (a.truthAbundances().get(y, x, 2) == 1.0) {
          assertArrayEquals(a.image().spectrum(y, x), b.image().spectrum(y, x), "a pure Pt pixel has no edge");
          pt = a.image().spectrum(y, x);
          break;
        }
      }
    }
    assertTrue(pt != null);
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }
}
