package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BLU's endmember and noise conditionals against references computed here from the joint density itself, on tiny
 * problems: the log-density of one endmember's coordinates, {@code −Σ_p ‖y_p − M a_p‖²/(2σ²) − ‖t − t⁰‖²/(2 s₀²)}
 * with the whole spectra (not the subspace sums the sampler uses), is a quadratic whose gradient and Hessian by
 * central differences give the Gaussian's mean and covariance; with a non-negativity bound cutting through it, its
 * truncated moments come from quadrature. The residual the σ² step uses must equal ‖Y − MA‖² of the spectra, and
 * σ² must follow IG(NB/2, ‖Y − MA‖²/2).
 */
class BluConditionalsTest {
  private static final int B = 6;
  private static final int N = 30;

  /** A small BLU problem held as whole spectra: subspace basis, mean, abundances, pixels and its statistics. */
  private static final class Problem {
    final int r;
    final double[] basis; // K × B, orthonormal rows
    final double[] ybar;
    final double[][] a = new double[N][];
    final double[][] y = new double[N][];
    final BluStatistics stats;
    final double outside;
    final double inside;

    Problem(int r, double[] ybar, double[][] z, long seed) {
      this.r = r;
      int k = r - 1;
      this.ybar = ybar;
      SplittableRandom rnd = new SplittableRandom(seed);
      basis = orthonormalRows(k, rnd);
      BluStep.Start start = new BluStep.Start(basis, ybar, 1, new double[r * B], r, 1e3, 1e6, N);
      BluStatistics norms = start.newStatistics();
      stats = start.newStatistics();
      double[] zz = new double[N * k];
      double[] first = new double[r];
      double[] work = new double[B];
      for (int p = 0; p < N; p++) {
        a[p] = simplexPoint(r, rnd);
        float[] spectrum = new float[B];
        y[p] = new double[B];
        for (int c = 0; c < B; c++) {
          double v = ybar[c] + 0.3 * rnd.nextDouble(); // some of each pixel lies outside the subspace
          for (int i = 0; i < k; i++) {
            v += basis[i * B + c] * z[p % z.length][i] * (0.8 + 0.4 * rnd.nextDouble());
          }
          spectrum[c] = (float) v;
          y[p][c] = spectrum[c];
        }
        start.pixel(spectrum, 0, zz, p * k, first, 0, work, norms);
        stats.add(zz, p * k, a[p], 0);
      }
      outside = norms.outside();
      inside = norms.inside();
    }

    /** {@code Σ_p ‖y_p − M a_p‖²} from the whole spectra, M's rows {@code U t_r + ȳ}. */
    double residual(double[][] t) {
      double[][] m = new double[r][];
      for (int e = 0; e < r; e++) {
        m[e] = Blu.spectrum(basis, ybar, t[e]);
      }
      double s = 0;
      for (int p = 0; p < N; p++) {
        for (int c = 0; c < B; c++) {
          double d = y[p][c];
          for (int e = 0; e < r; e++) {
            d -= m[e][c] * a[p][e];
          }
          s += d * d;
        }
      }
      return s;
    }

    /** Log of the joint density as a function of endmember 0's coordinates, the others fixed (up to a constant). */
    double logDensity(double[][] t, double[] t0, double[] prior0, double sigma2) {
      double[][] tt = t.clone();
      tt[0] = t0;
      double prior = 0;
      for (int i = 0; i < t0.length; i++) {
        prior += (t0[i] - prior0[i]) * (t0[i] - prior0[i]);
      }
      return -residual(tt) / (2 * sigma2) - prior / (2 * Blu.PRIOR_VARIANCE);
    }
  }

