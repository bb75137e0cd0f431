package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NmfAbundanceUpdate#updateLanes}, the transform's coordinate-descent step for {@value NmfAbundanceUpdate#LANES}
 * pixels side by side, on the JDK's Vector API: the pixels are a vector's lanes (one vector with AVX-512, two with
 * AVX2). Each lane performs the scalar step's operations in its order — {@code grad = −g_t + Σ_s (HHᵀ)_ts w_s} added
 * left to right, {@code violation += |min(grad, w_t = 0 ? 0 : +∞)|}, {@code w_t = max(w_t − grad / (HHᵀ)_tt, 0)} —
 * and the lane-wise {@code min}, {@code max}, {@code abs}, division and negation are Java's {@code Math} operations,
 * so the abundances are bit-identical ({@code NmfBlockedKernelsTest} runs both paths). Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class NmfLanesVector {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private NmfLanesVector() {}

  /** Whether the lanes split into whole vectors on this machine. */
  static boolean usable() {
    return NmfAbundanceUpdate.LANES % SPECIES.length() == 0;
  }

  static void update(double[] w, double[] g, double[] violation, int r, double[] hh) {
    final int lanes = NmfAbundanceUpdate.LANES;
    for (int off = 0; off < lanes; off += SPECIES.length()) {
      DoubleVector v = DoubleVector.zero(SPECIES);
      for (int t = 0; t < r; t++) {
        final int row = t * r;
        final int lt = t * lanes + off;
        DoubleVector grad = DoubleVector.fromArray(SPECIES, g, lt).neg();
        for (int s = 0; s < r; s++) {
          grad = grad.add(DoubleVector.fromArray(SPECIES, w, s * lanes + off).mul(hh[row + s]));
        }
        final double hess = hh[row + t];
        DoubleVector wt = DoubleVector.fromArray(SPECIES, w, lt);
        VectorMask<Double> atZero = wt.compare(VectorOperators.EQ, 0.0);
        DoubleVector cap = DoubleVector.broadcast(SPECIES, Double.POSITIVE_INFINITY).blend(0.0, atZero);
        v = v.add(grad.min(cap).abs());
        if (hess != 0) {
          wt.sub(grad.div(hess)).max(0.0).intoArray(w, lt);
        }
      }
      v.intoArray(violation, off);
    }
  }
}
