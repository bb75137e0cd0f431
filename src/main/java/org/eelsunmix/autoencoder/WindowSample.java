package org.eelsunmix.autoencoder;

import java.io.Serializable;
import java.util.Arrays;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;

/**
 * What an autoencoder trains on: {@code n} windows of pixels (DAEU: single pixels; MTAEU: 2×2
 * {@link Neighbourhood}s; CNNAEU: square patches), held compactly as the distinct pixels they cover plus, for each
 * window, the indices of its pixels into them. Overlapping patches therefore cost one copy of each pixel, and the
 * same sample is built in memory from a {@link SpectrumImage} ({@link #of}) and on Spark from pixel rows filtered by
 * their raster index (the distinct pixels in ascending raster order, so both give identical samples).
 *
 * @param spectra the distinct pixels' spectra in counts, {@code distinct × channels} row-major
 * @param channels B
 * @param windows {@code count × windowPixels} indices into the distinct pixels (the window's own pixel order:
 *     MTAEU's task order, a patch's raster order)
 * @param windowPixels pixels per window
 */
public record WindowSample(float[] spectra, int channels, int[] windows, int windowPixels) implements Serializable {
  public WindowSample {
    if (windowPixels < 1 || windows.length % windowPixels != 0) {
      throw new IllegalArgumentException(windows.length + " window indices are not windows of " + windowPixels);
    }
    if (spectra.length % channels != 0) {
      throw new IllegalArgumentException(spectra.length + " values are not spectra of " + channels + " channels");
    }
  }

  /** Number of windows. */
  public int count() {
    return windows.length / windowPixels;
  }

  /** Number of distinct pixels. */
  public int distinct() {
    return spectra.length / channels;
  }

  /** Single-pixel windows over given spectra (DAEU's sample drawn on Spark), in their order. */
  public static WindowSample ofSpectra(float[] spectra, int channels) {
    int n = spectra.length / channels;
    int[] windows = new int[n];
    for (int i = 0; i < n; i++) {
      windows[i] = i;
    }
    return new WindowSample(spectra, channels, windows, 1);
  }

  /**
   * The distinct raster indices of {@code windowIndices} (pixel indices {@code y · width + x}), ascending: the
   * pixels a sample needs.
   */
  public static int[] pixelsOf(int[] windowIndices) {
    return Arrays.stream(windowIndices).distinct().sorted().toArray();
  }

  /**
   * The sample of {@code image} for windows given as raster pixel indices: the distinct pixels (ascending) and the
   * windows remapped onto them.
   */
  public static WindowSample of(SpectrumImage image, int[] windowIndices, int windowPixels) {
    int[] pixels = pixelsOf(windowIndices);
    int b = image.channels();
    float[] spectra = new float[pixels.length * b];
    for (int i = 0; i < pixels.length; i++) {
      System.arraycopy(image.data(), pixels[i] * b, spectra, i * b, b);
    }
    return assemble(spectra, b, pixels, windowIndices, windowPixels);
  }

  /**
   * A sample from the spectra of {@code pixels} (ascending raster indices, as {@link #pixelsOf} gives, spectra in
   * that order) and windows given as raster indices.
   */
  public static WindowSample assemble(float[] spectra, int channels, int[] pixels, int[] windowIndices,
      int windowPixels) {
    int[] windows = new int[windowIndices.length];
    for (int i = 0; i < windows.length; i++) {
      windows[i] = Arrays.binarySearch(pixels, windowIndices[i]);
      if (windows[i] < 0) {
        throw new IllegalArgumentException("pixel " + windowIndices[i] + " of a window is not in the sample");
      }
    }
    return new WindowSample(spectra, channels, windows, windowPixels);
  }

  /**
   * The largest count, the scale spectra are divided by for training.
   *
   * @throws BadInputException naming {@code source} when a count is negative or not finite, or all are zero
   */
  public float largest(String source) {
    float max = 0f;
    for (int i = 0; i < spectra.length; i++) {
      float v = spectra[i];
      if (!(v >= 0) || Float.isInfinite(v)) {
        throw new BadInputException(source, "has a count of " + v + " (pixel " + i / channels + " of the sample, "
            + "channel " + i % channels + "); counts must be finite and non-negative");
      }
      max = Math.max(max, v);
    }
    if (!(max > 0)) {
      throw new BadInputException(source, "every count is zero; there is nothing to unmix");
    }
    return max;
  }

  /** Copies the spectrum of pixel {@code slot} of window {@code window}, times {@code scale}, into {@code out}. */
  void copy(int window, int slot, float scale, float[] out, int offset) {
    int base = windows[window * windowPixels + slot] * channels;
    for (int c = 0; c < channels; c++) {
      out[offset + c] = spectra[base + c] * scale;
    }
  }
}