  @Test
  void theEndmemberDrawMatchesTheConditionalOfTheJointDensity() {
    int r = 3;
    double[] ybar = new double[B];
    java.util.Arrays.fill(ybar, 50); // far from zero: no non-negativity bound within reach
    Problem pb = new Problem(r, ybar, new double[][] {{1.5, -0.4}, {-0.7, 1.1}, {0.2, -1.3}}, 5);
    double[][] t = {{0.9, -0.2}, {-0.5, 0.8}, {0.1, -1.0}};
    double[][] prior = {{1.4, -0.3}, {-0.6, 1.2}, {0.3, -1.2}};
    double sigma2 = 0.8;
    // the Gaussian of t_0 from the joint density: mean −H⁻¹g, covariance −H⁻¹ (the log-density is quadratic)
    double[][] hessian = new double[2][2];
    double[] gradient = new double[2];
    double h = 0.5;
    for (int i = 0; i < 2; i++) {
      gradient[i] = (pb.logDensity(t, unit(i, h), prior[0], sigma2) - pb.logDensity(t, unit(i, -h), prior[0], sigma2))
          / (2 * h);
      for (int j = 0; j < 2; j++) {
        hessian[i][j] = (pb.logDensity(t, plus(unit(i, h), unit(j, h)), prior[0], sigma2)
            - pb.logDensity(t, plus(unit(i, h), unit(j, -h)), prior[0], sigma2)
            - pb.logDensity(t, plus(unit(i, -h), unit(j, h)), prior[0], sigma2)
            + pb.logDensity(t, plus(unit(i, -h), unit(j, -h)), prior[0], sigma2)) / (4 * h * h);
      }
    }
    double det = hessian[0][0] * hessian[1][1] - hessian[0][1] * hessian[1][0];
    double[][] cov = {{-hessian[1][1] / det, hessian[0][1] / det}, {hessian[1][0] / det, -hessian[0][0] / det}};
    double[] mean = {cov[0][0] * gradient[0] + cov[0][1] * gradient[1],
        cov[1][0] * gradient[0] + cov[1][1] * gradient[1]};

    int draws = 40_000;
    KeyedRandom rng = new KeyedRandom(KeyedRandom.key(3, 4));
    double[] s = new double[2];
    double[][] s2 = new double[2][2];
    for (int n = 0; n < draws; n++) {
      double[][] tt = {t[0].clone(), t[1].clone(), t[2].clone()};
      Blu.drawEndmembers(tt, prior, pb.stats, sigma2, pb.basis, pb.ybar, rng);
      for (int i = 0; i < 2; i++) {
        s[i] += tt[0][i];
        for (int j = 0; j < 2; j++) {
          s2[i][j] += tt[0][i] * tt[0][j];
        }
      }
    }
    for (int i = 0; i < 2; i++) {
      double m = s[i] / draws;
      assertEquals(mean[i], m, 5 * Math.sqrt(cov[i][i] / draws), "mean of coordinate " + i);
      for (int j = 0; j < 2; j++) {
        double c = s2[i][j] / draws - m * (s[j] / draws);
        assertEquals(cov[i][j], c, 5 * Math.sqrt((cov[i][i] * cov[j][j] + cov[i][j] * cov[i][j]) / draws),
            "covariance " + i + "," + j);
      }
    }
    // the textbook conditional uses the other endmembers' current values, not their prior means (the authors'
    // MATLAB): here the two differ by many standard errors
    assertTrue(Math.abs(mean[0] - prior[0][0]) > 20 * Math.sqrt(cov[0][0] / draws), "the data move the mean");
  }

  @Test
  void aNonNegativityBoundTruncatesTheDrawAsTheJointDensityDoes() {
    int r = 2;
    double[] ybar = new double[B];
    java.util.Arrays.fill(ybar, 50);
    Problem free = new Problem(r, ybar, new double[][] {{1.2}, {-0.9}}, 8);
    double[][] t = {{0.6}, {-0.4}};
    double[][] prior = {{0.8}, {-0.5}};
    double sigma2 = 1.5;
    // locate the untruncated conditional of t_0 from the density, then move ȳ on one channel (the largest |u_c|
    // for which ȳ_c stays positive) until its bound sits half a standard deviation inside that Gaussian
    double f0 = free.logDensity(t, new double[] {0}, prior[0], sigma2);
    double fp = free.logDensity(t, new double[] {1}, prior[0], sigma2);
    double fm = free.logDensity(t, new double[] {-1}, prior[0], sigma2);
    double precision = -(fp - 2 * f0 + fm);
    double mu = (fp - fm) / 2 / precision;
    double sd = 1 / Math.sqrt(precision);
    int channel = -1;
    double level = 0;
    for (int c = 0; c < B; c++) {
      double u = free.basis[c];
      double bound = mu + Math.signum(-u) * 0.5 * sd; // u t + ȳ_c ≥ 0 cuts the side where u t decreases
      if (-u * bound > 0 && (channel < 0 || Math.abs(u) > Math.abs(free.basis[channel]))) {
        channel = c;
        level = -u * bound;
      }
    }
    assertTrue(channel >= 0, "a channel to bound");
    double[] low = ybar.clone();
    low[channel] = level;
    Problem pb = new Problem(r, low, new double[][] {{1.2}, {-0.9}}, 8);

    // the reference: quadrature of the density over the feasible set {U t + ȳ ≥ 0} of a fine grid
    double total = 0;
    double first = 0;
    double second = 0;
    int cells = 200_000;
    double from = mu - 12 * sd;
    double step = 24 * sd / cells;
    double fmu = pb.logDensity(t, new double[] {mu}, prior[0], sigma2);
    for (int i = 0; i < cells; i++) {
      double x = from + (i + 0.5) * step;
      double[] m = Blu.spectrum(pb.basis, pb.ybar, new double[] {x});
      boolean feasible = true;
      for (double v : m) {
        feasible &= v >= 0;
      }
      if (feasible) {
        double w = Math.exp(pb.logDensity(t, new double[] {x}, prior[0], sigma2) - fmu);
        total += w;
        first += w * x;
        second += w * x * x;
      }
    }
    double mean = first / total;
    double variance = second / total - mean * mean;

    int draws = 40_000;
    KeyedRandom rng = new KeyedRandom(KeyedRandom.key(9, 9));
    double s = 0;
    double s2 = 0;
    for (int n = 0; n < draws; n++) {
      double[][] tt = {t[0].clone(), t[1].clone()};
      Blu.drawEndmembers(tt, prior, pb.stats, sigma2, pb.basis, pb.ybar, rng);
      for (double v : Blu.spectrum(pb.basis, pb.ybar, tt[0])) {
        assertTrue(v >= -1e-9, "a drawn endmember spectrum is negative: " + v);
      }
      s += tt[0][0];
      s2 += tt[0][0] * tt[0][0];
    }
    double m = s / draws;
    assertEquals(mean, m, 5 * Math.sqrt(variance / draws), "truncated mean");
    assertEquals(variance, s2 / draws - m * m, 5 * variance * Math.sqrt(2.0 / draws), "truncated variance");
    assertTrue(Math.abs(mean - mu) > 0.1 * sd && variance < 0.8 * sd * sd, "the bound shapes the conditional: mean "
        + mean + " vs " + mu + ", variance " + variance + " vs " + sd * sd);
  }

