package org.eelsunmix.autoencoder;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.eelsunmix.linalg.DoubleLanes;
import org.eelsunmix.linalg.FloatLanes;

/**
 * {@link SadOutputLayer}'s per-pixel loops over a float network's channel rows on the JDK's Vector API: eight pixels a
 * pass (one float vector of {@link FloatLanes#SPECIES}, widened to one vector of eight doubles where the machine's
 * doubles are 512 bits wide, {@link DoubleLanes}, else to two vectors of four), each float widened
 * to double exactly, then the scalar loops' double multiplications and additions in the same order (never fused)
 * and, for the gradient, the same rounding to float: the same bits. Why: the loops widen every value to double (the
 * loss sums in double, as DL4J's), which C2 does not vectorise, and they are a k-edges step's largest loops outside
 * the decoder (B = 903 rows of 1 600 pixels per patch, twice). Each method does the whole passes of {@code [0, n)}
 * and returns how many values it did. Linked only when {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class SadRowsVector {
  private static final VectorSpecies<Float> FLOATS = FloatLanes.SPECIES;
  private static final VectorSpecies<Double> DOUBLES = FloatLanes.FOUR_DOUBLES;
  private static final VectorSpecies<Double> EIGHT = DoubleLanes.EIGHT;
  /** Pixels a pass: one float vector, two double vectors. */
  private static final int LANES = 8;
  /** Lanes 4–7 of a float vector: where the second half of a pass's values go. */
  private static final VectorMask<Float> UPPER = VectorMask.fromLong(FLOATS, 0xF0L);

  private SadRowsVector() {}

  /** Whether this machine runs vectors of eight floats and four doubles natively. */
  static boolean usable() {
    return FloatLanes.usable();
  }

  /**
   * {@code dot += y·h}, {@code yy += y·y}, {@code hh += h·h} per pixel {@code p}, in double, pixel p's y at
   * {@code y[yFrom + p]} (a row of the batch itself, or a copy of it at 0).
   */
  static int sums(float[] y, int yFrom, float[] h, double[] dot, double[] yy, double[] hh, int n) {
    return DoubleLanes.WIDE ? sumsWide(y, yFrom, h, dot, yy, hh, n) : sumsNarrow(y, yFrom, h, dot, yy, hh, n);
  }

  /** {@link #sums} with the eight pixels' doubles in one vector (where that is the JVM's double shape). */
  static int sumsWide(float[] y, int yFrom, float[] h, double[] dot, double[] yy, double[] hh, int n) {
    int p = 0;
    for (; p + LANES <= n; p += LANES) {
      DoubleVector a = DoubleLanes.eight(FloatVector.fromArray(FLOATS, y, yFrom + p));
      DoubleVector e = DoubleLanes.eight(FloatVector.fromArray(FLOATS, h, p));
      DoubleVector.fromArray(EIGHT, dot, p).add(a.mul(e)).intoArray(dot, p);
      DoubleVector.fromArray(EIGHT, yy, p).add(a.mul(a)).intoArray(yy, p);
      DoubleVector.fromArray(EIGHT, hh, p).add(e.mul(e)).intoArray(hh, p);
    }
    return p;
  }

  /** {@link #sums} with the eight pixels' doubles in two vectors of four. */
  static int sumsNarrow(float[] y, int yFrom, float[] h, double[] dot, double[] yy, double[] hh, int n) {
    int p = 0;
    for (; p + LANES <= n; p += LANES) {
      FloatVector y8 = FloatVector.fromArray(FLOATS, y, yFrom + p);
      FloatVector h8 = FloatVector.fromArray(FLOATS, h, p);
      addSums(FloatLanes.lowFour(y8), FloatLanes.lowFour(h8), dot, yy, hh, p);
      addSums(FloatLanes.highFour(y8), FloatLanes.highFour(h8), dot, yy, hh, p + 4);
    }
    return p;
  }

  private static void addSums(DoubleVector a, DoubleVector e, double[] dot, double[] yy, double[] hh, int q) {
    DoubleVector.fromArray(DOUBLES, dot, q).add(a.mul(e)).intoArray(dot, q);
    DoubleVector.fromArray(DOUBLES, yy, q).add(a.mul(a)).intoArray(yy, q);
    DoubleVector.fromArray(DOUBLES, hh, q).add(e.mul(e)).intoArray(hh, q);
  }

  /** {@code h ← (float) (α·y + β·h)} per pixel {@code p}, in double, pixel p's y at {@code y[yFrom + p]}. */
  static int gradient(double[] alpha, double[] beta, float[] y, int yFrom, float[] h, int n) {
    return DoubleLanes.WIDE ? gradientWide(alpha, beta, y, yFrom, h, n) : gradientNarrow(alpha, beta, y, yFrom, h, n);
  }

  /** {@link #gradient} with the eight pixels' doubles in one vector. */
  static int gradientWide(double[] alpha, double[] beta, float[] y, int yFrom, float[] h, int n) {
    int p = 0;
    for (; p + LANES <= n; p += LANES) {
      DoubleVector g = DoubleVector.fromArray(EIGHT, alpha, p)
          .mul(DoubleLanes.eight(FloatVector.fromArray(FLOATS, y, yFrom + p)))
          .add(DoubleVector.fromArray(EIGHT, beta, p).mul(DoubleLanes.eight(FloatVector.fromArray(FLOATS, h, p))));
      ((FloatVector) g.convertShape(VectorOperators.D2F, FLOATS, 0)).intoArray(h, p);
    }
    return p;
  }

  /** {@link #gradient} with the eight pixels' doubles in two vectors of four. */
  static int gradientNarrow(double[] alpha, double[] beta, float[] y, int yFrom, float[] h, int n) {
    int p = 0;
    for (; p + LANES <= n; p += LANES) {
      FloatVector y8 = FloatVector.fromArray(FLOATS, y, yFrom + p);
      FloatVector h8 = FloatVector.fromArray(FLOATS, h, p);
      DoubleVector g0 = DoubleVector.fromArray(DOUBLES, alpha, p).mul(FloatLanes.lowFour(y8))
          .add(DoubleVector.fromArray(DOUBLES, beta, p).mul(FloatLanes.lowFour(h8)));
      DoubleVector g1 = DoubleVector.fromArray(DOUBLES, alpha, p + 4).mul(FloatLanes.highFour(y8))
          .add(DoubleVector.fromArray(DOUBLES, beta, p + 4).mul(FloatLanes.highFour(h8)));
      // Each half rounded to float into its lanes (the other lanes 0), then the halves blended: exact.
      FloatVector low = (FloatVector) g0.convertShape(VectorOperators.D2F, FLOATS, 0);
      FloatVector high = (FloatVector) g1.convertShape(VectorOperators.D2F, FLOATS, -1);
      low.blend(high, UPPER).intoArray(h, p);
    }
    return p;
  }
}
