package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.eval.Matching;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link FactorIca} against numbers printed by HyperSpy 1.7.3 (scikit-learn 1.2.1, numpy 1.24.2) for
 * {@code s.decomposition(); s.blind_source_separation(3, random_state=0)} on the cube of
 * {@code generate --set co-ru-pt --size 64 --seed 5 --format npy} (replicate 0, 64 × 64 × 200 float32, energy axis
 * 200 eV + 3.33 eV/channel set on the signal axis), by {@code src/test/resources/reference/hyperspy_bss.py}. The
 * same cube is generated here in memory (the generator is bit-reproducible). HyperSpy's SVD runs in float32 on a
 * float32 cube, so its factors carry about 1e-7 relative error; HyperSpy's result moved by 2e-7 between
 * random_state 0, 1 and 7. FastICA stops when {@code 1 − |cos|} between successive rows is below 1e-10, i.e. within
 * about √(2·1e-10) ≈ 1.4e-5 rad of its fixed point, so factors are compared to 3e-5 of their largest value (ours
 * agree with HyperSpy's to about 1e-6 on this cube; our starts differ from numpy's draws).
 */
class FactorIcaHyperSpyTest {
  /** {@code bss_factors[::10]} of each component, in HyperSpy's order and signs. */
  static final double[][] FACTORS_EVERY_10 = {
      {379.9198913574219, 246.21109008789062, 168.6943359375, 132.97605895996094, 119.81062316894531, 96.11625671386719, 77.97225952148438, 64.52063751220703, 54.27027893066406, 46.2253532409668, 39.93645095825195, 34.80961227416992, 30.606979370117188, 27.131559371948242, 24.398584365844727, 21.914180755615234, 19.76263999938965, 18.00362205505371, 16.515289306640625, 15.136434555053711},
      {78.07550811767578, 77.56731414794922, 67.2744140625, 60.28777313232422, 55.71267318725586, 47.703617095947266, 41.316192626953125, 35.59716033935547, 31.29724884033203, 27.531339645385742, 24.30232810974121, 21.652681350708008, 19.231666564941406, 17.191415786743164, 15.657925605773926, 14.258780479431152, 12.563971519470215, 10.406193733215332, -14.846125602722168, -10.183825492858887},
      {134.2206268310547, 135.89892578125, 121.30903625488281, 45.42851638793945, -59.17605972290039, -59.685482025146484, -54.010616302490234, -50.17973327636719, -46.27394485473633, -42.83913803100586, -40.143882751464844, -37.92820358276367, -36.10564422607422, -34.070682525634766, -32.733341217041016, -30.93292999267578, -29.446949005126953, -28.06829071044922, -26.387861251831055, -25.5556583404541}};
  static final double[] FACTOR_NORMS = {1485.82353444093, 556.2738807660925, 863.0115629131435};
  static final int[] LOADING_PIXELS = {0, 1000, 2345, 4095};
  /** {@code bss_loadings} of those pixels (raster order). */
  static final double[][] LOADINGS = {
      {6.514813423156738, 0.08136510848999023, -2.0202319622039795},
      {7.402108192443848, -1.1250369548797607, 0.43855759501457214},
      {8.560017585754395, -3.59208345413208, 1.2193386554718018},
      {6.4049763679504395, 0.2148848921060562, -1.9674077033996582}};
  /** SAD (rad) of the matched factor to each true endmember (Co, Ru, Pt), and their mean. */
  static final double[] SAD = {0.9883958520692987, 0.3335342503286216, 0.09992972385544378};
  static final double MEAN_SAD = 0.47395327541778803;

  static SyntheticCube cube;
  static BssComponents ours;

