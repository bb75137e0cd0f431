package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * FCLS against the KKT conditions and against an independent brute force over every support set (each solved as
 * an equality-constrained least-squares problem with EJML's SVD pseudo-inverse).
 */
class FclsTest {

  // ---------------------------------------------------------------- independent reference

  /** ‖y − Mᵀa‖² summed channel by channel. */
  static double objective(double[][] m, double[] y, double[] a) {
    double sum = 0;
    for (int c = 0; c < y.length; c++) {
      double fit = 0;
      for (int r = 0; r < m.length; r++) {
        fit += a[r] * m[r][c];
      }
      sum += (y[c] - fit) * (y[c] - fit);
    }
    return sum;
  }

  /**
   * Global FCLS optimum by enumeration: for every non-empty support F, the least-squares point of the affine hull
   * of {M_i : i ∈ F} (a_first = 1 − Σ t, t = pinv([M_j − M_first]) (y − M_first)), kept when a ≥ 0.
   */
  static double[] bruteForce(double[][] m, double[] y) {
    int r = m.length;
    int b = y.length;
    double best = Double.POSITIVE_INFINITY;
    double[] bestA = null;
    for (int mask = 1; mask < (1 << r); mask++) {
      int[] support = new int[Integer.bitCount(mask)];
      int k = 0;
      for (int i = 0; i < r; i++) {
        if ((mask & (1 << i)) != 0) {
          support[k++] = i;
        }
      }
      double[] a = new double[r];
      int first = support[0];
      if (k == 1) {
        a[first] = 1;
      } else {
        DMatrixRMaj directions = new DMatrixRMaj(b, k - 1);
        DMatrixRMaj rhs = new DMatrixRMaj(b, 1);
        for (int c = 0; c < b; c++) {
          rhs.set(c, 0, y[c] - m[first][c]);
          for (int j = 1; j < k; j++) {
            directions.set(c, j - 1, m[support[j]][c] - m[first][c]);
          }
        }
        DMatrixRMaj pinv = new DMatrixRMaj(k - 1, b);
        CommonOps_DDRM.pinv(directions, pinv);
        DMatrixRMaj t = new DMatrixRMaj(k - 1, 1);
        CommonOps_DDRM.mult(pinv, rhs, t);
        double sum = 0;
        for (int j = 1; j < k; j++) {
          a[support[j]] = t.get(j - 1, 0);
          sum += t.get(j - 1, 0);
        }
        a[first] = 1 - sum;
      }
      boolean feasible = true;
      for (double v : a) {
        feasible &= v >= -1e-12;
      }
      if (feasible) {
        double f = objective(m, y, a);
        if (f < best) {
          best = f;
          bestA = a;
        }
      }
    }
    return bestA;
  }

  // ---------------------------------------------------------------- random problems

  static double[][] randomEndmembers(Random random, int r, int b) {
    double[][] m = new double[r][b];
    for (double[] row : m) {
      for (int c = 0; c < b; c++) {
        row[c] = random.nextDouble();
      }
    }
    return m;
  }

  /** A mixture whose abundances may be negative (outside the simplex) plus noise; now and then far away. */
  static double[] randomPixel(Random random, double[][] m, int trial) {
    int r = m.length;
    int b = m[0].length;
    double[] a = new double[r];
    double sum;
    do {
      sum = 0;
      for (int i = 0; i < r; i++) {
        a[i] = random.nextDouble() * 2 - 0.5;
        sum += a[i];
      }
    } while (Math.abs(sum) < 0.2);
    double[] y = new double[b];
    for (int c = 0; c < b; c++) {
      for (int i = 0; i < r; i++) {
        y[c] += a[i] / sum * m[i][c];
      }
      y[c] += 0.1 * random.nextGaussian();
    }
    if (trial % 7 == 0) {
      for (int c = 0; c < b; c++) {
        y[c] = 50 * y[c] - 20;
      }
    }
    return y;
  }

  static double[][] gram(double[][] m) {
    int r = m.length;
    double[][] g = new double[r][r];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < r; j++) {
        for (int c = 0; c < m[0].length; c++) {
          g[i][j] += m[i][c] * m[j][c];
        }
      }
    }
    return g;
  }

  static double[] times(double[][] m, double[] y) {
    double[] b = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      for (int c = 0; c < y.length; c++) {
        b[i] += m[i][c] * y[c];
      }
    }
    return b;
  }

  static float[] toFloat(double[] y) {
    float[] f = new float[y.length];
    for (int c = 0; c < y.length; c++) {
      f[c] = (float) y[c];
    }
    return f;
  }

  static double[] toDouble(float[] y) {
    double[] d = new double[y.length];
    for (int c = 0; c < y.length; c++) {
      d[c] = y[c];
    }
    return d;
  }

  // ---------------------------------------------------------------- (a) KKT

  @Test
  void karushKuhnTuckerConditionsHold() {
    Random random = new Random(1);
    int activeSetPixels = 0;
    for (int trial = 0; trial < 400; trial++) {
      int r = 2 + random.nextInt(6);
      int b = r + random.nextInt(40);
      double[][] m = randomEndmembers(random, r, b);
      double[] y = randomPixel(random, m, trial);
      Fcls fcls = new Fcls(m);
      double[] a = new double[r];
      int iterations = fcls.newSolver().solve(y, a);
      assertTrue(iterations >= 1 && iterations <= fcls.maxIterations());
      if (iterations > 1) {
        activeSetPixels++;
      }

      double sum = 0;
      for (double v : a) {
        assertTrue(v >= 0.0, "abundance must be non-negative, got " + v);
        sum += v;
      }
      assertEquals(1.0, sum, 1e-13, "sum to one");

      double[][] g = gram(m);
      double[] bv = times(m, y);
      double scale = 0;
      for (int i = 0; i < r; i++) {
        scale = Math.max(scale, g[i][i] + Math.abs(bv[i]));
      }
      double tol = 1e-9 * scale;
      double[] gradient = new double[r];
      double nu = 0;
      int support = 0;
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < r; j++) {
          gradient[i] += g[i][j] * a[j];
        }
        gradient[i] -= bv[i];
        if (a[i] > 0) {
          nu += gradient[i];
          support++;
        }
      }
      nu /= support;
      for (int i = 0; i < r; i++) {
        double lambda = gradient[i] - nu;
        if (a[i] > 0) {
          assertEquals(0.0, lambda, tol, "stationarity on the support, trial " + trial);
        } else {
          assertTrue(lambda >= -tol, "dual feasibility, trial " + trial + ": λ=" + lambda);
        }
        assertEquals(0.0, a[i] * lambda, tol, "complementary slackness");
      }
    }
    assertTrue(activeSetPixels > 100, "the test must exercise the active set, did " + activeSetPixels);
  }

  // ---------------------------------------------------------------- (b) brute force

  @Test
  void matchesBruteForceOverAllSupports() {
    Random random = new Random(2);
    for (int trial = 0; trial < 300; trial++) {
      int r = 1 + random.nextInt(6);
      int b = r + random.nextInt(30);
      double[][] m = randomEndmembers(random, r, b);
      double[] y = randomPixel(random, m, trial);
      double[] a = new double[r];
      new Fcls(m).newSolver().solve(y, a);
      double[] reference = bruteForce(m, y);
      double fRef = objective(m, y, reference);
      double norm = 0;
      for (double v : y) {
        norm += v * v;
      }
      assertEquals(fRef, objective(m, y, a), 1e-10 * (1 + norm), "objective, trial " + trial);
      // Random endmembers in general position: the optimum is unique.
      assertArrayEquals(reference, a, 1e-8, "abundances, trial " + trial);
    }
  }

  @Test
  void eelsLikeNearlyCollinearEndmembersMatchBruteForce() {
    // A strong shared power-law background with small edges on top: G is badly conditioned, as in real EELS.
    Random random = new Random(3);
    int b = 200;
    for (int trial = 0; trial < 40; trial++) {
      int r = 3 + random.nextInt(3);
      double[][] m = new double[r][b];
      for (int i = 0; i < r; i++) {
        int edge = 20 + random.nextInt(150);
        double height = 0.02 + 0.05 * random.nextDouble();
        for (int c = 0; c < b; c++) {
          double e = 1 + c / 50.0;
          m[i][c] = 1e4 * Math.pow(e, -3) * (1 + 0.05 * i) + (c >= edge ? 1e4 * height * Math.pow(e, -2) : 0);
        }
      }
      double[] y = randomPixel(random, m, trial);
      for (int c = 0; c < b; c++) {
        y[c] += 30 * random.nextGaussian();
      }
      double[] a = new double[r];
      new Fcls(m).newSolver().solve(y, a);
      double fRef = objective(m, y, bruteForce(m, y));
      assertEquals(fRef, objective(m, y, a), 1e-9 * fRef + 1e-6, "objective, trial " + trial);
    }
  }

  @Test
  void floatAndDoubleInputsAgree() {
    Random random = new Random(4);
    double[][] m = randomEndmembers(random, 4, 37);
    Fcls.Solver solver = new Fcls(m).newSolver();
    float[] buffer = new float[5 + 3 * 37];
    for (int i = 0; i < buffer.length; i++) {
      buffer[i] = (float) (random.nextDouble() * 2 - 0.3);
    }
    for (int p = 0; p < 3; p++) {
      int offset = 5 + p * 37;
      double[] fromFloat = new double[4];
      solver.solve(buffer, offset, fromFloat);
      float[] pixel = java.util.Arrays.copyOfRange(buffer, offset, offset + 37);
      double[] fromDouble = new double[4];
      solver.solve(toDouble(pixel), fromDouble);
      assertArrayEquals(fromDouble, fromFloat, 1e-12);
      assertEquals(objective(m, toDouble(pixel), fromFloat), solver.residualSquared(buffer, offset, fromFloat),
          1e-12);
    }
  }

  // ---------------------------------------------------------------- (c) degenerate cases

  @Test
  void duplicatedEndmembersShareTheirAbundance() {
    Random random = new Random(5);
    double[][] base = randomEndmembers(random, 2, 20);
    double[][] m = {base[0], base[1], base[0].clone()};
    double[] y = new double[20];
    for (int c = 0; c < 20; c++) {
      y[c] = 0.3 * base[0][c] + 0.7 * base[1][c];
    }
    double[] a = new double[3];
    int iterations = new Fcls(m).newSolver().solve(y, a);
    assertTrue(iterations <= 10 * 3 + 50);
    assertEquals(0.3, a[0] + a[2], 1e-9);
    assertEquals(0.7, a[1], 1e-9);
    assertEquals(0.0, objective(m, y, a), 1e-15);
    // Outside the simplex as well.
    for (int c = 0; c < 20; c++) {
      y[c] = -2 * base[0][c] + 3 * base[1][c] + random.nextGaussian();
    }
    new Fcls(m).newSolver().solve(y, a);
    assertEquals(objective(m, y, bruteForce(m, y)), objective(m, y, a), 1e-9);
  }

  @Test
  void collinearEndmembersAreSolvedExactly() {
    Random random = new Random(6);
    double[][] base = randomEndmembers(random, 2, 25);
    double[][] m = new double[3][25];
    for (int c = 0; c < 25; c++) {
      m[0][c] = base[0][c];
      m[1][c] = 2.5 * base[0][c]; // one endmember a multiple of another: M Mᵀ is singular
      m[2][c] = base[1][c];
    }
    double[] truth = {0.2, 0.5, 0.3};
    double[] y = new double[25];
    for (int c = 0; c < 25; c++) {
      for (int i = 0; i < 3; i++) {
        y[c] += truth[i] * m[i][c];
      }
    }
    double[] a = new double[3];
    new Fcls(m).newSolver().solve(y, a);
    // Linearly but not affinely dependent: the constrained optimum is unique and recovered.
    assertArrayEquals(truth, a, 1e-9);
    for (int trial = 0; trial < 20; trial++) {
      double[] z = randomPixel(random, m, trial);
      new Fcls(m).newSolver().solve(z, a);
      assertEquals(objective(m, z, bruteForce(m, z)), objective(m, z, a), 1e-9 * (1 + objective(m, z, a)));
    }
  }

  @Test
  void identicalEndmembersStillGiveAFeasibleOptimum() {
    double[] m0 = {1, 2, 3, 4};
    double[][] m = {m0, m0.clone(), m0.clone()};
    double[] y = {0, 5, 1, 2};
    double[] a = new double[3];
    new Fcls(m).newSolver().solve(y, a);
    assertEquals(1.0, a[0] + a[1] + a[2], 1e-15);
    assertTrue(a[0] >= 0 && a[1] >= 0 && a[2] >= 0);
    assertEquals(objective(new double[][] {m0}, y, new double[] {1}), objective(m, y, a), 1e-12);
  }

  @Test
  void degenerateRandomProblemsMatchBruteForceObjective() {
    Random random = new Random(13);
    for (int trial = 0; trial < 400; trial++) {
      int r = 3 + random.nextInt(4);
      int b = r + random.nextInt(20);
      double[][] m = randomEndmembers(random, r, b);
      switch (trial % 4) {
        case 0 -> m[2] = m[0].clone(); // duplicate
        case 1 -> {
          for (int c = 0; c < b; c++) {
            m[2][c] = 3 * m[1][c]; // collinear
          }
        }
        case 2 -> {
          for (int c = 0; c < b; c++) {
            m[2][c] = 0.5 * m[0][c] + 0.5 * m[1][c]; // inside the hull of two others
          }
        }
        default -> {
          for (double[] row : m) {
            for (int c = 0; c < b; c++) {
              row[c] += 1000; // nearly collinear: a large shared background
            }
          }
        }
      }
      double[] y = randomPixel(random, m, trial);
      Fcls fcls = new Fcls(m);
      double[] a = new double[r];
      int iterations = fcls.newSolver().solve(y, a);
      assertTrue(iterations < fcls.maxIterations(), "trial " + trial + " hit the iteration cap");
      double sum = 0;
      for (double v : a) {
        assertTrue(v >= 0);
        sum += v;
      }
      assertEquals(1.0, sum, 1e-14);
      double fRef = objective(m, y, bruteForce(m, y));
      assertEquals(fRef, objective(m, y, a), 1e-11 * (1 + fRef), "trial " + trial);
    }
  }

  @Test
  void singleEndmemberAlwaysGetsEverything() {
    double[][] m = {{1, 2, 3}};
    Fcls fcls = new Fcls(m);
    double[] a = new double[1];
    assertEquals(1, fcls.newSolver().solve(new double[] {7, -1, 0.5}, a));
    assertArrayEquals(new double[] {1.0}, a, 0.0);
    float[] y = {7, -1, 0.5f};
    assertEquals(36 + 9 + 6.25, fcls.newSolver().residualSquared(y, 0, a), 1e-12);
  }

  @Test
  void pixelFarOutsideTheSimplexGetsTheConstrainedOptimum() {
    Random random = new Random(7);
    double[][] m = randomEndmembers(random, 4, 30);
    double[] y = new double[30];
    for (int c = 0; c < 30; c++) {
      y[c] = 1e6 * (m[0][c] - m[1][c]) + 1e5 * random.nextGaussian();
    }
    double[] a = new double[4];
    new Fcls(m).newSolver().solve(y, a);
    double[] reference = bruteForce(m, y);
    assertEquals(objective(m, y, reference), objective(m, y, a), 1e-12 * objective(m, y, reference));
    assertArrayEquals(reference, a, 1e-9);
  }

  @Test
  void pixelEqualToAnEndmemberIsPure() {
    Random random = new Random(8);
    double[][] m = randomEndmembers(random, 5, 40);
    Fcls.Solver solver = new Fcls(m).newSolver();
    for (int r = 0; r < 5; r++) {
      double[] a = new double[5];
      solver.solve(m[r], a);
      double[] expected = new double[5];
      expected[r] = 1;
      assertArrayEquals(expected, a, 1e-10);
    }
  }

  @Test
  void zeroSpectrumGetsTheSimplexPointNearestTheOrigin() {
    Random random = new Random(9);
    double[][] m = randomEndmembers(random, 4, 15);
    double[] y = new double[15];
    double[] a = new double[4];
    new Fcls(m).newSolver().solve(y, a);
    double[] reference = bruteForce(m, y);
    assertArrayEquals(reference, a, 1e-9);
  }

  @Test
  void nonFiniteSpectrumGivesNaNNotALoop() {
    double[][] m = {{1, 0, 0}, {0, 1, 0}};
    double[] a = new double[2];
    assertEquals(0, new Fcls(m).newSolver().solve(new double[] {Double.NaN, 0, 0}, a));
    assertTrue(Double.isNaN(a[0]) && Double.isNaN(a[1]));
  }

  // ---------------------------------------------------------------- (d) noise-free recovery

  @Test
  void noiseFreeMixturesAreRecovered() {
    Random random = new Random(10);
    for (int trial = 0; trial < 200; trial++) {
      int r = 2 + random.nextInt(5);
      double[][] m = randomEndmembers(random, r, 100);
      double[] truth = new double[r];
      double sum = 0;
      for (int i = 0; i < r; i++) {
        // About a third of the abundances are exactly zero: pixels on faces and edges of the simplex.
        truth[i] = random.nextInt(3) == 0 ? 0 : -Math.log(1 - random.nextDouble());
        sum += truth[i];
      }
      if (sum == 0) {
        truth[0] = sum = 1;
      }
      double[] y = new double[100];
      for (int i = 0; i < r; i++) {
        truth[i] /= sum;
        for (int c = 0; c < 100; c++) {
          y[c] += truth[i] * m[i][c];
        }
      }
      double[] a = new double[r];
      new Fcls(m).newSolver().solve(y, a);
      assertArrayEquals(truth, a, 1e-10, "trial " + trial);
    }
  }

  @Test
  void unmixesAWholeImagePixelByPixel() {
    Random random = new Random(11);
    int b = 12;
    double[][] m = randomEndmembers(random, 3, b);
    float[] data = new float[4 * 5 * b];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextDouble();
    }
    SpectrumImage image = new SpectrumImage("si-test", 4, 5, EnergyAxis.ofEv(100, 0.5, b), data);
    Fcls fcls = new Fcls(m);
    Abundances maps = fcls.unmix(image);
    assertEquals(4, maps.height());
    assertEquals(5, maps.width());
    assertEquals(3, maps.count());
    Fcls.Solver solver = fcls.newSolver();
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        double[] a = new double[3];
        solver.solve(image.spectrum(y, x), a);
        for (int r = 0; r < 3; r++) {
          assertEquals(a[r], maps.get(y, x, r), 1e-12);
        }
      }
    }
    SpectrumImage wrong = new SpectrumImage("si-wrong", 1, 1, EnergyAxis.ofEv(100, 0.5, 5), new float[5]);
    BadInputException e = assertThrows(BadInputException.class, () -> fcls.unmix(wrong));
    assertTrue(e.getMessage().contains("si-wrong") && e.getMessage().contains("channels"), e.getMessage());
  }

  // ---------------------------------------------------------------- (e) bad input

  @Test
  void badEndmembersAreRefusedByName() {
    assertBad(new double[][] {{1, 2}, {3, 4}, {5, 6}}, "channels");
    assertBad(new double[][] {{1, Double.NaN, 3}, {1, 2, 3}}, "non-finite");
    assertBad(new double[][] {{1, 2, 3}, {1, 2}}, "channels");
    assertBad(new double[0][], "no endmember");
    assertBad(new double[][] {{0, 0, 0}, {0, 0, 0}}, "zero");
  }

  private static void assertBad(double[][] m, String words) {
    BadInputException e = assertThrows(BadInputException.class, () -> new Fcls(m));
    assertEquals("endmembers", e.source());
    assertTrue(e.getMessage().startsWith("endmembers: ") && e.getMessage().contains(words), e.getMessage());
  }

  @Test
  void solverIsSerializableSetUp() throws Exception {
    Random random = new Random(12);
    double[][] m = randomEndmembers(random, 3, 10);
    Fcls fcls = new Fcls(m);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(fcls);
    }
    Fcls copy;
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (Fcls) in.readObject();
    }
    double[] y = randomPixel(random, m, 1);
    double[] a1 = new double[3];
    double[] a2 = new double[3];
    fcls.newSolver().solve(y, a1);
    copy.newSolver().solve(y, a2);
    assertArrayEquals(a1, a2, 0.0);
  }
}
