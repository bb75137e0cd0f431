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
    // Four coordinates' chains side by side; a last group of fewer repeats its last row in the spare chains (latency,
    // not arithmetic, bounds these sums, so R = 3 costs what R = 4 does) and keeps only its own coordinates.
    for (int i = 0; i < dims; i += 4) {
      final int last = Math.min(dims, i + 4) - 1;
      fourRows(work, b, basis, i * b, Math.min(i + 1, last) * b, Math.min(i + 2, last) * b, last * b, sums);
      scatter(sums, last - i + 1, i, dims, out, outOffset);
    }
  }

  /** The channel sums of every lane against basis rows starting at {@code b0 .. b3}, into {@code sums} (4 × lanes). */
  private static void fourRows(double[] work, int b, double[] basis, int b0, int b1, int b2, int b3, double[] sums) {
    final int lanes = SPECIES.length();
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
