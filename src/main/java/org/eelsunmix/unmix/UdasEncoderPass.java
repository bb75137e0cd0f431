package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * One pixel of uDAS's encoder objective (Qu &amp; Qi 2019, Eq. 10–12, in the consistent form {@link UdasFit}
 * documents): for the normalised input x (B), the encoder W1 (R × B) and the current decoder W (B × R),
 *
 * <pre>  h = relu(W1 x)
 *  ℓ(x) = ½‖v − W h‖² + (γ/2)‖W h − t‖² + (δ²/2)(1 − Σ h)² − ½‖v‖² − (γ/2)‖t‖²
 *       = −hᵀa + ½ hᵀ C h + (δ²/2)(1 − Σ h)²</pre>
 *
 * with v = G x̄ the reconstruction target (the input itself: G = [I | 0], see {@link UdasFit}) and t = W_n x̄
 * the denoising target of the pixel ({@code x̄ = [x; 1]}), so
 * {@code a = (Wᵀ G + γ Wᵀ W_n) x̄ = A x̄} and {@code C = (1 + γ) WᵀW}: the pixel costs three R × B products and
 * the B × B map W_n never travels to the pixels. The gradient with respect to W1 is
 * {@code (g ∘ [W1 x > 0]) xᵀ} with {@code g = C h − a − δ²(1 − Σ h) 1}.
 *
 * <p>Immutable; {@link #pixel} uses caller buffers.
 */
public final class UdasEncoderPass implements Serializable {
  private static final long serialVersionUID = 1L;
  final int components;
  final int channels;
  private final double[] encoder;
  private final double[] a;
  private final double[] c;
  private final double deltaSquared;
  final boolean withGradient;

  /**
   * @param encoder W1, row-major R × B (not copied)
   * @param a A = Wᵀ G + γ Wᵀ W_n, row-major R × (B + 1)
   * @param c (1 + γ) WᵀW, row-major R × R
   */
  UdasEncoderPass(double[] encoder, double[] a, double[] c, int components, int channels, double delta,
      boolean withGradient) {
    this.encoder = encoder;
    this.a = a;
    this.c = c;
    this.components = components;
    this.channels = channels;
    this.deltaSquared = delta * delta;
    this.withGradient = withGradient;
  }

  /** Whether the pass sums the gradient. */
  public boolean withGradient() {
    return withGradient;
  }

  /**
   * The pixel's loss ℓ; writes h (R) and, with the gradient, the masked g (R) into {@code g}.
   *
   * @param x the normalised spectrum (B)
   * @param lin work buffer of R values
   */
  double pixel(double[] x, double[] h, double[] g, double[] lin) {
    int r = components;
    int b = channels;
    int n = b + 1;
    double sum = 0;
    for (int s = 0; s < r; s++) {
      double z = 0;
      double l = a[s * n + b];
      int eb = s * b;
      int ab = s * n;
      for (int k = 0; k < b; k++) {
        z += encoder[eb + k] * x[k];
        l += a[ab + k] * x[k];
      }
      h[s] = z > 0 ? z : 0;
      g[s] = z; // the pre-activation, for the mask below
      lin[s] = l;
      sum += h[s];
    }
    double gap = 1 - sum;
    double loss = 0.5 * deltaSquared * gap * gap;
    for (int s = 0; s < r; s++) {
      double ch = 0;
      for (int t = 0; t < r; t++) {
        ch += c[s * r + t] * h[t];
      }
      loss += h[s] * (0.5 * ch - lin[s]);
      g[s] = g[s] > 0 ? ch - lin[s] - deltaSquared * gap : 0;
    }
    return loss;
  }
}
