package org.eelsunmix.synth;

import org.eelsunmix.core.Abundances;

/**
 * Mixes neighbouring pure regions: a {@code k × k} moving average (box low-pass filter) applied to each abundance
 * map, {@code a'(y, x) = (1/k²) Σ_{|i|,|j| ≤ (k−1)/2} a(y + i, x + j)}, the second step of the chequerboard
 * protocol ({@link ChequerboardMaps}). Pixels near a block edge become mixtures of the neighbouring endmembers;
 * with {@code k} smaller than the block, block centres stay pure.
 *
 * <p><b>Border rule: mirror reflection about the pixel edge</b> (half-sample symmetric; SciPy
 * {@code ndimage} mode {@code 'reflect'}, NumPy {@code pad} mode {@code 'symmetric'}): outside the map the rows
 * and columns repeat in reverse, edge pixel included, {@code ... c b a | a b c d | d c b ...}, i.e. index
 * {@code −1 → 0}, {@code −2 → 1} and {@code n → n−1}, {@code n+1 → n−2}. Every output is then an average of
 * exactly {@code k²} input values, so, since the filter is linear and the maps sum to one at every pixel, the
 * filtered maps are ≥ 0 and still sum to one (to rounding).
 *
 * <p>The filter is separable: a horizontal pass into a work buffer, then a vertical pass.
 *
 * @param k the window side, odd and ≥ 1 ({@code k = 1} leaves the maps unchanged)
 */
public record MixingFilter(int k) {
  /** Validates. */
  public MixingFilter {
    if (k < 1 || k % 2 == 0) {
      throw new IllegalArgumentException("the mixing filter needs an odd window ≥ 1, got " + k);
    }
  }

  /** The filtered maps (new arrays). */
  public Abundances apply(Abundances maps) {
    int h = maps.height();
    int w = maps.width();
    int r = maps.count();
    double[] out = new double[h * w * r];
    apply(maps.values(), h, w, r, new double[h * w * r], out);
    return new Abundances(h, w, r, out);
  }

  /**
   * The kernel: filters pixel-major maps {@code in[(y·width + x)·count + r]} into {@code out} (same layout).
   *
   * @param in the maps, not modified
   * @param work a buffer of at least {@code height·width·count} values, overwritten
   * @param out the result, {@code height·width·count} values, overwritten; must not be {@code in} or {@code work}
   */
  public void apply(double[] in, int height, int width, int count, double[] work, double[] out) {
    int half = (k - 1) / 2;
    if (half > height || half > width) {
      throw new IllegalArgumentException(String.format(
          "a %d x %d window cannot be mirrored inside a %d x %d map", k, k, height, width));
    }
    int n = height * width * count;
    if (in.length < n || work.length < n || out.length < n) {
      throw new IllegalArgumentException("buffers too short for " + height + " x " + width + " x " + count);
    }
    if (out == in || out == work) {
      throw new IllegalArgumentException("the output must be its own array");
    }
    double norm = 1.0 / ((double) k * k);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int o = (y * width + x) * count;
        for (int r = 0; r < count; r++) {
          double sum = 0.0;
          for (int j = -half; j <= half; j++) {
            sum += in[(y * width + mirror(x + j, width)) * count + r];
          }
          work[o + r] = sum;
        }
      }
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int o = (y * width + x) * count;
        for (int r = 0; r < count; r++) {
          double sum = 0.0;
          for (int i = -half; i <= half; i++) {
            sum += work[(mirror(y + i, height) * width + x) * count + r];
          }
          out[o + r] = sum * norm;
        }
      }
    }
  }

  /** Half-sample symmetric reflection of index {@code i} into {@code [0, n)}, valid for {@code −n ≤ i < 2n}. */
  static int mirror(int i, int n) {
    if (i < 0) {
      return -i - 1;
    }
    if (i >= n) {
      return 2 * n - i - 1;
    }
    return i;
  }
}
