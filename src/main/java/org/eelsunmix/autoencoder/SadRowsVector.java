package org.eelsunmix.autoencoder;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SadOutputLayer}'s per-pixel loops over a float network's channel rows on the JDK's Vector API: four pixels at
 * a time, each float widened to double exactly, then the scalar loops' double multiplications and additions in the
 * same order (never fused) and, for the gradient, the same rounding to float: the same bits. Why: the loops widen
 * every value to double (the loss sums in double, as DL4J's), which C2 does not vectorise, and they are a k-edges
 * step's largest loops outside the decoder (B = 903 rows of 1 600 pixels per patch, twice). Each method does the
 * whole vectors of {@code [0, n)} and returns how many values it did. Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class SadRowsVector {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_128;
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_256;
  private static final int LANES = 4;

  private SadRowsVector() {}

  /** Whether this machine runs vectors of four doubles natively. */
  static boolean usable() {
    return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
  }

  private static DoubleVector widened(float[] a, int p) {
    return (DoubleVector) FloatVector.fromArray(FLOATS, a, p).convertShape(VectorOperators.F2D, DOUBLES, 0);
  }

  /** {@code dot += y·h}, {@code yy += y·y}, {@code hh += h·h} per pixel, in double. */
  static int sums(float[] y, float[] h, double[] dot, double[] yy, double[] hh, int n) {
    int p = 0;
    for (; p + LANES <= n; p += LANES) {
      DoubleVector a = widened(y, p);
      DoubleVector e = widened(h, p);
      DoubleVector.fromArray(DOUBLES, dot, p).add(a.mul(e)).intoArray(dot, p);
      DoubleVector.fromArray(DOUBLES, yy, p).add(a.mul(a)).intoArray(yy, p);
      DoubleVector.fromArray(DOUBLES, hh, p).add(e.mul(e)).intoArray(hh, p);
    }
    return p;
  }

  /** {@code h ← (float) (α·y + β·h)} per pixel, in double. */
  static int gradient(double[] alpha, double[] beta, float[] y, float[] h, int n) {
    int p = 0;
    for (; p + LANES <= n; p += LANES) {
      DoubleVector g = DoubleVector.fromArray(DOUBLES, alpha, p).mul(widened(y, p))
          .add(DoubleVector.fromArray(DOUBLES, beta, p).mul(widened(h, p)));
      ((FloatVector) g.convertShape(VectorOperators.D2F, FLOATS, 0)).intoArray(h, p);
    }
    return p;
  }
}
