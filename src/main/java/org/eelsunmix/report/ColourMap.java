package org.eelsunmix.report;

/**
 * The perceptually uniform "viridis" colour map of matplotlib (van der Walt and Smith, 2015), dark violet at 0 to
 * yellow at 1, as nine of its colours with linear interpolation between them: readable in grey print and by
 * colour-blind readers, the usual choice for abundance maps.
 */
public final class ColourMap {
  private ColourMap() {}

  /** viridis at 0, 1/8, ..., 1 (RGB). */
  private static final int[][] VIRIDIS = {
      {68, 1, 84}, {72, 40, 120}, {62, 73, 137}, {49, 104, 142}, {38, 130, 142}, {31, 158, 137}, {53, 183, 121},
      {110, 206, 88}, {253, 231, 37}};

  /** The colour of {@code t} (clamped to [0, 1]; NaN is black) as packed {@code 0xRRGGBB}. */
  public static int viridis(double t) {
    if (Double.isNaN(t)) {
      return 0;
    }
    double u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
    int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(u));
    double f = u - i;
    int rgb = 0;
    for (int c = 0; c < 3; c++) {
      int v = (int) Math.round(VIRIDIS[i][c] + f * (VIRIDIS[i + 1][c] - VIRIDIS[i][c]));
      rgb = (rgb << 8) | v;
    }
    return rgb;
  }
}