  @BeforeAll
  static void fit() {
    cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(64).withSeed(5), 0);
    ours = FactorIca.fit(cube.image(), FactorIca.options(3, 0));
  }

  /** Our row matching HyperSpy's component r, and its sign: the largest |cosine| over the sampled channels. */
  static int[][] pairing(BssComponents bss) {
    int n = FACTORS_EVERY_10.length;
    int[][] pairs = new int[n][2];
    for (int r = 0; r < n; r++) {
      double best = -1;
      for (int q = 0; q < n; q++) {
        double dot = 0;
        double norm = 0;
        double ref = 0;
        for (int i = 0; i < FACTORS_EVERY_10[r].length; i++) {
          double v = bss.mixing()[q][10 * i];
          dot += v * FACTORS_EVERY_10[r][i];
          norm += v * v;
          ref += FACTORS_EVERY_10[r][i] * FACTORS_EVERY_10[r][i];
        }
        double cos = dot / Math.sqrt(norm * ref);
        if (Math.abs(cos) > best) {
          best = Math.abs(cos);
          pairs[r][0] = q;
          pairs[r][1] = cos < 0 ? -1 : 1;
        }
      }
    }
    for (int r = 1; r < n; r++) {
      for (int q = 0; q < r; q++) {
        assertNotEquals(pairs[q][0], pairs[r][0], "two HyperSpy components matched to one of ours");
      }
    }
    return pairs;
  }

  @Test
  void factorsEqualHyperSpysUpToPermutationAndSign() {
    int[][] pairs = pairing(ours);
    for (int r = 0; r < FACTORS_EVERY_10.length; r++) {
      double[] a = ours.mixing()[pairs[r][0]];
      double scale = 0;
      for (double v : FACTORS_EVERY_10[r]) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < FACTORS_EVERY_10[r].length; i++) {
        assertEquals(FACTORS_EVERY_10[r][i], pairs[r][1] * a[10 * i], 3e-5 * scale, "factor " + r + ", channel "
            + 10 * i);
      }
      double norm = 0;
      for (double v : a) {
        norm += v * v;
      }
      assertEquals(FACTOR_NORMS[r], Math.sqrt(norm), 3e-5 * FACTOR_NORMS[r], "norm of factor " + r);
    }
    // HyperSpy's sorting and reversal rule leave nothing to permute or flip: the same order and signs.
    for (int r = 0; r < pairs.length; r++) {
      assertEquals(r, pairs[r][0], "order");
      assertEquals(1, pairs[r][1], "sign");
    }
    assertTrue(ours.converged(), "converged at tol 1e-10 after " + ours.iterations());
  }

  @Test
  void loadingsEqualHyperSpys() {
    int[][] pairs = pairing(ours);
    int b = cube.image().channels();
    double[] s = new double[3];
    for (int i = 0; i < LOADING_PIXELS.length; i++) {
      ours.sources(cube.image().data(), LOADING_PIXELS[i] * b, s);
      double scale = 0;
      for (double v : LOADINGS[i]) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int r = 0; r < 3; r++) {
        assertEquals(LOADINGS[i][r], pairs[r][1] * s[pairs[r][0]], 3e-5 * scale, "pixel " + LOADING_PIXELS[i]
            + ", component " + r);
      }
    }
  }

  @Test
  void meanSadToTheTruthIsHyperSpys() {
    Matching m = Matching.bySpectralAngle(cube.truthEndmembers(), ours.endmembers(cube.image().axis()));
    double mean = 0;
    for (int t = 0; t < SAD.length; t++) {
      assertEquals(SAD[t], m.angles()[t], 1e-5, "SAD of true endmember " + t);
      mean += m.angles()[t] / SAD.length;
    }
    assertEquals(MEAN_SAD, mean, 0.01);
    assertEquals(MEAN_SAD, mean, 1e-5);
  }

  @Test
  void theStartDoesNotMatter() {
    for (long seed : new long[] {1, 42}) {
      BssComponents other = FactorIca.fit(cube.image(), FactorIca.options(3, seed));
      for (int r = 0; r < 3; r++) {
        double scale = 0;
        for (double v : ours.mixing()[r]) {
          scale = Math.max(scale, Math.abs(v));
        }
        for (int j = 0; j < ours.channels(); j++) {
          assertEquals(ours.mixing()[r][j], other.mixing()[r][j], 3e-5 * scale, "seed " + seed + ", factor " + r);
        }
      }
    }
  }
}
