package org.eelsunmix.unmix;

import org.eelsunmix.core.BadInputException;

/**
 * The whitening of uDAS's encoder coordinates from the data's second moment {@code S = X Xᵀ/N} (B × B, with a
 * 1e-12 relative ridge): its Cholesky factor {@code S = L Lᵀ} (L lower triangular) maps the encoder W1 (R × B) to
 * {@code Z = W1 L} and back by {@code W1 = Z L⁻¹}. The pixels seen through Z are {@code x̃ = L⁻¹ x}, whose
 * second moment is the identity, so in Z the encoder's smooth objective has the curvature of its R × R part only
 * (see {@link UdasEncoderStep}). A row's norm in Z is the root-mean-square pre-activation of that unit over the
 * pixels, {@code ‖Z_r‖ = (W1_r S W1_rᵀ)^½ = (mean_p (W1_r x_p)²)^½}, and is zero exactly when W1_r is (S is
 * positive definite). Also solves {@code M S⁻¹} for the encoder's start H pinv(X).
 */
final class UdasWhitening {
  private final int channels;
  /** L, row-major B × B, lower triangular. */
  private final double[] lower;
  /** The largest eigenvalue of S (power iteration). */
  final double largest;

  /** From the (B + 1)² scatter of the normalised input with its bias row, over {@code n} pixels. */
  UdasWhitening(double[] scatter, int b, long n) {
    this.channels = b;
    double[] s = new double[b * b];
    double trace = 0;
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        s[i * b + j] = scatter[i * (b + 1) + j] / n;
      }
      trace += s[i * b + i];
    }
    largest = UdasFit.largestEigenvalue(s, b);
    for (int i = 0; i < b; i++) {
      s[i * b + i] += 1e-12 * trace / b;
    }
    lower = cholesky(s, b);
  }

  /** The lower Cholesky factor of the symmetric {@code s} (n × n), or bad input when it is not positive definite. */
  private static double[] cholesky(double[] s, int n) {
    double[] l = new double[n * n];
    for (int j = 0; j < n; j++) {
      double d = s[j * n + j];
      for (int k = 0; k < j; k++) {
        d -= l[j * n + k] * l[j * n + k];
      }
      if (!(d > 0)) {
        throw new BadInputException("input", "the spectra's scatter is not positive definite (constant "
            + "channels?); the uDAS encoder cannot be fitted");
      }
      double djj = Math.sqrt(d);
      l[j * n + j] = djj;
      for (int i = j + 1; i < n; i++) {
        double v = s[i * n + j];
        for (int k = 0; k < j; k++) {
          v -= l[i * n + k] * l[j * n + k];
        }
        l[i * n + j] = v / djj;
      }
    }
    return l;
  }

  /** {@code Z = W1 L} for W1 (R × B, row-major). */
  double[] whiten(double[] w1, int r) {
    int b = channels;
    double[] z = new double[r * b];
    for (int s = 0; s < r; s++) {
      for (int j = 0; j < b; j++) {
        double v = 0;
        for (int i = j; i < b; i++) {
          v += w1[s * b + i] * lower[i * b + j];
        }
        z[s * b + j] = v;
      }
    }
    return z;
  }

  /** {@code W1 = Z L⁻¹}: each row solves {@code Lᵀ w = z} (back substitution). */
  double[] unwhiten(double[] z, int r) {
    int b = channels;
    double[] w1 = new double[r * b];
    for (int s = 0; s < r; s++) {
      for (int i = b - 1; i >= 0; i--) {
        double v = z[s * b + i];
        for (int k = i + 1; k < b; k++) {
          v -= lower[k * b + i] * w1[s * b + k];
        }
        w1[s * b + i] = v / lower[i * b + i];
      }
    }
    return w1;
  }

  /** The gradient in Z from the gradient G in W1: {@code G L⁻ᵀ}, each row solving {@code L v = g} (forward). */
  double[] gradientToWhite(double[] g, int r) {
    int b = channels;
    double[] v = new double[r * b];
    for (int s = 0; s < r; s++) {
      for (int i = 0; i < b; i++) {
        double x = g[s * b + i];
        for (int k = 0; k < i; k++) {
          x -= lower[i * b + k] * v[s * b + k];
        }
        v[s * b + i] = x / lower[i * b + i];
      }
    }
    return v;
  }

  /** {@code M S⁻¹ = (M L⁻ᵀ) L⁻¹} for M (R × B, row-major). */
  double[] solve(double[] m, int r) {
    return unwhiten(gradientToWhite(m, r), r);
  }
}
