package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.PixelKey;

/**
 * A pixel competing to be VCA's next endmember: its score {@code |fᵀ y|}, its address and its projection.
 * {@link #better} is the reduce function of the distributed search: the higher score wins, a tie goes to the
 * pixel first in raster order ({@link PixelKey}), so the result does not depend on partitioning.
 *
 * @param score {@code |fᵀ y|}
 * @param key the pixel's address
 * @param projection the pixel's projected coordinates {@code x}
 */
public record VcaCandidate(double score, PixelKey key, double[] projection) implements Serializable {

  /** The winner of two candidates (either may be null). */
  public static VcaCandidate better(VcaCandidate a, VcaCandidate b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int c = Double.compare(a.score, b.score);
    if (c != 0) {
      return c > 0 ? a : b;
    }
    return a.key.compareTo(b.key) <= 0 ? a : b;
  }

  /** The winners along each of several directions ({@link #better} position by position; entries may be null). */
  public static VcaCandidate[] better(VcaCandidate[] a, VcaCandidate[] b) {
    VcaCandidate[] w = new VcaCandidate[a.length];
    for (int k = 0; k < w.length; k++) {
      w[k] = better(a[k], b[k]);
    }
    return w;
  }
}
