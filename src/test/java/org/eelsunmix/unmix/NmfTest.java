package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

/** NMF: monotone objective, exact fits of noise-free data, the NNDSVD start, rescaling, seeds and bad options. */
class NmfTest {

  /** A small synthetic cube: 16 × 16 pixels, blocks of 2, filter 3. */
  static SyntheticCube cube(String set, double dose) {
    return SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set).withSize(16).withBlock(2)
        .withFilter(3).withDose(dose), 0);
  }

  static double normSquared(SpectrumImage image) {
    double s = 0;
    for (float v : image.data()) {
      s += (double) v * v;
    }
    return s;
  }

  @Test
  void objectiveNeverIncreases() {
    SpectrumImage image = cube("co-ru-pt", SyntheticGenerator.DEFAULT_DOSE).image();
    double yy = normSquared(image);
    for (String solver : new String[] {"cd", "mu"}) {
      for (String init : new String[] {"nndsvda", "random"}) {
        Nmf.Result f = Nmf.fit(image, new Nmf.Options(3, 5).withSolver(solver).withInit(init).withTol(0)
            .withMaxIterations(60));
        double[] h = f.objectiveHistory();
        assertEquals(61, h.length);
        assertEquals(60, f.iterations());
        assertFalse(f.converged());
        for (int k = 1; k < h.length; k++) {
          // The history comes from the sums, good to ~1e-16 ‖Y‖²: allow that much rounding.
          assertTrue(h[k] <= h[k - 1] + 1e-13 * yy, solver + "/" + init + " iteration " + k + ": " + h[k - 1]
              + " -> " + h[k]);
        }
        assertTrue(h[60] < 0.9 * h[0], solver + "/" + init + " barely moved: " + h[0] + " -> " + h[60]);
        assertEquals(f.objective(), h[60], 1e-12 * yy, solver + "/" + init + ": history vs direct residual");
        assertEquals(2 * f.objective() / yy, f.relativeResidual(), 1e-12);
      }
    }
  }

  @Test
  void noiseFreeCubesAreFactorisedExactly() {
    // k-edges with scikit-learn's defaults: cd stops by its own rule after ~170 iterations at ~9e-9.
    Nmf.Result kEdges = Nmf.fit(cube("k-edges", SyntheticGenerator.NOISE_FREE).image(), new Nmf.Options(4, 0));
    assertTrue(kEdges.converged());
    assertTrue(kEdges.relativeResidual() < 2e-8, "k-edges cd: " + kEdges.relativeResidual());
    // co-ru-pt is slower: tol 0 and 1000 iterations reach ~7e-11.
    SpectrumImage coRuPt = cube("co-ru-pt", SyntheticGenerator.NOISE_FREE).image();
    Nmf.Result cd = Nmf.fit(coRuPt, new Nmf.Options(3, 0).withTol(0).withMaxIterations(1000));
    assertTrue(cd.relativeResidual() < 1e-9, "co-ru-pt cd: " + cd.relativeResidual());
    // Multiplicative updates converge far more slowly (sublinearly): ~1e-5 after 1000 iterations.
    Nmf.Result mu = Nmf.fit(coRuPt, new Nmf.Options(3, 0).withSolver("mu").withTol(0).withMaxIterations(1000));
    assertTrue(mu.relativeResidual() < 2e-5, "co-ru-pt mu: " + mu.relativeResidual());
  }

  /** NNDSVD written out from a full SVD (EJML), the way Boutsidis &amp; Gallopoulos and scikit-learn state it. */
  static double[][][] referenceNndsvd(double[][] y, int r, boolean fillWithMean) {
    int n = y.length;
    int b = y[0].length;
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, b, true, true, false);
    assertTrue(svd.decompose(new DMatrixRMaj(y)));
    DMatrixRMaj u = svd.getU(null, false);
    DMatrixRMaj v = svd.getV(null, false);
    DMatrixRMaj s = svd.getW(null);
    SingularOps_DDRM.descendingOrder(u, false, s, v, false);
    double[][] w0 = new double[n][r];
    double[][] h0 = new double[r][b];
    for (int j = 0; j < r; j++) {
      double sigma = s.get(j, j);
      double[] x = new double[n];
      double[] z = new double[b];
      for (int i = 0; i < n; i++) {
        x[i] = u.get(i, j);
      }
      for (int c = 0; c < b; c++) {
        z[c] = v.get(c, j);
      }
      if (j == 0) {
        for (int i = 0; i < n; i++) {
          w0[i][0] = Math.sqrt(sigma) * Math.abs(x[i]);
        }
        for (int c = 0; c < b; c++) {
          h0[0][c] = Math.sqrt(sigma) * Math.abs(z[c]);
        }
        continue;
      }
      double xp = norm(x, 1);
      double xn = norm(x, -1);
      double zp = norm(z, 1);
      double zn = norm(z, -1);
      int sign = xp * zp > xn * zn ? 1 : -1;
      double lambda = Math.sqrt(sigma * (sign > 0 ? xp * zp : xn * zn));
      for (int i = 0; i < n; i++) {
        w0[i][j] = lambda * Math.max(sign * x[i], 0) / (sign > 0 ? xp : xn);
      }
      for (int c = 0; c < b; c++) {
        h0[j][c] = lambda * Math.max(sign * z[c], 0) / (sign > 0 ? zp : zn);
      }
    }
    double mean = 0;
    for (double[] row : y) {
      for (double e : row) {
        mean += e / (n * b);
      }
    }
    for (double[][] m : new double[][][] {w0, h0}) {
      for (double[] row : m) {
        for (int k = 0; k < row.length; k++) {
          if (row[k] < NmfInitialisation.ZERO_THRESHOLD) {
            row[k] = fillWithMean ? mean : 0;
          }
        }
      }
    }
    return new double[][][] {w0, h0};
  }

  private static double norm(double[] x, int sign) {
    double s = 0;
    for (double v : x) {
      double p = Math.max(sign * v, 0);
      s += p * p;
    }
    return Math.sqrt(s);
  }

  @Test
  void nndsvdMatchesFullSvd() {
    SplittableRandom random = new SplittableRandom(42);
    int n = 12;
    int b = 9;
    double[][] y = new double[n][b];
    float[] data = new float[n * b];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < b; c++) {
        data[i * b + c] = (float) (random.nextDouble() * 100);
        y[i][c] = data[i * b + c];
      }
    }
    SpectrumImage image = new SpectrumImage("random-12x9", 3, 4, EnergyAxis.ofEv(0, 1, b), data);
    for (int r = 1; r <= 4; r++) {
      for (boolean a : new boolean[] {false, true}) {
        double[][][] expected = referenceNndsvd(y, r, a);
        double[][][] actual = NmfScikitLearnTest.start(image, a ? "nndsvda" : "nndsvd", r);
        NmfScikitLearnTest.assertMatrix(expected[0], actual[0], 1e-9, "R=" + r + " W0");
        NmfScikitLearnTest.assertMatrix(expected[1], actual[1], 1e-9, "R=" + r + " H0");
      }
    }
  }

  @Test
  void rankDeficientDataGivesFilledZeroComponents() {
    // Every pixel is a multiple of one spectrum: rank 1, so components 1 and 2 have σ = 0.
    int n = 10;
    int b = 6;
    float[] data = new float[n * b];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < b; c++) {
        data[i * b + c] = (i + 1) * (c + 2);
      }
    }
    SpectrumImage image = new SpectrumImage("rank-one", 2, 5, EnergyAxis.ofEv(0, 1, b), data);
    double[][][] start = NmfScikitLearnTest.start(image, "nndsvd", 3);
    for (int i = 0; i < n; i++) {
      assertTrue(start[0][i][0] > 0);
      assertEquals(0.0, start[0][i][1]);
      assertEquals(0.0, start[0][i][2]);
    }
    Nmf.Result f = Nmf.fit(image, new Nmf.Options(3, 0));
    assertTrue(f.relativeResidual() < 1e-10, "rank-one data: " + f.relativeResidual());
  }

  @Test
  void sumToOneRescalesWithoutChangingTheSpectrumShapes() {
    SpectrumImage image = cube("co-ru-pt", SyntheticGenerator.DEFAULT_DOSE).image();
    Nmf.Options o = new Nmf.Options(3, 1).withMaxIterations(50);
    Nmf.Result raw = Nmf.fit(image, o);
    Nmf.Result scaled = Nmf.fit(image, o.withSumToOne(true));
    assertEquals(raw.objective(), scaled.objective());
    int r = 3;
    int b = image.channels();
    double[][] hRaw = raw.unmixing().endmembers().matrix();
    double[][] h = scaled.unmixing().endmembers().matrix();
    for (double[] spectrum : h) {
      assertEquals(1.0, Arrays.stream(spectrum).sum(), 1e-12);
    }
    double[] wRaw = raw.unmixing().abundances().values();
    double[] a = scaled.unmixing().abundances().values();
    for (int i = 0; i < image.pixels(); i++) {
      double sum = 0;
      for (int t = 0; t < r; t++) {
        assertTrue(a[i * r + t] >= 0);
        sum += a[i * r + t];
      }
      assertEquals(1.0, sum, 1e-12, "pixel " + i);
      // The rescaled fit a_i H is the raw fit w_i H_raw divided by its total.
      double[] fitRaw = new double[b];
      double[] fit = new double[b];
      double total = 0;
      for (int c = 0; c < b; c++) {
        for (int t = 0; t < r; t++) {
          fitRaw[c] += wRaw[i * r + t] * hRaw[t][c];
          fit[c] += a[i * r + t] * h[t][c];
        }
        total += fitRaw[c];
      }
      for (int c = 0; c < b; c++) {
        assertEquals(fitRaw[c] / total, fit[c], 1e-12 * Math.abs(fitRaw[c] / total) + 1e-15, "pixel " + i);
      }
    }
  }

  @Test
  void zeroAbundancesBecomeUniformAndDeadEndmembersGetNone() {
    double[] w = {0, 0, 2, 1, 3, 7};
    double[] h = {1, 3, 0, 0, 5, 5, 0, 0, 0}; // endmember 2 is zero everywhere
    Nmf.rescaleToUnitSums(w, h, 2, 3, 3);
    assertArrayEquals(new double[] {0.25, 0.75, 0, 0, 0.5, 0.5, 0, 0, 0}, h, 1e-15);
    // Pixel 0: only the dead endmember had weight, so nothing is left: uniform. Pixel 1: 1·4 and 3·10 (and 7·0).
    assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 4.0 / 34, 30.0 / 34, 0}, w, 1e-15);
  }

  @Test
  void sameSeedSameResult() {
    SpectrumImage image = cube("k-edges", SyntheticGenerator.DEFAULT_DOSE).image();
    for (String init : new String[] {"random", "nndsvdar"}) {
      Nmf.Options o = new Nmf.Options(4, 11).withInit(init).withMaxIterations(20);
      Nmf.Result a = Nmf.fit(image, o);
      Nmf.Result b = Nmf.fit(image, o);
      assertEquals(a.unmixing().endmembers(), b.unmixing().endmembers(), init);
      assertArrayEquals(a.unmixing().abundances().values(), b.unmixing().abundances().values(), init);
      assertArrayEquals(a.objectiveHistory(), b.objectiveHistory(), init);
      Nmf.Result other = Nmf.fit(image, new Nmf.Options(4, 12).withInit(init).withMaxIterations(20));
      assertFalse(Arrays.equals(a.unmixing().abundances().values(), other.unmixing().abundances().values()), init);
    }
  }

  @Test
  void randomStartIsScaledLikeScikitLearn() {
    // √(mean/R)·|g|: the mean of |g| is √(2/π), so the entries average √(mean/R)·√(2/π).
    int r = 2;
    int b = 4000;
    double mean = 50;
    NmfInitialisation s = NmfInitialisation.random(mean, r, b, 3);
    double sum = 0;
    double sumSquares = 0;
    for (double v : s.endmembers()) {
      assertTrue(v >= 0);
      sum += v;
      sumSquares += v * v;
    }
    double scale = Math.sqrt(mean / r);
    assertEquals(scale * Math.sqrt(2 / Math.PI), sum / (r * b), 0.02 * scale);
    assertEquals(scale * scale, sumSquares / (r * b), 0.05 * scale * scale); // E g² = 1
  }

  @Test
  void autoPicksNndsvdaOrRandomAsScikitLearnDoes() {
    Nmf.Options o = new Nmf.Options(3, 0);
    assertEquals("nndsvda", o.resolvedInit(100, 50));
    assertEquals("random", o.resolvedInit(2, 50));
    assertEquals("nndsvd", o.withInit("NNDSVD").resolvedInit(2, 50));
    SpectrumImage two = new SpectrumImage("two-pixels", 1, 2, EnergyAxis.ofEv(0, 1, 5),
        new float[] {1, 2, 3, 4, 5, 5, 4, 3, 2, 1});
    assertEquals("random", Nmf.fit(two, o).init());
    BadInputException e = assertThrows(BadInputException.class, () -> Nmf.fit(two, o.withInit("nndsvd")));
    assertTrue(e.getMessage().startsWith("init:"), e.getMessage());
  }

  @Test
  void badOptionsAreNamed() {
    assertNamed("components", () -> new Nmf.Options(0, 0));
    assertNamed("init", () -> new Nmf.Options(3, 0).withInit("svd"));
    assertNamed("init", () -> new Nmf.Options(3, 0).withInit(null));
    assertNamed("solver", () -> new Nmf.Options(3, 0).withSolver("als"));
    assertNamed("tol", () -> new Nmf.Options(3, 0).withTol(-1e-4));
    assertNamed("tol", () -> new Nmf.Options(3, 0).withTol(Double.NaN));
    assertNamed("maxIterations", () -> new Nmf.Options(3, 0).withMaxIterations(0));
    SpectrumImage small = new SpectrumImage("tiny", 1, 2, EnergyAxis.ofEv(0, 1, 2), new float[] {1, 2, 3, 4});
    assertNamed("components", () -> Nmf.fit(small, new Nmf.Options(3, 0)));
    SpectrumImage negative = new SpectrumImage("dark-subtracted.dm4", 1, 2, EnergyAxis.ofEv(100, 1, 2),
        new float[] {1, 2, 3, -4});
    BadInputException e = assertNamed("dark-subtracted.dm4", () -> Nmf.fit(negative, new Nmf.Options(1, 0)));
    assertTrue(e.getMessage().contains("negative") && e.getMessage().contains("x=1"), e.getMessage());
  }

  private static BadInputException assertNamed(String source, org.junit.jupiter.api.function.Executable call) {
    BadInputException e = assertThrows(BadInputException.class, call);
    assertEquals(source, e.source());
    assertTrue(e.getMessage().startsWith(source + ": "), e.getMessage());
    return e;
  }
}
