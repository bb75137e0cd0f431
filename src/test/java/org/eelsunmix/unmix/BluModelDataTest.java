package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * BLU on data drawn from its own model, y = M a + n with a uniform on the simplex and n ~ N(0, σ² I), against the
 * same endmembers and noise with the built-in cube's chequerboard abundances: where the drift of the posterior mean
 * on the built-in cubes comes from. The endmembers are the co-ru-pt set's at the default dose 1e5 (B = 200), σ² the
 * mean count (the Poisson cube's average variance), 64 × 64 pixels; the truth is known, so every check is against it.
 */
class BluModelDataTest {
  private static final SyntheticGenerator.Options SET = SyntheticGenerator.Options.builtin("co-ru-pt");
  private static final Endmembers TRUTH = SyntheticGenerator.truth(SET, 0).endmembers();
  private static final int R = TRUTH.count();

  @Test
  void onDataFromItsOwnModelThePosteriorMeanConvergesToTheTruthAndBeatsVcaFcls() {
    Abundances a = uniformOnTheSimplex(64, 3);
    double sigma2 = meanCount();
    SpectrumImage image = mix(a, Math.sqrt(sigma2), 4);
    Blu.Result authors = Blu.fit(image, new Blu.Options(R, 1));
    Blu.Result longer = Blu.fit(image, new Blu.Options(R, 1, 300, 100, 1));
    Vca.Result vca = Vca.fit(image, new Vca.Options(R, 1));
    UnmixingScores b100 = UnmixingScores.score(TRUTH, a, authors.endmembers(), authors.abundances(), image);
    UnmixingScores b300 = UnmixingScores.score(TRUTH, a, longer.endmembers(), longer.abundances(), image);
    UnmixingScores v = UnmixingScores.score(TRUTH, a, vca.endmembers(),
        new Fcls(vca.endmembers().matrix()).unmix(image), image);
    String figures = String.format("SAD BLU 100 sweeps %.5f, 300 sweeps %.5f, VCA-FCLS %.5f; NMSE %.5f, %.5f, %.5f",
        b100.meanSad(), b300.meanSad(), v.meanSad(), b100.meanNmse(), b300.meanNmse(), v.meanNmse());
    assertTrue(b100.meanSad() <= v.meanSad() && b100.meanNmse() <= v.meanNmse(), figures);
    // no drift: more sweeps only sharpen the estimate (measured 0.0031 → 0.0028)
    assertTrue(b300.meanSad() <= b100.meanSad() * 1.05, figures);
    assertEquals(1, spread(longer.endmembers()), 0.02, "simplex size against the truth's; " + figures);
    assertEquals(sigma2, longer.outcome().noiseVariance(), 0.01 * sigma2, "σ²");
  }

  /**
   * The built-in cubes' abundances are not uniform on the simplex: the filtered chequerboard piles pixels at the
   * vertices and along the edges. Noise scatters those piles across the simplex's faces, where the uniform prior has
   * no mass, so the posterior widens the simplex by a few noise standard deviations in the subspace: an O(σ) bias of
   * the posterior itself, which a chain started at VCA approaches over hundreds of sweeps. Measured: spread − 1 at 100
   * sweeps 0.069 at σ, 0.008 at σ/10, at 300 sweeps 0.087 (SAD 0.0101 and 0.0013 after 100 sweeps, VCA-FCLS's
   * 0.0057 and 0.0006).
   */
  @Test
  void onChequerboardAbundancesThePosteriorSimplexIsWiderThanTheTruthInProportionToTheNoise() {
    Abundances a = SyntheticGenerator.truth(SET, 0).abundances();
    double sigma = Math.sqrt(meanCount());
    SpectrumImage noisy = mix(a, sigma, 5);
    double wide100 = spread(Blu.fit(noisy, new Blu.Options(R, 1)).endmembers()) - 1;
    double wide300 = spread(Blu.fit(noisy, new Blu.Options(R, 1, 300, 100, 1)).endmembers()) - 1;
    double quiet100 = spread(Blu.fit(mix(a, sigma / 10, 5), new Blu.Options(R, 1)).endmembers()) - 1;
    String figures = String.format("spread − 1: σ 100 sweeps %.4f, 300 sweeps %.4f; σ/10 100 sweeps %.4f", wide100,
        wide300, quiet100);
    assertTrue(wide100 > 0.03 && wide300 > wide100, "wider than the truth, and more so with sweeps: " + figures);
    assertTrue(quiet100 > 0 && wide100 / quiet100 > 4 && wide100 / quiet100 < 15, "about ∝ σ: " + figures);
  }

  /** Σ_r ‖m_r − c‖ over the same sum for the truth, c the truth's centroid: 1 when the simplex has the truth's size. */
  private static double spread(Endmembers estimate) {
    double[][] t = TRUTH.matrix();
    int b = t[0].length;
    double[] centre = new double[b];
    for (double[] row : t) {
      for (int c = 0; c < b; c++) {
        centre[c] += row[c] / t.length;
      }
    }
    return distances(estimate.matrix(), centre) / distances(t, centre);
  }

  private static double distances(double[][] m, double[] centre) {
    double s = 0;
    for (double[] row : m) {
      double q = 0;
      for (int c = 0; c < centre.length; c++) {
        q += (row[c] - centre[c]) * (row[c] - centre[c]);
      }
      s += Math.sqrt(q);
    }
    return s;
  }

  private static double meanCount() {
    double s = 0;
    for (double[] row : TRUTH.matrix()) {
      for (double v : row) {
        s += v;
      }
    }
    return s / (R * TRUTH.channels());
  }

  /** Abundances uniform on the simplex (normalised exponentials), size × size pixels. */
  private static Abundances uniformOnTheSimplex(int size, long seed) {
    KeyedRandom rng = new KeyedRandom(seed);
    double[] a = new double[size * size * R];
    for (int p = 0; p < size * size; p++) {
      double s = 0;
      for (int e = 0; e < R; e++) {
        a[p * R + e] = rng.nextExponential();
        s += a[p * R + e];
      }
      for (int e = 0; e < R; e++) {
        a[p * R + e] /= s;
      }
    }
    return new Abundances(size, size, R, a);
  }

  /** {@code M a + n}, n ~ N(0, σ² I). */
  private static SpectrumImage mix(Abundances a, double sigma, long seed) {
    double[][] m = TRUTH.matrix();
    int b = TRUTH.channels();
    double[] values = a.values();
    int n = a.height() * a.width();
    float[] data = new float[n * b];
    KeyedRandom rng = new KeyedRandom(seed);
    for (int p = 0; p < n; p++) {
      for (int c = 0; c < b; c++) {
        double y = 0;
        for (int e = 0; e < R; e++) {
          y += values[p * R + e] * m[e][c];
        }
        data[p * b + c] = (float) (y + sigma * rng.nextGaussian());
      }
    }
    return new SpectrumImage("model", a.height(), a.width(), TRUTH.axis(), data);
  }
}
