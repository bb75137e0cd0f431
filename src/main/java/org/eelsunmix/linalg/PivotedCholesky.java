package org.eelsunmix.linalg;

/**
 * Cholesky factorisation with diagonal pivoting of a small symmetric positive semi-definite matrix, in place, and
 * the matching basic solve (Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., Algorithm 4.2.4 / §5.4.2):
 * {@code P A Pᵀ = L Lᵀ} on the leading {@code rank × rank} block, where at each step the largest remaining
 * diagonal is brought to the front and the factorisation stops at the first remaining diagonal at or below a
 * caller-given zero pivot. Directions past the rank are treated as exactly flat, so a singular matrix (duplicated
 * or affinely dependent FCLS endmembers) is never divided by a near-zero pivot.
 *
 * <p>Matrices are dense row-major {@code n × n} arrays; only the lower triangle is read and written. Both methods
 * allocate nothing, as FCLS calls them per pixel with caller-owned buffers.
 */
public final class PivotedCholesky {

  private PivotedCholesky() {
  }

  /**
   * Factorises {@code a} in place. On return the lower triangle of the leading {@code rank × rank} block holds L
   * with {@code L Lᵀ = (P a Pᵀ)[0..rank, 0..rank]}, the rows below it the matching columns of the Schur elimination
   * ({@code L[rank..n, 0..rank]}), and {@code order[i]} the original index of pivoted position i.
   *
   * @param a symmetric positive semi-definite {@code n × n}, row-major; overwritten (lower triangle)
   * @param zeroPivot the factorisation stops at the first remaining diagonal ≤ this (a NaN diagonal stops it too)
   * @param order receives the permutation, at least n entries
   * @return the numerical rank, {@code 0 ≤ rank ≤ n}
   */
  public static int factor(double[] a, int n, double zeroPivot, int[] order) {
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int j = 0; j < n; j++) {
      int pivot = j;
      for (int i = j + 1; i < n; i++) {
        if (a[i * n + i] > a[pivot * n + pivot]) {
          pivot = i;
        }
      }
      if (!(a[pivot * n + pivot] > zeroPivot)) {
        return j;
      }
      if (pivot != j) {
        swapSymmetric(a, n, j, pivot);
        int o = order[j];
        order[j] = order[pivot];
        order[pivot] = o;
      }
      double l = Math.sqrt(a[j * n + j]);
      a[j * n + j] = l;
      for (int i = j + 1; i < n; i++) {
        a[i * n + j] /= l;
      }
      // Schur complement of the trailing block (lower triangle, diagonal included).
      for (int i = j + 1; i < n; i++) {
        double lij = a[i * n + j];
        for (int k = j + 1; k <= i; k++) {
          a[i * n + k] -= lij * a[k * n + j];
        }
      }
    }
    return n;
  }

  /** Swaps index a and b (a &lt; b) of a symmetric matrix kept in its lower triangle. */
  private static void swapSymmetric(double[] h, int n, int a, int b) {
    double d = h[a * n + a];
    h[a * n + a] = h[b * n + b];
    h[b * n + b] = d;
    for (int k = 0; k < a; k++) {
      double v = h[a * n + k];
      h[a * n + k] = h[b * n + k];
      h[b * n + k] = v;
    }
    for (int k = a + 1; k < b; k++) {
      double v = h[k * n + a];
      h[k * n + a] = h[b * n + k];
      h[b * n + k] = v;
    }
    for (int k = b + 1; k < n; k++) {
      double v = h[k * n + a];
      h[k * n + a] = h[k * n + b];
      h[k * n + b] = v;
    }
  }

  /**
   * Solves {@code A t = rhs} in place from a {@link #factor} result of rank {@code rank}: a basic solution, with
   * the components along the flat (pivoted-out) directions set to 0. It is an exact solution when rhs lies in the
   * range of A, as the FCLS normal equations guarantee.
   *
   * @param l the factor written by {@link #factor} (not modified)
   * @param order the permutation written by {@link #factor}
   * @param rhs right-hand side, n entries; replaced by the solution
   * @param work scratch, at least n entries
   */
  public static void solve(double[] l, int n, int rank, int[] order, double[] rhs, double[] work) {
    for (int i = 0; i < rank; i++) {
      double s = rhs[order[i]];
      for (int k = 0; k < i; k++) {
        s -= l[i * n + k] * work[k];
      }
      work[i] = s / l[i * n + i];
    }
    for (int i = rank - 1; i >= 0; i--) {
      double s = work[i];
      for (int k = i + 1; k < rank; k++) {
        s -= l[k * n + i] * work[k];
      }
      work[i] = s / l[i * n + i];
    }
    for (int i = 0; i < n; i++) {
      rhs[i] = 0.0;
    }
    for (int i = 0; i < rank; i++) {
      rhs[order[i]] = work[i];
    }
  }
}
