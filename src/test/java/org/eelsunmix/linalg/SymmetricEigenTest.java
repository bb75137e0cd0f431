package org.eelsunmix.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Leading eigenpairs against matrices built from known eigenpairs (Q diag(λ) Qᵀ). */
class SymmetricEigenTest {

  /** Random orthonormal basis (rows) by Gram–Schmidt of Gaussian vectors. */
  static double[][] orthonormal(int n, Random r) {
    double[][] q = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        q[i][j] = r.nextGaussian();
      }
      for (int p = 0; p < i; p++) {
        double d = 0;
        for (int j = 0; j < n; j++) {
          d += q[i][j] * q[p][j];
        }
        for (int j = 0; j < n; j++) {
          q[i][j] -= d * q[p][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < n; j++) {
        norm += q[i][j] * q[i][j];
      }
      for (int j = 0; j < n; j++) {
        q[i][j] /= Math.sqrt(norm);
      }
    }
    return q;
  }

  static double[] compose(double[][] q, double[] lambda) {
    int n = lambda.length;
    double[] a = new double[n * n];
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i * n + j] += lambda[k] * q[k][i] * q[k][j];
        }
      }
    }
    return a;
  }

  static void assertPairs(double[][] q, double[] lambda, SymmetricEigen e, int exact, double tol) {
    for (int i = 0; i < e.values().length; i++) {
      assertEquals(lambda[i], e.values()[i], tol * lambda[0], "eigenvalue " + i);
      if (i < exact) {
        double d = 0;
        for (int j = 0; j < q[i].length; j++) {
          d += q[i][j] * e.vectors()[i][j];
        }
        assertEquals(1.0, Math.abs(d), 1e-9, "eigenvector " + i);
      }
    }
  }

  @Test
  void subspaceIterationFindsTheLeadingPairsOfAGappedSpectrum() {
    Random r = new Random(3);
    int n = 120;
    double[][] q = orthonormal(n, r);
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      lambda[i] = i < 4 ? 1e6 / (i + 1) : 10 * Math.exp(-0.01 * i) + r.nextDouble(); // signal, then noise
    }
    java.util.Arrays.sort(lambda);
    for (int i = 0; i < n / 2; i++) {
      double t = lambda[i];
      lambda[i] = lambda[n - 1 - i];
      lambda[n - 1 - i] = t;
    }
    double[] a = compose(q, lambda);
    SymmetricEigen fast = SymmetricEigen.subspaceIteration(a, n, 4, 4);
    assertNotNull(fast, "a gapped spectrum converges");
    assertPairs(q, lambda, fast, 4, 1e-12);
    assertPairs(q, lambda, SymmetricEigen.leading(a, n, 4), 4, 1e-12);
    // Only values needed past the gap: the fifth pair sits among noise eigenvalues.
    assertPairs(q, lambda, SymmetricEigen.leading(a, n, 5, 4), 4, 1e-6);
  }

  @Test
  void fallsBackToTheFullDecompositionWhenEigenvaluesBarelyDecay() {
    Random r = new Random(5);
    int n = 100;
    double[][] q = orthonormal(n, r);
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      lambda[i] = 1.0 - 1e-4 * i; // no gap at all: subspace iteration cannot separate them in time
    }
    double[] a = compose(q, lambda);
    assertNull(SymmetricEigen.subspaceIteration(a, n, 3, 3));
    assertPairs(q, lambda, SymmetricEigen.leading(a, n, 3), 0, 1e-10);
  }

  @Test
  void smallMatricesAndSignConvention() {
    double[] a = {2, 1, 0, 1, 2, 0, 0, 0, 5};
    SymmetricEigen e = SymmetricEigen.leading(a, 3, 3);
    assertEquals(5, e.values()[0], 1e-12);
    assertEquals(3, e.values()[1], 1e-12);
    assertEquals(1, e.values()[2], 1e-12);
    for (double[] v : e.vectors()) {
      int big = 0;
      for (int j = 1; j < v.length; j++) {
        big = Math.abs(v[j]) > Math.abs(v[big]) + 1e-12 ? j : big;
      }
      assertTrue(v[big] > 0, "largest component positive");
    }
  }
}
