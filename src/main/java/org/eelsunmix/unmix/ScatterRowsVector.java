package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SpectralMoments}' rank-k scatter update {@code S += Σ_k y_k y_kᵀ} on the JDK's Vector API, as a register
 * tile: four scatter rows × two vectors of columns (4 × 16 entries with AVX-512) held in registers over the whole block
 * of pixels. Per group of four pixels the tile loads the pixels' two column vectors once for its four rows and the
 * sixteen scalars {@code y_k[i .. i + 3]} once (broadcast) for its two column vectors: 8 vector loads and 16
 * broadcasts for 64 lane-wise multiplications and 64 additions, where one column vector at a time needed 16
 * broadcasts for 32 of each. This is the micro-kernel shape of a blocked GEMM (Goto &amp; van de Geijn, "Anatomy of
 * high-performance matrix multiplication", ACM TOMS 34(3), 2008), kept to the scalar path's order of additions.
 *
 * <p>The additions into each entry are the scalar path's, in its order: per group of four pixels
 * {@code S + (y0[i]y0[j] + y1[i]y1[j] + y2[i]y2[j] + y3[i]y3[j])}, summed left to right; lane-wise {@code mul} and
 * {@code add} each round once, as Java's scalar {@code *} and {@code +} do (never a fused multiply-add), so the scatter
 * is bit-identical to the scalar path's ({@code SpectralMomentsTest}). Only whole groups come here (the caller adds a
 * partial block's last pixels itself), so the compiled loops are the same on every call. Linked only when
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
   * vectors), over the first {@code groups} pixels buffered in {@code y} (pixel-major, B values each): two column
   * vectors at a time, then the last one alone when their count is odd.
   *
   * @param groups the number of pixels, a multiple of four
   */
  static void fourRows(double[] y, int b, int groups, double[] s, int i, int from, int to) {
    final int lanes = SPECIES.length();
    final int end = from + SPECIES.loopBound(to - from);
    int j = from;
    for (; j + lanes < end; j += 2 * lanes) {
      tile(y, b, groups, s, i, j);
    }
    if (j < end) {
      column(y, b, groups, s, i, j);
    }
  }

  /** The 4 × 2-vector tile at rows {@code i ..}, columns {@code j ..}. */
  private static void tile(double[] y, int b, int groups, double[] s, int i, int j) {
    final int lanes = SPECIES.length();
    final int r0 = i * b + j;
    final int r1 = r0 + b;
    final int r2 = r1 + b;
    final int r3 = r2 + b;
    DoubleVector s00 = DoubleVector.fromArray(SPECIES, s, r0);
    DoubleVector s01 = DoubleVector.fromArray(SPECIES, s, r0 + lanes);
    DoubleVector s10 = DoubleVector.fromArray(SPECIES, s, r1);
    DoubleVector s11 = DoubleVector.fromArray(SPECIES, s, r1 + lanes);
    DoubleVector s20 = DoubleVector.fromArray(SPECIES, s, r2);
    DoubleVector s21 = DoubleVector.fromArray(SPECIES, s, r2 + lanes);
    DoubleVector s30 = DoubleVector.fromArray(SPECIES, s, r3);
    DoubleVector s31 = DoubleVector.fromArray(SPECIES, s, r3 + lanes);
    for (int k = 0; k < groups; k += 4) {
      final int o0 = k * b;
      final int o1 = o0 + b;
      final int o2 = o1 + b;
      final int o3 = o2 + b;
      // The group's four pixels at the tile's two column vectors.
      DoubleVector v00 = DoubleVector.fromArray(SPECIES, y, o0 + j);
      DoubleVector v01 = DoubleVector.fromArray(SPECIES, y, o0 + j + lanes);
      DoubleVector v10 = DoubleVector.fromArray(SPECIES, y, o1 + j);
      DoubleVector v11 = DoubleVector.fromArray(SPECIES, y, o1 + j + lanes);
      DoubleVector v20 = DoubleVector.fromArray(SPECIES, y, o2 + j);
      DoubleVector v21 = DoubleVector.fromArray(SPECIES, y, o2 + j + lanes);
      DoubleVector v30 = DoubleVector.fromArray(SPECIES, y, o3 + j);
      DoubleVector v31 = DoubleVector.fromArray(SPECIES, y, o3 + j + lanes);
      // Row by row: the four pixels' values at that row, broadcast once for both column vectors.
      DoubleVector a0 = DoubleVector.broadcast(SPECIES, y[o0 + i]);
      DoubleVector a1 = DoubleVector.broadcast(SPECIES, y[o1 + i]);
      DoubleVector a2 = DoubleVector.broadcast(SPECIES, y[o2 + i]);
      DoubleVector a3 = DoubleVector.broadcast(SPECIES, y[o3 + i]);
      s00 = s00.add(v00.mul(a0).add(v10.mul(a1)).add(v20.mul(a2)).add(v30.mul(a3)));
      s01 = s01.add(v01.mul(a0).add(v11.mul(a1)).add(v21.mul(a2)).add(v31.mul(a3)));
      a0 = DoubleVector.broadcast(SPECIES, y[o0 + i + 1]);
      a1 = DoubleVector.broadcast(SPECIES, y[o1 + i + 1]);
      a2 = DoubleVector.broadcast(SPECIES, y[o2 + i + 1]);
      a3 = DoubleVector.broadcast(SPECIES, y[o3 + i + 1]);
      s10 = s10.add(v00.mul(a0).add(v10.mul(a1)).add(v20.mul(a2)).add(v30.mul(a3)));
      s11 = s11.add(v01.mul(a0).add(v11.mul(a1)).add(v21.mul(a2)).add(v31.mul(a3)));
      a0 = DoubleVector.broadcast(SPECIES, y[o0 + i + 2]);
      a1 = DoubleVector.broadcast(SPECIES, y[o1 + i + 2]);
      a2 = DoubleVector.broadcast(SPECIES, y[o2 + i + 2]);
      a3 = DoubleVector.broadcast(SPECIES, y[o3 + i + 2]);
      s20 = s20.add(v00.mul(a0).add(v10.mul(a1)).add(v20.mul(a2)).add(v30.mul(a3)));
      s21 = s21.add(v01.mul(a0).add(v11.mul(a1)).add(v21.mul(a2)).add(v31.mul(a3)));
      a0 = DoubleVector.broadcast(SPECIES, y[o0 + i + 3]);
      a1 = DoubleVector.broadcast(SPECIES, y[o1 + i + 3]);
      a2 = DoubleVector.broadcast(SPECIES, y[o2 + i + 3]);
      a3 = DoubleVector.broadcast(SPECIES, y[o3 + i + 3]);
      s30 = s30.add(v00.mul(a0).add(v10.mul(a1)).add(v20.mul(a2)).add(v30.mul(a3)));
      s31 = s31.add(v01.mul(a0).add(v11.mul(a1)).add(v21.mul(a2)).add(v31.mul(a3)));
    }
    s00.intoArray(s, r0);
    s01.intoArray(s, r0 + lanes);
    s10.intoArray(s, r1);
    s11.intoArray(s, r1 + lanes);
    s20.intoArray(s, r2);
    s21.intoArray(s, r2 + lanes);
    s30.intoArray(s, r3);
    s31.intoArray(s, r3 + lanes);
  }

  /** The 4 × 1-vector tile at rows {@code i ..}, columns {@code j ..} (a tile's last vector when their count is odd). */
  private static void column(double[] y, int b, int groups, double[] s, int i, int j) {
    final int r0 = i * b + j;
    final int r1 = r0 + b;
    final int r2 = r1 + b;
    final int r3 = r2 + b;
    DoubleVector s0 = DoubleVector.fromArray(SPECIES, s, r0);
    DoubleVector s1 = DoubleVector.fromArray(SPECIES, s, r1);
    DoubleVector s2 = DoubleVector.fromArray(SPECIES, s, r2);
    DoubleVector s3 = DoubleVector.fromArray(SPECIES, s, r3);
    for (int k = 0; k < groups; k += 4) {
      final int o0 = k * b;
      final int o1 = o0 + b;
      final int o2 = o1 + b;
      final int o3 = o2 + b;
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
    s0.intoArray(s, r0);
    s1.intoArray(s, r1);
    s2.intoArray(s, r2);
    s3.intoArray(s, r3);
  }
}
