package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.eelsunmix.linalg.DoubleLanes;
import org.eelsunmix.linalg.FloatLanes;

/**
 * {@link NmfStatistics#add}'s cross product {@code WᵀY += w yᵀ} on the JDK's Vector API: for each row s whose
 * abundance {@code w_s} is not zero, {@code cross_s[c] += w_s · y_c}, eight channels at a time, the spectrum's eight
 * floats widened to doubles once for all the rows. Each element gets the scalar loop's one {@code mul} then one
 * {@code add} (never a fused multiply-add), so the sums have its bits on either vector shape
 * ({@link DoubleLanes#WIDE}: one vector of eight doubles, else two of four).
 *
 * <p>Why: JDK 17's C2 does not vectorise a loop that widens floats to doubles (different element sizes), so the
 * scalar loop ran one element at a time: 210 ns of a 400 ns NMF iteration step a pixel at B = 200, R = 3 (a scratch
 * loop, thread CPU). Linked only when {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class NmfCrossVector {
  private static final VectorSpecies<Double> D4 = FloatLanes.FOUR_DOUBLES;
  private static final VectorSpecies<Double> D8 = DoubleLanes.EIGHT;
  private static final VectorSpecies<Float> F8 = FloatLanes.SPECIES;

  private NmfCrossVector() {}

  /**
   * {@code cross[rows[k]·b + c] += ws[k] · y[yOffset + c]} for {@code k < n}, {@code c < b}.
   *
   * @param rows the rows to update (those whose abundance is not zero), in row order
   * @param ws their abundances
   */
  static void add(double[] cross, int b, float[] y, int yOffset, int[] rows, double[] ws, int n) {
    add(cross, b, y, yOffset, rows, ws, n, DoubleLanes.WIDE);
  }

  /** {@link #add(double[], int, float[], int, int[], double[], int)} on the shape asked for (the tests try both). */
  static void add(double[] cross, int b, float[] y, int yOffset, int[] rows, double[] ws, int n, boolean wide) {
    if (n == 3) {
      three(cross, b, y, yOffset, rows[0] * b, rows[1] * b, rows[2] * b, ws[0], ws[1], ws[2], wide);
      return;
    }
    for (int k = 0; k < n; k++) {
      one(cross, b, y, yOffset, rows[k] * b, ws[k], wide);
    }
  }

  /** Three rows, the spectrum widened once per eight channels. */
  private static void three(double[] cross, int b, float[] y, int yOffset, int r0, int r1, int r2, double w0,
      double w1, double w2, boolean wide) {
    int c = 0;
    if (wide) {
      for (; c + 7 < b; c += 8) {
        DoubleVector v = DoubleLanes.eight(FloatVector.fromArray(F8, y, yOffset + c));
        DoubleVector.fromArray(D8, cross, r0 + c).add(v.mul(w0)).intoArray(cross, r0 + c);
        DoubleVector.fromArray(D8, cross, r1 + c).add(v.mul(w1)).intoArray(cross, r1 + c);
        DoubleVector.fromArray(D8, cross, r2 + c).add(v.mul(w2)).intoArray(cross, r2 + c);
      }
    } else {
      for (; c + 7 < b; c += 8) {
        FloatVector y8 = FloatVector.fromArray(F8, y, yOffset + c);
        DoubleVector lo = FloatLanes.lowFour(y8);
        DoubleVector hi = FloatLanes.highFour(y8);
        DoubleVector.fromArray(D4, cross, r0 + c).add(lo.mul(w0)).intoArray(cross, r0 + c);
        DoubleVector.fromArray(D4, cross, r0 + c + 4).add(hi.mul(w0)).intoArray(cross, r0 + c + 4);
        DoubleVector.fromArray(D4, cross, r1 + c).add(lo.mul(w1)).intoArray(cross, r1 + c);
        DoubleVector.fromArray(D4, cross, r1 + c + 4).add(hi.mul(w1)).intoArray(cross, r1 + c + 4);
        DoubleVector.fromArray(D4, cross, r2 + c).add(lo.mul(w2)).intoArray(cross, r2 + c);
        DoubleVector.fromArray(D4, cross, r2 + c + 4).add(hi.mul(w2)).intoArray(cross, r2 + c + 4);
      }
    }
    for (; c < b; c++) {
      double v = y[yOffset + c];
      cross[r0 + c] += w0 * v;
      cross[r1 + c] += w1 * v;
      cross[r2 + c] += w2 * v;
    }
  }

  /** One row. */
  private static void one(double[] cross, int b, float[] y, int yOffset, int r0, double w0, boolean wide) {
    int c = 0;
    if (wide) {
      for (; c + 7 < b; c += 8) {
        DoubleVector v = DoubleLanes.eight(FloatVector.fromArray(F8, y, yOffset + c));
        DoubleVector.fromArray(D8, cross, r0 + c).add(v.mul(w0)).intoArray(cross, r0 + c);
      }
    } else {
      for (; c + 7 < b; c += 8) {
        FloatVector y8 = FloatVector.fromArray(F8, y, yOffset + c);
        DoubleVector.fromArray(D4, cross, r0 + c).add(FloatLanes.lowFour(y8).mul(w0)).intoArray(cross, r0 + c);
        DoubleVector.fromArray(D4, cross, r0 + c + 4).add(FloatLanes.highFour(y8).mul(w0))
            .intoArray(cross, r0 + c + 4);
      }
    }
    for (; c < b; c++) {
      cross[r0 + c] += w0 * y[yOffset + c];
    }
  }
}
