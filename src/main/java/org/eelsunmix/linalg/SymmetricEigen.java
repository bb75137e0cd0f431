package org.eelsunmix.linalg;

import static org.eelsunmix.linalg.Dot.dot;

import java.util.Arrays;
import java.util.Comparator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Leading eigenpairs of a real symmetric matrix, sorted by decreasing eigenvalue. Few pairs of a large matrix (the
 * spectral covariance, B up to ~1000, of which VCA and PCA need R ≈ 3–10 axes) come from block subspace iteration
 * with Rayleigh–Ritz (Saad, <i>Numerical Methods for Large Eigenvalue Problems</i>, 2nd ed., §5.2): O(B²·m) per
 * step instead of the O(B³) of a full decomposition, m = k + max(8, k) columns, stopped when every wanted Ritz
 * pair has residual {@code ‖A v − θ v‖ ≤ 1e-12 ‖A‖}. If that has not happened after {@value #MAX_ITERATIONS}
 * steps (eigenvalues that barely decay), or the matrix is small, EJML's symmetric QR algorithm decomposes it
 * fully. Eigenvectors carry a fixed sign convention: each eigenvector's component of largest magnitude is positive. The convention makes
 * subspace projections (PCA, VCA) reproducible when the same matrix is accumulated in a different order, since an
 * eigenvector is otherwise only defined up to sign.
 *
 * @param values the {@code k} largest eigenvalues, descending
 * @param vectors {@code k × n}: row {@code i} is the unit eigenvector of {@code values[i]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

  /**
   * @param matrix symmetric {@code n × n}, row-major (not modified)
   * @param n order
   * @param k how many leading pairs to keep, {@code 1 ≤ k ≤ n}
   */
  public static SymmetricEigen leading(double[] matrix, int n, int k) {
    return leading(matrix, n, k, k);
  }

  /**
   * As {@link #leading(double[], int, int)}, but only the first {@code exactVectors} eigenvectors must converge;
   * the other pairs are Ritz approximations whose values have settled to 1e-9 (relative) between two steps, all a
   * caller needs when it only uses their eigenvalues (VCA's SNR estimate uses the R-th eigenvalue of the centred
   * data, a noise eigenvalue with close neighbours whose vector would converge slowly).
   */
  public static SymmetricEigen leading(double[] matrix, int n, int k, int exactVectors) {
    if (k < 1 || k > n || exactVectors < 0 || exactVectors > k) {
      throw new IllegalArgumentException("cannot take " + k + " eigenpairs (" + exactVectors + " exact) of a " + n
          + "x" + n + " matrix");
    }
    if (n >= 64 && 4 * (k + Math.max(8, k)) <= n) {
      SymmetricEigen s = subspaceIteration(matrix, n, k, exactVectors);
      if (s != null) {
        return s;
      }
    }
    return full(matrix, n, k);
  }

  static final int MAX_ITERATIONS = 300;

  /** Block subspace iteration with Rayleigh–Ritz; null when it has not converged. */
  static SymmetricEigen subspaceIteration(double[] a, int n, int k, int exactVectors) {
    int m = k + Math.max(8, k);
    double norm = 0; // Frobenius norm bounds the spectral norm
    for (double v : a) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (norm == 0) {
      return null;
    }
    double tol = 1e-12 * norm;
    // Columns stored as rows: v[c] is column c, length n. A fixed seed keeps the result reproducible.
    java.util.Random random = new java.util.Random(0x5eed);
    double[][] v = new double[m][n];
    for (double[] col : v) {
      for (int i = 0; i < n; i++) {
        col[i] = random.nextGaussian();
      }
    }
    orthonormalise(v);
    double[][] w = new double[m][n];
    double[] previous = null;
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      for (int c = 0; c < m; c++) {
        multiply(a, n, v[c], w[c]);
      }
      // Rayleigh–Ritz: H = Vᵀ A V, its eigenvectors S rotate V into Ritz vectors X = V S with A X = W S.
      double[] h = new double[m * m];
      for (int i = 0; i < m; i++) {
        for (int j = i; j < m; j++) {
          double d = 0.5 * (dot(v[i], w[j]) + dot(v[j], w[i]));
          h[i * m + j] = d;
          h[j * m + i] = d;
        }
      }
      SymmetricEigen ritz = full(h, m, m);
      double[][] x = combine(v, ritz.vectors, n);
      double[][] ax = combine(w, ritz.vectors, n);
      boolean converged = true;
      for (int i = exactVectors; i < k && converged; i++) {
        converged = previous != null
            && Math.abs(ritz.values[i] - previous[i]) <= 1e-9 * Math.abs(ritz.values[0]);
      }
      previous = ritz.values;
      for (int i = 0; i < exactVectors && converged; i++) {
        double r = 0;
        for (int j = 0; j < n; j++) {
          double d = ax[i][j] - ritz.values[i] * x[i][j];
          r += d * d;
        }
        converged = Math.sqrt(r) <= tol;
      }
      if (converged) {
        double[] values = java.util.Arrays.copyOf(ritz.values, k);
        double[][] vectors = new double[k][];
        for (int i = 0; i < k; i++) {
          vectors[i] = signed(x[i]);
        }
        return new SymmetricEigen(values, vectors);
      }
      v = ax; // next basis: A X, re-orthonormalised
      orthonormalise(v);
    }
    return null;
  }

  private static void multiply(double[] a, int n, double[] x, double[] out) {
    for (int i = 0; i < n; i++) {
      int base = i * n;
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += a[base + j] * x[j];
      }
      out[i] = s;
    }
  }

  /** Columns {@code Σ_c basis[c] · s[i][c]} for each row i of {@code s}. */
  private static double[][] combine(double[][] basis, double[][] s, int n) {
    double[][] out = new double[s.length][n];
    for (int i = 0; i < s.length; i++) {
      for (int c = 0; c < basis.length; c++) {
        double f = s[i][c];
        double[] b = basis[c];
        double[] o = out[i];
        for (int j = 0; j < n; j++) {
          o[j] += f * b[j];
        }
      }
    }
    return out;
  }

  /** Modified Gram–Schmidt, twice ("twice is enough", Giraud et al. 2005); a dependent column becomes random. */
  private static void orthonormalise(double[][] cols) {
    java.util.Random random = new java.util.Random(cols.length);
    for (int c = 0; c < cols.length; c++) {
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < c; p++) {
          double d = dot(cols[c], cols[p]);
          for (int j = 0; j < cols[c].length; j++) {
            cols[c][j] -= d * cols[p][j];
          }
        }
      }
      double nrm = Math.sqrt(dot(cols[c], cols[c]));
      if (nrm < 1e-300) {
        for (int j = 0; j < cols[c].length; j++) {
          cols[c][j] = random.nextGaussian();
        }
        c--; // orthogonalise the replacement again
        continue;
      }
      for (int j = 0; j < cols[c].length; j++) {
        cols[c][j] /= nrm;
      }
    }
  }

  /** Unit vector with its largest-magnitude component positive. */
  private static double[] signed(double[] v) {
    double norm = 0;
    int big = 0;
    for (int j = 0; j < v.length; j++) {
      norm += v[j] * v[j];
      if (Math.abs(v[j]) > Math.abs(v[big])) {
        big = j;
      }
    }
    double s = (v[big] < 0 ? -1 : 1) / Math.sqrt(norm);
    double[] out = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = v[j] * s;
    }
    return out;
  }

  /** Full decomposition by EJML's symmetric QR algorithm. */
  static SymmetricEigen full(double[] matrix, int n, int k) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(new DMatrixRMaj(n, n, true, matrix))) {
      throw new IllegalStateException("symmetric eigendecomposition did not converge");
    }
    Integer[] order = new Integer[n];
    double[] all = new double[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      all[i] = eig.getEigenvalue(i).real;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -all[i]));
    double[] values = new double[k];
    double[][] vectors = new double[k][];
    for (int i = 0; i < k; i++) {
      values[i] = all[order[i]];
      vectors[i] = signed(eig.getEigenVector(order[i]).getData());
    }
    return new SymmetricEigen(values, vectors);
  }
}
