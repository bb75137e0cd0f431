package org.eelsunmix.core;

import java.util.Objects;

/**
 * A spectrum image (SI): a {@code height × width} grid of pixels, each holding one EELS spectrum on a common
 * {@link EnergyAxis}. Pixel {@code (y, x)} has index {@code y * width + x}; its spectrum occupies
 * {@code data[index * channels ... index * channels + channels)} (row-major, channels fastest, the same order as
 * a C-order NumPy array of shape {@code (rows, cols, channels)}).
 *
 * <p>Values are counts stored as {@code float}, like the Parquet pixel rows. The constructor refuses non-finite
 * values and names the first bad pixel; negative counts are allowed here (dark-subtracted real data has them) and
 * are refused by {@link #requireNonNegative(String)} where a method needs non-negative data.
 *
 * <p>Immutable by convention: the array is owned by this object once passed in; accessors return views or copies
 * as documented.
 */
public final class SpectrumImage implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final String id;
  private final int height;
  private final int width;
  private final EnergyAxis axis;
  private final float[] data;

  /**
   * @param id acquisition identifier
   * @param height number of rows (y)
   * @param width number of columns (x)
   * @param axis energy axis; its channel count is the spectrum length
   * @param data {@code height * width * axis.channels()} values, pixel-major
   * @throws BadInputException naming the image ({@code id}) when it is smaller than 1 × 1, the data do not fill
   *     it or a value is not finite
   */
  public SpectrumImage(String id, int height, int width, EnergyAxis axis, float[] data) {
    this.id = Objects.requireNonNull(id, "id");
    this.axis = Objects.requireNonNull(axis, "axis");
    this.data = Objects.requireNonNull(data, "data");
    if (height < 1 || width < 1) {
      throw new BadInputException(id, "spectrum image must be at least 1x1 pixels, got " + height + "x" + width);
    }
    long expected = (long) height * width * axis.channels();
    if (expected != data.length) {
      throw new BadInputException(id, String.format("%d x %d pixels x %d channels needs %d values, got %d", height,
          width, axis.channels(), expected, data.length));
    }
    this.height = height;
    this.width = width;
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        int c = axis.channels();
        int p = i / c;
        throw new BadInputException(id, String.format("non-finite value %s at pixel (y=%d, x=%d), channel %d",
            data[i], p / width, p % width, i % c));
      }
    }
  }

  /**
   * Refuses negative counts; returns this image.
   *
   * @throws BadInputException naming {@code source} and the first negative pixel
   */
  public SpectrumImage requireNonNegative(String source) {
    int c = axis.channels();
    for (int i = 0; i < data.length; i++) {
      if (data[i] < 0f) {
        int p = i / c;
        throw new BadInputException(source, String.format(
            "negative count %s at pixel (y=%d, x=%d), channel %d; unmixing needs non-negative spectra", data[i],
            p / width, p % width, i % c));
      }
    }
    return this;
  }

  public String id() {
    return id;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int pixels() {
    return height * width;
  }

  public int channels() {
    return axis.channels();
  }

  public EnergyAxis axis() {
    return axis;
  }

  /** The backing array (not copied: do not modify). */
  public float[] data() {
    return data;
  }

  /** Copies the spectrum of pixel {@code index} into {@code out} (length ≥ channels) as doubles. */
  public void spectrum(int index, double[] out) {
    int c = axis.channels();
    int base = index * c;
    for (int b = 0; b < c; b++) {
      out[b] = data[base + b];
    }
  }

  /** A fresh copy of the spectrum of pixel {@code (y, x)}. */
  public double[] spectrum(int y, int x) {
    double[] s = new double[axis.channels()];
    spectrum(y * width + x, s);
    return s;
  }

  /** The same pixels under another identifier. */
  public SpectrumImage withId(String newId) {
    return new SpectrumImage(newId, height, width, axis, data);
  }
}
