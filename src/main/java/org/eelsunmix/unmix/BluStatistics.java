package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * What one BLU pass over the pixels sends to the driver (Dobigeon et al. 2009): with the pixels in the PCA
 * coordinates of the endmember subspace, {@code z_p = Uᵀ(y_p − ȳ)} (K = R − 1 numbers), the endmember and noise
 * conditionals need only {@code Z·Aᵀ} (K × R) and {@code A·Aᵀ} (R × R), and the start pass adds the two norms
 * {@code Σ‖y_p − ȳ − U z_p‖²} (the part of the data no endmember can reach) and {@code Σ‖z_p‖²}. All are
 * {@link FixedPointSum}s, so merging partitions in any order gives the same bits.
 */
public final class BluStatistics implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int dims;
  private final int components;
  private final FixedPointSum za;
  private final FixedPointSum aa;
  private final FixedPointSum norms;

  /**
   * @param dims K
   * @param components R
   * @param zBound bound on |z_pk|
   * @param normBound bound on ‖y_p − ȳ‖² (scaled data)
   * @param pixels N, the number of terms of every sum
   */
  public BluStatistics(int dims, int components, double zBound, double normBound, long pixels) {
    this.dims = dims;
    this.components = components;
    this.za = new FixedPointSum(dims * components, zBound, pixels);
    this.aa = new FixedPointSum(components * components, 1, pixels);
    this.norms = new FixedPointSum(2, normBound, pixels);
  }

  /** Adds a pixel's {@code z a ᵀ} and {@code a aᵀ}. */
  public void add(double[] z, int zOffset, double[] a, int aOffset) {
    int r = components;
    for (int k = 0; k < dims; k++) {
      double zk = z[zOffset + k];
      for (int j = 0; j < r; j++) {
        za.add(k * r + j, zk * a[aOffset + j]);
      }
    }
    for (int i = 0; i < r; i++) {
      double ai = a[aOffset + i];
      for (int j = 0; j < r; j++) {
        aa.add(i * r + j, ai * a[aOffset + j]);
      }
    }
  }

  /** Adds a pixel's out-of-subspace residual {@code ‖y − ȳ − U z‖²} and {@code ‖z‖²}. */
  public void addNorms(double outside, double inside) {
    norms.add(0, outside);
    norms.add(1, inside);
  }

  /** {@code (Z Aᵀ)_{k r}}. */
  public double za(int k, int r) {
    return za.get(k * components + r);
  }

  /** {@code (A Aᵀ)_{i j}}. */
  public double aa(int i, int j) {
    return aa.get(i * components + j);
  }

  /** {@code Σ‖y_p − ȳ − U z_p‖²}. */
  public double outside() {
    return norms.get(0);
  }

  /** {@code Σ‖z_p‖²}. */
  public double inside() {
    return norms.get(1);
  }

  /** Adds {@code other} into this; returns this. */
  public BluStatistics merge(BluStatistics other) {
    za.merge(other.za);
    aa.merge(other.aa);
    norms.merge(other.norms);
    return this;
  }
}
