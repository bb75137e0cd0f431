package org.eelsunmix.core;

import java.util.Objects;

/**
 * Abundance maps: for each pixel {@code (y, x)} of a {@code height × width} image, the proportions of the
 * {@code R} endmembers. Stored pixel-major ({@code values[(y * width + x) * R + r]}), the order of a C-order
 * NumPy array of shape {@code (rows, cols, R)}.
 *
 * <p>Fully constrained methods (FCLS, autoencoders) give {@code a ≥ 0, Σ a = 1}; NMF, ICA and PCA do not, so
 * this type only refuses non-finite values. Immutable by convention: the array is owned once passed in.
 */
public final class Abundances implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final int height;
  private final int width;
  private final int count;
  private final double[] values;

  /**
   * @param values {@code height · width · count} values, pixel-major (owned from now on)
   * @throws BadInputException naming {@code height}, {@code width} or {@code count} when one is below 1, or
   *     {@code values} when their number does not match or one is not finite (abundance files are user input)
   */
  public Abundances(int height, int width, int count, double[] values) {
    Objects.requireNonNull(values, "values");
    if (height < 1 || width < 1 || count < 1) {
      throw new BadInputException(height < 1 ? "height" : width < 1 ? "width" : "count",
          "abundance maps need height, width and R ≥ 1, got " + height + ", " + width + ", " + count);
    }
    if ((long) height * width * count != values.length) {
      throw new BadInputException("values", String.format("%d x %d x %d abundances need %d values, got %d",
          height, width, count, (long) height * width * count, values.length));
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new BadInputException("values",
            "non-finite abundance at pixel " + i / count + ", endmember " + i % count);
      }
    }
    this.height = height;
    this.width = width;
    this.count = count;
    this.values = values;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** Number of endmembers R. */
  public int count() {
    return count;
  }

  public int pixels() {
    return height * width;
  }

  /** Abundance of endmember {@code r} at pixel {@code (y, x)}. */
  public double get(int y, int x, int r) {
    return values[(y * width + x) * count + r];
  }

  /** The backing array (not copied: do not modify). */
  public double[] values() {
    return values;
  }

  /** A copy of the map of endmember {@code r}, row-major {@code height × width}. */
  public double[] map(int r) {
    double[] m = new double[height * width];
    for (int p = 0; p < m.length; p++) {
      m[p] = values[p * count + r];
    }
    return m;
  }

  /** The same maps with endmembers reordered: map {@code i} of the result is map {@code order[i]} of this one. */
  public Abundances permute(int[] order) {
    double[] v = new double[height * width * order.length];
    for (int p = 0; p < height * width; p++) {
      for (int i = 0; i < order.length; i++) {
        v[p * order.length + i] = values[p * count + order[i]];
      }
    }
    return new Abundances(height, width, order.length, v);
  }
}
