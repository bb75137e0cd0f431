package org.eelsunmix.synth;

import java.util.SplittableRandom;
import org.eelsunmix.core.Abundances;

/**
 * Pure-pixel abundance maps for synthetic data: a {@code size × size} image cut into {@code block × block}
 * squares, each square given wholly (abundance 1) to one endmember drawn uniformly at random, independently of
 * the other squares. This is the first step of the classic synthetic protocol of L. Miao and H. Qi, "Endmember
 * extraction from highly mixed data using minimum volume constrained nonnegative matrix factorization",
 * <i>IEEE Trans. Geosci. Remote Sens.</i> 45 (2007) 765–777 (64 × 64 pixels, 8 × 8 blocks, then a low-pass
 * filter, here {@link MixingFilter}), in the form the project follows after Palsson et al. (2018). Two choices
 * differ from Miao and Qi: each square is drawn independently (they deal the labels out in equal numbers), and
 * the filter mirrors the borders instead of cropping them, so the maps keep their {@code size × size}.
 *
 * <p>{@code block} must divide {@code size}, so that every square is whole and every endmember has the same
 * chance of every pixel.
 *
 * @param size image width and height in pixels, ≥ 1
 * @param block side of a square in pixels, ≥ 1, dividing {@code size}
 */
public record ChequerboardMaps(int size, int block) {
  /** Validates (programming errors; {@link SyntheticGenerator.Options} reports user errors by option). */
  public ChequerboardMaps {
    if (size < 1 || block < 1 || size % block != 0) {
      throw new IllegalArgumentException("chequerboard needs size ≥ 1 and a block that divides it, got size "
          + size + ", block " + block);
    }
  }

  /** Number of squares along one side. */
  public int blocksPerSide() {
    return size / block;
  }

  /**
   * Draws the endmember of each square, row-major over the {@code blocksPerSide²} squares, each uniform in
   * {@code [0, count)}.
   */
  public int[] drawLabels(int count, SplittableRandom random) {
    if (count < 1) {
      throw new IllegalArgumentException("need at least one endmember, got " + count);
    }
    int[] labels = new int[blocksPerSide() * blocksPerSide()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(count);
    }
    return labels;
  }

  /** The one-hot maps of {@code labels} (from {@link #drawLabels}) for {@code count} endmembers. */
  public Abundances paint(int[] labels, int count) {
    int n = blocksPerSide();
    if (labels.length != n * n) {
      throw new IllegalArgumentException(labels.length + " labels for " + n + " x " + n + " squares");
    }
    double[] values = new double[size * size * count];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int label = labels[(y / block) * n + x / block];
        if (label < 0 || label >= count) {
          throw new IllegalArgumentException("label " + label + " outside [0, " + count + ")");
        }
        values[(y * size + x) * count + label] = 1.0;
      }
    }
    return new Abundances(size, size, count, values);
  }

  /** Draws and paints: one-hot maps for {@code count} endmembers. */
  public Abundances draw(int count, SplittableRandom random) {
    return paint(drawLabels(count, random), count);
  }
}
