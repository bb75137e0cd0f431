package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VcaProjection#projectAll}'s kernel on the JDK's Vector API: VCA's projection {@code x_i = Σ_j U_ij v_j}
 * (Nascimento &amp; Bioucas-Dias, IEEE TGRS 43(4), 2005; {@code v = y − m} in the projective mode, {@code v = y}
 * otherwise) of a vector's worth of pixels at once, one pixel per lane. The pixels' values are first turned
 * channel-major ({@code v_j} of the lanes' pixels side by side, in a caller-owned buffer), then every coordinate is
 * summed over the channels in index order, lane-wise {@code mul} then {@code add} from zero, four coordinates side by
 * side. Per lane that is exactly the scalar {@link VcaProjection#project}'s sum (same products, same order, each
 * rounded once), so the projections are bit-identical whichever path ran ({@code VcaProjectionTest}). Vectorising
 * over the channels instead would split each sum into partial sums and change its bits.
 *
 * <p>The same sums are NMF's {@code y Hᵀ} and its NNDSVD start's {@code y · v_j} (no mean subtracted), which
 * {@link NmfProjections#projectBlock} takes from here.
 *
 * <p>Linked only when {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class VcaProjectionVector {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private VcaProjectionVector() {}

  /** Pixels per call of {@link #project} (8 with AVX-512, 4 with AVX2). */
  static int lanes() {
    return SPECIES.length();
  }

  /**
   * Projects the {@link #lanes()} pixels {@code y[offset + p·B ..]} into {@code out[outOffset + p·dims ..]}.
   *
   * @param basis dims × B, row-major
   * @param mean the spectrum subtracted first (projective mode), or null
   * @param work B × lanes doubles, overwritten
   * @param sums 4 × lanes doubles, overwritten
   */
  static void project(float[] y, int offset, int b, int dims, double[] basis, double[] mean, double[] out,
      int outOffset, double[] work, double[] sums) {
    final int lanes = SPECIES.length();
    for (int l = 0; l < lanes; l++) {
      final int o = offset + l * b;
      if (mean == null) {
        for (int j = 0; j < b; j++) {
          work[j * lanes + l] = y[o + j];
        }
      } else {
        for (int j = 0; j < b; j++) {
          work[j * lanes + l] = y[o + j] - mean[j]; // the scalar path's v_j, the same double subtraction
        }
      }
    }
    int i = 0;
    for (; i + 3 < dims; i += 4) {
      final int b0 = i * b;
      final int b1 = b0 + b;
      final int b2 = b1 + b;
      final int b3 = b2 + b;
      DoubleVector s0 = DoubleVector.zero(SPECIES);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      for (int j = 0; j < b; j++) {
        DoubleVector v = DoubleVector.fromArray(SPECIES, work, j * lanes);
        s0 = s0.add(v.mul(basis[b0 + j]));
        s1 = s1.add(v.mul(basis[b1 + j]));
        s2 = s2.add(v.mul(basis[b2 + j]));
        s3 = s3.add(v.mul(basis[b3 + j]));
      }
      s0.intoArray(sums, 0);
      s1.intoArray(sums, lanes);
      s2.intoArray(sums, 2 * lanes);
      s3.intoArray(sums, 3 * lanes);
      scatter(sums, 4, i, dims, out, outOffset);
    }
    if (dims - i == 3) { // R = 3, the usual case: three chains side by side, not one after another
      final int b0 = i * b;
      final int b1 = b0 + b;
      final int b2 = b1 + b;
      DoubleVector s0 = DoubleVector.zero(SPECIES);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      for (int j = 0; j < b; j++) {
        DoubleVector v = DoubleVector.fromArray(SPECIES, work, j * lanes);
        s0 = s0.add(v.mul(basis[b0 + j]));
        s1 = s1.add(v.mul(basis[b1 + j]));
        s2 = s2.add(v.mul(basis[b2 + j]));
      }
      s0.intoArray(sums, 0);
      s1.intoArray(sums, lanes);
      s2.intoArray(sums, 2 * lanes);
      scatter(sums, 3, i, dims, out, outOffset);
      return;
    }
    if (dims - i == 2) {
      final int b0 = i * b;
      final int b1 = b0 + b;
      DoubleVector s0 = DoubleVector.zero(SPECIES);
      DoubleVector s1 = s0;
      for (int j = 0; j < b; j++) {
        DoubleVector v = DoubleVector.fromArray(SPECIES, work, j * lanes);
        s0 = s0.add(v.mul(basis[b0 + j]));
        s1 = s1.add(v.mul(basis[b1 + j]));
      }
      s0.intoArray(sums, 0);
      s1.intoArray(sums, lanes);
      scatter(sums, 2, i, dims, out, outOffset);
      return;
    }
    if (dims - i == 1) {
      final int b0 = i * b;
      DoubleVector s0 = DoubleVector.zero(SPECIES);
      for (int j = 0; j < b; j++) {
        s0 = s0.add(DoubleVector.fromArray(SPECIES, work, j * lanes).mul(basis[b0 + j]));
      }
      s0.intoArray(sums, 0);
      scatter(sums, 1, i, dims, out, outOffset);
    }
  }

  /** Coordinates {@code i .. i + count} of every lane's pixel from {@code sums} (coordinate-major) into {@code out}. */
  private static void scatter(double[] sums, int count, int i, int dims, double[] out, int outOffset) {
    final int lanes = SPECIES.length();
    for (int c = 0; c < count; c++) {
      for (int l = 0; l < lanes; l++) {
        out[outOffset + l * dims + i + c] = sums[c * lanes + l];
      }
    }
  }
}
