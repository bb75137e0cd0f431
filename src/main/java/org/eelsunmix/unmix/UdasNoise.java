package org.eelsunmix.unmix;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The noise model of uDAS's decoder rounds ({@link UdasFit}), estimated once from the start (VCA endmembers W₀ and
 * their FCLS abundances H₀) and then fixed, so that the rounds minimise one objective:
 *
 * <ul>
 *   <li><b>per-channel noise variance</b> {@code s_c = (1/N) Σ_p (x_pc − w₀_c h₀_p)²}, the start's residual,
 *   from sums the driver already has ({@code ‖x_c‖²} from the scatter, H₀X̄ᵀ, H₀H₀ᵀ), floored at 1e-6 of the
 *   largest; from the data, so it holds for gain-scaled counts as well as for raw Poisson counts;</li>
 *   <li><b>channel weights</b> {@code ω_c = α / s_c} (generalised least squares), α such that the weighted norm of
 *   the mean spectrum equals its plain norm ({@code Σ ω_c m_c² = Σ m_c²}), so δ keeps its meaning relative to the
 *   normalised spectra;</li>
 *   <li><b>noise floors</b> {@code l_r = −κ σ_r}, κ = {@value #FLOOR_SIGMAS}, with σ_r² the r-th diagonal entry of
 *   the covariance of the weighted sum-to-one abundance estimate
 *   {@code M⁻¹ WᵀΩ S Ω W M⁻¹}, {@code M = WᵀΩW + δ²11ᵀ}, S = diag(s).</li>
 * </ul>
 *
 * <h2>Why (measured)</h2>
 * The decoder regresses X on abundances estimated from the same noisy X (errors in variables). With noise of
 * covariance Σ and unconstrained GLS abundances {@code h = (WᵀΣ⁻¹W)⁻¹WᵀΣ⁻¹x} the true endmembers are a fixed point of
 * the regression: {@code E[XHᵀ] = W(AAᵀ + (WᵀΣ⁻¹W)⁻¹) = W E[HHᵀ]}. Neither the paper's unweighted estimate
 * (Poisson noise: Σ = diag(mean counts) is not isotropic, so {@code ΣW⁺ᵀ} leaves the span of W) nor the
 * non-negative one (noise truncated at h = 0 looks like signal of the other endmembers and pushes them apart)
 * keeps the truth a fixed point, and the rounds drifted away from VCA's set: on co-ru-pt 32 × 32 the SAD rose
 * round after round on 5 of 6 replicates. Without any lower bound, though, the rounds cannot move a start that
 * missed a vertex (k-edges 32 × 32 replicate 0: 0.0306 stays 0.0307; the non-negative rounds reached 0.020). The
 * floor −κσ keeps both: abundances inside the noise are not truncated (2.3 % of them are, at κ = 2), abundances
 * below it are, so the rounds still pull a wrong vertex out (that replicate: 0.0157).
 */
public final class UdasNoise {
  /** κ: the floors sit this many standard deviations of the abundance noise below zero. */
  public static final double FLOOR_SIGMAS = 2;

  private final double[] weights;
  private final double[] floors;
  private final double level;

  private UdasNoise(double[] weights, double[] floors, double level) {
    this.weights = weights;
    this.floors = floors;
    this.level = level;
  }

  /**
   * The noise model of the start.
   *
   * @param scatter the (B + 1)² scatter of the normalised input with its bias row
   * @param w the start's endmembers, row-major B × R
   * @param hx {@code Σ h x̄ᵀ} of the start's abundances (R × (B + 1))
   * @param hh {@code Σ h hᵀ} of the start's abundances (R × R)
   * @param n N
   */
  static UdasNoise estimate(double[] scatter, double[] w, double[] hx, double[] hh, double delta, int b, int r,
      long n) {
    int n1 = b + 1;
    double[] s = new double[b];
    double largest = 0;
    for (int c = 0; c < b; c++) {
      double v = scatter[c * n1 + c];
      for (int k = 0; k < r; k++) {
        double wk = w[c * r + k];
        v -= 2 * wk * hx[k * n1 + c];
        for (int t = 0; t < r; t++) {
          v += wk * hh[k * r + t] * w[c * r + t];
        }
      }
      s[c] = Math.max(0, v / n);
      largest = Math.max(largest, s[c]);
    }
    if (!(largest > 0)) {
      largest = 1; // a noise-free exact fit: every channel alike
    }
    double num = 0;
    double den = 0;
    double[] omega = new double[b];
    for (int c = 0; c < b; c++) {
      s[c] = Math.max(s[c], 1e-6 * largest);
      omega[c] = 1 / s[c];
      double m = scatter[c * n1 + b] / n;
      num += m * m;
      den += omega[c] * m * m;
    }
    double alpha = den > 0 ? num / den : 1;
    for (int c = 0; c < b; c++) {
      omega[c] *= alpha;
    }
    double d2 = delta * delta;
    DMatrixRMaj m = new DMatrixRMaj(r, r);
    DMatrixRMaj sandwich = new DMatrixRMaj(r, r);
    for (int k = 0; k < r; k++) {
      for (int t = 0; t < r; t++) {
        double a = d2;
        double q = 0;
        for (int c = 0; c < b; c++) {
          double p = w[c * r + k] * omega[c] * w[c * r + t];
          a += p;
          q += p * omega[c] * s[c];
        }
        m.set(k, t, a);
        sandwich.set(k, t, q);
      }
    }
    double[] floors = new double[r];
    if (CommonOps_DDRM.invert(m)) {
      DMatrixRMaj tmp = new DMatrixRMaj(r, r);
      DMatrixRMaj cov = new DMatrixRMaj(r, r);
      CommonOps_DDRM.mult(m, sandwich, tmp);
      CommonOps_DDRM.mult(tmp, m, cov);
      for (int k = 0; k < r; k++) {
        floors[k] = -FLOOR_SIGMAS * Math.sqrt(Math.max(0, cov.get(k, k)));
      }
    }
    return new UdasNoise(omega, floors, alpha);
  }

  /** ω, B values. */
  double[] weights() {
    return weights.clone();
  }

  /** α: the weighted noise variance of every channel, {@code ω_c s_c} (the weighted metric's noise level). */
  double level() {
    return level;
  }

  /** l, R values ≤ 0. */
  double[] floors() {
    return floors.clone();
  }
}
