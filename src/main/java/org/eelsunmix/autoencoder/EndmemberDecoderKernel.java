package org.eelsunmix.autoencoder;

import java.util.Arrays;

/**
 * The arithmetic of the autoencoders' linear decoder and its spectral-angle loss (Palsson, Sigurdsson, Sveinsson
 * &amp; Ulfarsson, IEEE Access 6, 2018, eq. 9), on caller-owned arrays, for a batch of {@code n} pixels with R
 * abundances and B channels:
 *
 * <pre>
 *   ŷ = a W                  (W the endmembers, R × B)
 *   L = Σₚ θ(yₚ, ŷₚ)          (θ and ∂θ/∂ŷ from {@link SpectralAngleLoss})
 *   ∂W = aᵀ ∂ŷ,   ∂a = ∂ŷ Wᵀ
 * </pre>
 *
 * <p>{@code W[k][c]} is stored at {@code c·R + k}, the Fortran order of DL4J's dense weights, so the network's
 * parameter and gradient views are read and written as they lie. One copy of these loops serves the DL4J layer
 * ({@link EndmemberDecoderLayer}) and the plain trainer ({@link DaeuTrainer}). Stateless.
 */
final class EndmemberDecoderKernel {
  private EndmemberDecoderKernel() {}

  /** {@code out[p·B + c] = Σₖ a[p·R + k] · w[c·R + k]}, in float, k ascending. */
  static void reconstruct(float[] a, float[] w, int n, int r, int b, float[] out) {
    Arrays.fill(out, 0, n * b, 0f);
    for (int p = 0; p < n; p++) {
      for (int k = 0; k < r; k++) {
        float ak = a[p * r + k];
        for (int c = 0; c < b; c++) {
          out[p * b + c] += ak * w[c * r + k];
        }
      }
    }
  }

  /**
   * The angles between the spectra {@code y} and reconstructions {@code yHat} ({@code n × B}, double) and
   * {@code dyHat = ∂θ/∂ŷ} per pixel.
   *
   * @return the sum of the n angles (radians), summed in pixel order as DL4J's score sums them
   */
  static double loss(double[] y, double[] yHat, int n, int b, double[] dyHat) {
    double sum = 0;
    for (int p = 0; p < n; p++) {
      sum += SpectralAngleLoss.angle(y, p * b, yHat, p * b, b, dyHat, p * b, 1.0);
    }
    return sum;
  }

  /**
   * {@code gradient = aᵀ dyHat} (summed over the pixels, float, stored as {@code w}) and {@code da = dyHat wᵀ}
   * (accumulated in double per pixel and abundance).
   */
  static void backward(float[] a, float[] w, double[] dyHat, int n, int r, int b, float[] gradient, float[] da) {
    Arrays.fill(gradient, 0, r * b, 0f);
    for (int p = 0; p < n; p++) {
      for (int k = 0; k < r; k++) {
        float ak = a[p * r + k];
        double back = 0;
        for (int c = 0; c < b; c++) {
          double d = dyHat[p * b + c];
          gradient[c * r + k] += (float) (ak * d);
          back += w[c * r + k] * d;
        }
        da[p * r + k] = (float) back;
      }
    }
  }
}