  @Test
  void theNoiseResidualIsThatOfTheWholeSpectra() {
    Problem pb = new Problem(4, new double[] {5, 3, 8, 6, 2, 4}, new double[][] {{0.5, -1, 0.3}, {-0.4, 0.2, 1}},
        13);
    double[][] t = {{0.3, 0.1, -0.2}, {-0.6, 0.4, 0.2}, {0.2, -0.5, 0.7}, {0.1, 0.9, -0.4}};
    double direct = pb.residual(t);
    assertEquals(direct, Blu.residual(pb.outside, pb.inside, t, pb.stats), 1e-9 * direct);
  }

  @Test
  void theNoiseVarianceFollowsItsInverseGammaConditional() {
    double residual = 30;
    double values = 40;
    double shape = values / 2;
    double scale = residual / 2;
    int draws = 50_000;
    KeyedRandom rng = new KeyedRandom(17);
    double s = 0;
    double s2 = 0;
    double precisionSum = 0;
    for (int n = 0; n < draws; n++) {
      double v = Blu.drawNoiseVariance(residual, values, rng);
      s += v;
      s2 += v * v;
      precisionSum += 1 / v;
    }
    double mean = scale / (shape - 1);
    double variance = scale * scale / ((shape - 1) * (shape - 1) * (shape - 2));
    double m = s / draws;
    assertEquals(mean, m, 5 * Math.sqrt(variance / draws), "IG mean β/(α−1)");
    // an IG(20)'s kurtosis is about 5: the sample variance's standard error is about 2σ²/√n
    assertEquals(variance, s2 / draws - m * m, 10 * variance / Math.sqrt(draws), "IG variance β²/((α−1)²(α−2))");
    // 1/σ² ~ Gamma(α, rate β): mean α/β
    assertEquals(shape / scale, precisionSum / draws, 5 * Math.sqrt(shape) / scale / Math.sqrt(draws), "1/σ² mean");
  }

  private static double[] unit(int i, double h) {
    double[] v = new double[2];
    v[i] = h;
    return v;
  }

  private static double[] plus(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1]};
  }

  private static double[] orthonormalRows(int k, SplittableRandom rnd) {
    double[] u = new double[k * B];
    for (int i = 0; i < k; i++) {
      for (int c = 0; c < B; c++) {
        u[i * B + c] = rnd.nextDouble() - 0.5;
      }
      for (int j = 0; j < i; j++) {
        double d = 0;
        for (int c = 0; c < B; c++) {
          d += u[i * B + c] * u[j * B + c];
        }
        for (int c = 0; c < B; c++) {
          u[i * B + c] -= d * u[j * B + c];
        }
      }
      double n = 0;
      for (int c = 0; c < B; c++) {
        n += u[i * B + c] * u[i * B + c];
      }
      for (int c = 0; c < B; c++) {
        u[i * B + c] /= Math.sqrt(n);
      }
    }
    return u;
  }

  private static double[] simplexPoint(int r, SplittableRandom rnd) {
    double[] a = new double[r];
    double s = 0;
    for (int e = 0; e < r; e++) {
      a[e] = -Math.log(1 - rnd.nextDouble());
      s += a[e];
    }
    for (int e = 0; e < r; e++) {
      a[e] /= s;
    }
    return a;
  }
}
