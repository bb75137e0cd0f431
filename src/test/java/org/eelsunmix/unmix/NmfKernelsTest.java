package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * The distributed pieces of NMF on their own: the per-pixel abundance step, the endmember step from the sums,
 * and a fit assembled from partitions that merge their statistics, against the in-memory {@link Nmf#fit}.
 */
class NmfKernelsTest {

  @Test
  void oneComponentCoordinateStepIsTheClippedLeastSquaresFit() {
    double[] h = {1, 2, 0.5, 4};
    float[] y = {3, 1, 2, 9};
    double hh = 1 + 4 + 0.25 + 16;
    double yh = 3 + 2 + 1 + 36;
    double[] w = {0.7};
    double[] work = new double[2];
    NmfAbundanceUpdate cd = new NmfAbundanceUpdate(NmfSolver.CD, h, 1);
    double violation = cd.update(y, 0, w, 0, work);
    assertEquals(yh / hh, w[0], 1e-15);
    assertEquals(Math.abs(0.7 * hh - yh), violation, 1e-12); // |gradient| at the old value
    float[] opposite = {-3, -1, -2, -9};
    cd.update(opposite, 0, w, 0, work);
    assertEquals(0.0, w[0]); // the unconstrained fit is negative: clipped
    double[] m = {0.7};
    new NmfAbundanceUpdate(NmfSolver.MU, h, 1).update(y, 0, m, 0, work);
    assertEquals(0.7 * yh / (0.7 * hh), m[0], 1e-15); // Lee–Seung: w·(y·h)/(w h·h)
  }

  /**
   * The endmember step is the abundance step of the transposed problem Yᵀ ≈ Hᵀ Wᵀ: channel c's column of Y
   * plays the pixel, Wᵀ the endmembers, column c of H the abundances.
   */
  @Test
  void endmemberStepIsTheAbundanceStepOfTheTransposedProblem() {
    SplittableRandom random = new SplittableRandom(9);
    int n = 7;
    int b = 5;
    int r = 3;
    float[] y = new float[n * b];
    double[] w = new double[n * r];
    double[] h = new double[r * b];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) random.nextDouble(10);
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = i % 5 == 0 ? 0 : random.nextDouble(); // some zeros exercise the projected gradient
    }
    for (int i = 0; i < h.length; i++) {
      h[i] = i % 4 == 0 ? 0 : random.nextDouble(5);
    }
    NmfStatistics stats = new NmfStatistics(r, b);
    for (int i = 0; i < n; i++) {
      stats.add(y, i * b, w, i * r);
    }
    double[] wt = new double[r * n];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < r; t++) {
        wt[t * n + i] = w[i * r + t];
      }
    }
    for (NmfSolver solver : NmfSolver.values()) {
      double[] updated = h.clone();
      double violation = NmfEndmemberUpdate.update(solver, updated, stats);
      NmfAbundanceUpdate transposed = new NmfAbundanceUpdate(solver, wt, r);
      double[] work = new double[transposed.workLength()];
      float[] column = new float[n];
      double[] hc = new double[r];
      double expectedViolation = 0;
      for (int c = 0; c < b; c++) {
        for (int i = 0; i < n; i++) {
          column[i] = y[i * b + c];
        }
        for (int t = 0; t < r; t++) {
          hc[t] = h[t * b + c];
        }
        expectedViolation += transposed.update(column, 0, hc, 0, work);
        for (int t = 0; t < r; t++) {
          assertEquals(hc[t], updated[t * b + c], 1e-12 * (1 + Math.abs(hc[t])), solver + " H[" + t + "][" + c + "]");
        }
      }
      assertEquals(expectedViolation, violation, 1e-10 * (1 + expectedViolation), solver + " violation");
    }
  }

  @Test
  void objectiveFromTheSumsEqualsTheResidual() {
    SpectrumImage image = NmfTest.cube("co-ru-pt", SyntheticGenerator.DEFAULT_DOSE).image();
    int r = 3;
    int b = image.channels();
    int n = image.pixels();
    SplittableRandom random = new SplittableRandom(4);
    double[] w = new double[n * r];
    double[] h = new double[r * b];
    for (int i = 0; i < w.length; i++) {
      w[i] = random.nextDouble(200);
    }
    for (int i = 0; i < h.length; i++) {
      h[i] = random.nextDouble(2);
    }
    NmfStatistics stats = new NmfStatistics(r, b);
    for (int i = 0; i < n; i++) {
      stats.add(image.data(), i * b, w, i * r);
    }
    double direct = 0.5 * Nmf.residualSquared(image.data(), n, b, w, h, r);
    assertEquals(direct, stats.objective(h), 1e-12 * stats.dataNormSquared());
    assertEquals(NmfTest.normSquared(image), stats.dataNormSquared(), 1e-12 * stats.dataNormSquared());
    assertEquals(n, stats.count());
  }

  /** A fit run the way Spark will run it, three partitions merging their sums, equals the in-memory fit. */
  @Test
  void partitionedFitEqualsInMemoryFit() {
    SpectrumImage image = NmfTest.cube("k-edges", SyntheticGenerator.DEFAULT_DOSE).image();
    int r = 4;
    int b = image.channels();
    int n = image.pixels();
    float[] y = image.data();
    int[] bounds = {0, 37, 150, n};
    for (NmfSolver solver : NmfSolver.values()) {
      Nmf.Options o = new Nmf.Options(r, 0).withSolver(solver.cliName()).withTol(0).withMaxIterations(15);
      Nmf.Result reference = Nmf.fit(image, o);

      SpectralMoments moments = null;
      for (int p = 0; p < 3; p++) {
        SpectralMoments part = new SpectralMoments(b);
        for (int i = bounds[p]; i < bounds[p + 1]; i++) {
          part.add(y, i * b);
        }
        moments = moments == null ? part : moments.merge(part);
      }
      NmfInitialisation start = NmfInitialisation.nndsvd("nndsvda", moments, r, 0);
      double[] parts = new double[start.partNormsLength()];
      for (int p = 2; p >= 0; p--) { // any order of partitions
        double[] partial = new double[parts.length];
        for (int i = bounds[p]; i < bounds[p + 1]; i++) {
          start.addPartNorms(y, i * b, partial);
        }
        for (int k = 0; k < parts.length; k++) {
          parts[k] += partial[k];
        }
      }
      start = start.withPartNorms(parts);
      double[] h = start.endmembers();
      double[] w = new double[n * r];
      for (int i = 0; i < n; i++) {
        start.abundances(y, i * b, i, w, i * r);
      }
      for (int it = 0; it < 15; it++) {
        NmfAbundanceUpdate step = new NmfAbundanceUpdate(solver, h, r);
        NmfStatistics total = null;
        for (int p = 0; p < 3; p++) {
          double[] work = new double[step.workLength()];
          NmfStatistics part = new NmfStatistics(r, b);
          double violation = 0;
          for (int i = bounds[p]; i < bounds[p + 1]; i++) {
            violation += step.update(y, i * b, w, i * r, work);
            part.add(y, i * b, w, i * r);
          }
          part.addViolation(violation);
          total = total == null ? part : total.merge(part);
        }
        NmfEndmemberUpdate.update(solver, h, total);
      }
      double[] expectedH = new double[r * b];
      double[][] m = reference.unmixing().endmembers().matrix();
      for (int t = 0; t < r; t++) {
        System.arraycopy(m[t], 0, expectedH, t * b, b);
      }
      double scaleH = 0;
      for (double v : expectedH) {
        scaleH = Math.max(scaleH, v);
      }
      double scaleW = 0;
      for (double v : reference.unmixing().abundances().values()) {
        scaleW = Math.max(scaleW, v);
      }
      // Summation order differs, so rounding does: equal to ~1e-10 of the largest entry.
      assertArrayEquals(expectedH, h, 1e-9 * scaleH, solver + " H");
      assertArrayEquals(reference.unmixing().abundances().values(), w, 1e-9 * scaleW, solver + " W");
    }
  }

  /**
   * The projection {@code g = y Hᵀ} that every step starts from, computed several endmembers per sweep, equals
   * one plain dot product per endmember in channel order bit for bit, for every R (the groups of 4, 3, 2 and 1)
   * and at an offset into the pixel array.
   */
  @Test
  void projectionEqualsPlainDotProductsBitForBit() {
    SplittableRandom rnd = new SplittableRandom(7);
    int b = 37;
    for (int r = 1; r <= 9; r++) {
      double[] h = new double[r * b];
      for (int i = 0; i < h.length; i++) {
        h[i] = rnd.nextDouble() * 100;
      }
      float[] y = new float[3 * b];
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) (rnd.nextDouble() * 1e4);
      }
      double[] work = new double[2 * r];
      new NmfAbundanceUpdate(NmfSolver.CD, h, r).project(y, 2 * b, work);
      for (int t = 0; t < r; t++) {
        double dot = 0;
        for (int c = 0; c < b; c++) {
          dot += h[t * b + c] * y[2 * b + c];
        }
        assertEquals(Double.doubleToLongBits(dot), Double.doubleToLongBits(work[t]), "R = " + r + ", t = " + t);
      }
    }
  }

  /**
   * A block's passes, which keep each spectrum's ‖y‖², give the statistics of adding every pixel on its own
   * ({@link NmfStatistics#add(float[], int, double[], int)}, which sums ‖y‖² itself), bit for bit, pass after pass.
   */
  @Test
  void blockPassesKeepingNormsEqualPixelByPixelStatisticsBitForBit() {
    SplittableRandom rnd = new SplittableRandom(11);
    int n = 50;
    int b = 23;
    int r = 3;
    float[] y = new float[n * b];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) Math.floor(rnd.nextDouble() * 500);
    }
    double[] h = new double[r * b];
    for (int i = 0; i < h.length; i++) {
      h[i] = rnd.nextDouble();
    }
    NmfAbundanceUpdate step = new NmfAbundanceUpdate(NmfSolver.CD, h, r);
    NmfPixelBlock block = new NmfPixelBlock(y.clone(), new long[n], b);
    double[] wBlock = new double[n * r];
    double[] wPixel = new double[n * r];
    for (int pass = 0; pass < 3; pass++) {
      NmfStatistics fromBlock = block.update(step, wBlock, new NmfStatistics(r, b));
      NmfStatistics byPixel = new NmfStatistics(r, b);
      double[] work = new double[step.workLength()];
      double violation = 0;
      for (int i = 0; i < n; i++) {
        violation += step.update(y, i * b, wPixel, i * r, work);
        byPixel.add(y, i * b, wPixel, i * r);
      }
      byPixel.addViolation(violation);
      assertArrayEquals(wPixel, wBlock, 0.0);
      assertEquals(byPixel.dataNormSquared(), fromBlock.dataNormSquared(), 0.0);
      assertEquals(byPixel.violation(), fromBlock.violation(), 0.0);
      assertArrayEquals(byPixel.abundanceGram(), fromBlock.abundanceGram(), 0.0);
      assertArrayEquals(byPixel.abundanceCross(), fromBlock.abundanceCross(), 0.0);
    }
  }
  /**
   * The transform's block solve, which interleaves several pixels' coordinate-descent steps and hands a converged
   * pixel's lane to the next, gives each pixel the bits of {@link NmfAbundances#solve} alone: correlated endmembers
   * (pixels stop after different numbers of steps, some at the cap), an all-zero pixel (first violation 0), blocks
   * smaller and larger than the lanes, both solvers, with and without sum-to-one, tol 0 (always the cap).
   */
  @Test
  void blockSolveEqualsPixelByPixelSolveBitForBit() {
    SplittableRandom rnd = new SplittableRandom(11);
    int b = 23;
    int r = 3;
    double[] h = new double[r * b];
    for (int c = 0; c < b; c++) {
      double base = 50 + 40 * Math.sin(c / 3.0);
      for (int t = 0; t < r; t++) {
        h[t * b + c] = base * (1 + 0.05 * t * rnd.nextDouble()); // nearly collinear rows: slow convergence
      }
    }
    for (NmfSolver solver : NmfSolver.values()) {
      for (boolean sumToOne : new boolean[] {false, true}) {
        for (double tol : new double[] {1e-4, 0.0}) {
          NmfAbundances kernel = new NmfAbundances(solver, h, r, tol, 40, sumToOne);
          for (int count : new int[] {1, 3, 4, 5, 13, 64}) {
            float[] y = new float[count * b];
            for (int p = 0; p < count; p++) {
              if (p == 2) {
                continue; // an all-zero pixel
              }
              double[] a = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()};
              for (int c = 0; c < b; c++) {
                double v = 0;
                for (int t = 0; t < r; t++) {
                  v += a[t] * h[t * b + c];
                }
                y[p * b + c] = (float) Math.max(0, v + 5 * rnd.nextGaussian());
              }
            }
            double[] expectedW = new double[count * r];
            double[] expectedResidual = new double[count];
            double[] work = new double[kernel.workLength()];
            for (int p = 0; p < count; p++) {
              expectedResidual[p] = kernel.solve(y, p * b, expectedW, p * r, work);
            }
            double[] w = new double[count * r];
            double[] residual = new double[count];
            kernel.solveBlock(y, count, w, residual, new double[kernel.blockWorkLength()]);
            String what = solver + ", sumToOne " + sumToOne + ", tol " + tol + ", " + count + " pixels";
            assertArrayEquals(expectedW, w, 0.0, what);
            assertArrayEquals(expectedResidual, residual, 0.0, what);
          }
        }
      }
    }
  }
}
