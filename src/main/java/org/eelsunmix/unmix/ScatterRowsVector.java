package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SpectralMoments}' rank-k scatter update on the JDK's Vector API: four scatter rows at a time, a vector of
 * columns of each held in registers over the whole block of pixels, so that every pixel value is loaded once for
 * four rows and each scatter entry is read and written once per block (the scalar path reads and writes it once per
 * eight pixels).
 *
 * <p>The additions into each entry are the scalar path's, in its order: per group of four pixels
 * {@code S + (y0[i]y0[j] + y1[i]y1[j] + y2[i]y2[j] + y3[i]y3[j])}, summed left to right, then the leftover pixels one
 * at a time; lane-wise {@code mul} and {@code add} each round once, as Java's scalar {@code *} and {@code +} do, so
 * the scatter is bit-identical to the scalar path's ({@code SpectralMomentsTest}). Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class ScatterRowsVector {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private ScatterRowsVector() {}

  /** Doubles per vector on this machine (8 with AVX-512, 4 with AVX2). */
  static int lanes() {
    return SPECIES.length();
  }

  /**
   * Rows {@code i .. i + 3} of the scatter {@code s} (B × B row-major), columns {@code [from, to)} (a whole number of
   * vectors), over the {@code pixels} buffered in {@code y} (pixel-major, B values each).
   *
   * @param groups the pixels summed in groups of four ({@code pixels} rounded down to a multiple of four)
   */
  static void fourRows(double[] y, int b, int pixels, int groups, double[] s, int i, int from, int to) {
    final int lanes = SPECIES.length();
    final int end = from + SPECIES.loopBound(to - from);
    final int r0 = i * b;
    final int r1 = r0 + b;
    final int r2 = r1 + b;
    final int r3 = r2 + b;
    for (int j = from; j < end; j += lanes) {
      DoubleVector s0 = DoubleVector.fromArray(SPECIES, s, r0 + j);
      DoubleVector s1 = DoubleVector.fromArray(SPECIES, s, r1 + j);
      DoubleVector s2 = DoubleVector.fromArray(SPECIES, s, r2 + j);
      DoubleVector s3 = DoubleVector.fromArray(SPECIES, s, r3 + j);
      int k = 0;
      for (; k < groups; k += 4) {
        int o0 = k * b;
        int o1 = o0 + b;
        int o2 = o1 + b;
        int o3 = o2 + b;
        DoubleVector v0 = DoubleVector.fromArray(SPECIES, y, o0 + j);
        DoubleVector v1 = DoubleVector.fromArray(SPECIES, y, o1 + j);
        DoubleVector v2 = DoubleVector.fromArray(SPECIES, y, o2 + j);
        DoubleVector v3 = DoubleVector.fromArray(SPECIES, y, o3 + j);
        s0 = s0.add(v0.mul(y[o0 + i]).add(v1.mul(y[o1 + i])).add(v2.mul(y[o2 + i])).add(v3.mul(y[o3 + i])));
        s1 = s1.add(v0.mul(y[o0 + i + 1]).add(v1.mul(y[o1 + i + 1])).add(v2.mul(y[o2 + i + 1]))
            .add(v3.mul(y[o3 + i + 1])));
        s2 = s2.add(v0.mul(y[o0 + i + 2]).add(v1.mul(y[o1 + i + 2])).add(v2.mul(y[o2 + i + 2]))
            .add(v3.mul(y[o3 + i + 2])));
        s3 = s3.add(v0.mul(y[o0 + i + 3]).add(v1.mul(y[o1 + i + 3])).add(v2.mul(y[o2 + i + 3]))
            .add(v3.mul(y[o3 + i + 3])));
      }
      for (; k < pixels; k++) {
        int o = k * b;
        DoubleVector v = DoubleVector.fromArray(SPECIES, y, o + j);
        s0 = s0.add(v.mul(y[o + i]));
        s1 = s1.add(v.mul(y[o + i + 1]));
        s2 = s2.add(v.mul(y[o + i + 2]));
        s3 = s3.add(v.mul(y[o + i + 3]));
      }
      s0.intoArray(s, r0 + j);
      s1.intoArray(s, r1 + j);
      s2.intoArray(s, r2 + j);
      s3.intoArray(s, r3 + j);
    }
  }
}
