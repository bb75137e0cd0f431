package org.eelsunmix.linalg;

import java.util.Arrays;
import java.util.Comparator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Leading eigenpairs of a real symmetric matrix (EJML's symmetric QR algorithm), sorted by decreasing eigenvalue,
 * with a fixed sign convention: each eigenvector's component of largest magnitude is positive. The convention makes
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
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("cannot take " + k + " eigenpairs of a " + n + "x" + n + " matrix");
    }
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
      double[] v = eig.getEigenVector(order[i]).getData().clone();
      double norm = 0;
      int big = 0;
      for (int j = 0; j < n; j++) {
        norm += v[j] * v[j];
        if (Math.abs(v[j]) > Math.abs(v[big])) {
          big = j;
        }
      }
      double s = (v[big] < 0 ? -1 : 1) / Math.sqrt(norm);
      for (int j = 0; j < n; j++) {
        v[j] *= s;
      }
      vectors[i] = v;
    }
    return new SymmetricEigen(values, vectors);
  }
}
