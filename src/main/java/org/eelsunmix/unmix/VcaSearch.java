package org.eelsunmix.unmix;

import static org.eelsunmix.linalg.Dot.dot;

import java.util.Random;

/**
 * The iterative part of VCA (Nascimento &amp; Bioucas-Dias 2005, Algorithm 1, steps 7–13): at step {@code i} draw
 * a Gaussian vector {@code w}, take {@code f = (I − A A⁺) w} normalised (the direction orthogonal to the
 * endmembers found so far), and pick the pixel with the largest {@code |fᵀ y|}. Initially {@code A = [e_p]} so the
 * first direction is orthogonal to the lifting coordinate.
 *
 * <p>The random directions depend only on the seed and the endmembers already chosen, never on how pixels are
 * partitioned, so the in-memory and the distributed fit take the same steps. Driver-side, not thread-safe.
 */
public final class VcaSearch {
  private final int p;
  private final Random random;
  private final double[][] chosen; // simplex points of the endmembers found so far
  private int found;

  /**
   * @param endmembers p
   * @param seed seed of the Gaussian directions
   */
  public VcaSearch(int endmembers, long seed) {
    this.p = endmembers;
    this.random = new Random(seed);
    this.chosen = new double[endmembers][];
  }

  /** Number of endmembers found so far. */
  public int found() {
    return found;
  }

  /** The next search direction {@code f} (length p, unit norm). */
  public double[] nextDirection() {
    if (found >= p) {
      throw new IllegalStateException("all " + p + " endmembers already found");
    }
    double[] f = new double[p];
    for (int attempt = 0; attempt < 100; attempt++) {
      for (int i = 0; i < p; i++) {
        f[i] = random.nextGaussian();
      }
      // Remove the components along span(A) by modified Gram–Schmidt, ignoring dependent columns (this is
      // (I − A A⁺) w, with A⁺ the pseudo-inverse).
      double[][] basis = new double[p][];
      int rank = 0;
      int columns = found == 0 ? 1 : found;
      for (int c = 0; c < columns; c++) {
        double[] a = found == 0 ? unit(p - 1) : chosen[c].clone();
        double before = norm(a);
        for (int k = 0; k < rank; k++) {
          subtract(a, basis[k], dot(a, basis[k]));
        }
        double n = norm(a);
        if (n > 1e-10 * Math.max(before, Double.MIN_NORMAL)) {
          scale(a, 1 / n);
          basis[rank++] = a;
        }
      }
      for (int k = 0; k < rank; k++) {
        subtract(f, basis[k], dot(f, basis[k]));
      }
      double n = norm(f);
      if (n > 1e-12) {
        scale(f, 1 / n);
        return f;
      }
    }
    throw new IllegalStateException("VCA could not find a direction orthogonal to the endmembers found so far");
  }

  /** Records the simplex point (length p) of the pixel picked along the last direction. */
  public void accept(double[] simplexPoint) {
    chosen[found++] = simplexPoint.clone();
  }

  private double[] unit(int i) {
    double[] e = new double[p];
    e[i] = 1;
    return e;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static void subtract(double[] a, double[] b, double k) {
    for (int i = 0; i < a.length; i++) {
      a[i] -= k * b[i];
    }
  }

  private static void scale(double[] a, double k) {
    for (int i = 0; i < a.length; i++) {
      a[i] *= k;
    }
  }
}
