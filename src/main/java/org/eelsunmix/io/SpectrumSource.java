package org.eelsunmix.io;

import java.io.Closeable;
import java.io.IOException;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;

/**
 * An open acquisition file that gives its pixels in pixel-major order (y, x, channel fastest; pixel
 * {@code p = y · width + x}), any range at a time, without holding the whole array: the common face of the DM3/DM4,
 * HyperSpy, Ripple and NumPy readers ({@link AcquisitionFiles#open}). The header is read and checked against the
 * file's length when the source is opened, so a bad file fails there, before a single pixel is returned. A source
 * is not thread-safe; open one per task.
 */
public interface SpectrumSource extends Closeable {
  /** Largest array a JVM hands out. */
  long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /** Layout, axis, type and metadata, known once the file is open. */
  AcquisitionHeader header();

  /** The file holding the pixel values, for messages about them (the {@code .raw} of a Ripple pair). */
  default String dataPath() {
    return header().path();
  }

  /**
   * Reads pixels {@code [p0, p1)} into {@code dst[offset ...]}: {@code (p1 − p0) · channels} floats, pixel-major.
   *
   * @throws BadInputException if the file proves corrupt while being read
   * @throws IndexOutOfBoundsException if the range lies outside the image or {@code dst}
   */
  void readPixels(long p0, long p1, float[] dst, int offset) throws IOException;

  /**
   * The whole image as a {@link SpectralFile} (what the whole-file readers return).
   *
   * @param id the acquisition id given to the image
   * @throws BadInputException if the image is too large for one array or holds non-finite values
   */
  default SpectralFile readAll(String id) throws IOException {
    AcquisitionHeader h = header();
    if (h.values() > MAX_ARRAY || 4 * h.values() > Runtime.getRuntime().maxMemory()) {
      throw new BadInputException(h.path(), String.format("%d x %d pixels x %d channels need %.1f GiB as floats, "
          + "more than this Java process may hold at once (-Xmx); read it in tiles", h.height(), h.width(),
          h.axis().channels(), 4 * h.values() / 1073741824.0));
    }
    float[] data = new float[(int) h.values()];
    readPixels(0, h.pixels(), data, 0);
    SpectrumImage image;
    try {
      image = new SpectrumImage(id, h.height(), h.width(), h.axis(), data);
    } catch (BadInputException e) {
      throw new BadInputException(dataPath(), "the image data cannot be unmixed: " + e.getMessage(), e);
    }
    return new SpectralFile(h.path(), h.format(), h.dtype().numpyName(), h.shape(), image, h.navigationScale(),
        h.navigationUnits(), h.metadata());
  }

  /** Checks a pixel range against the image and the destination; shared by the implementations. */
  static void checkRange(AcquisitionHeader h, long p0, long p1, float[] dst, int offset) {
    if (p0 < 0 || p1 < p0 || p1 > h.pixels()) {
      throw new IndexOutOfBoundsException("pixels [" + p0 + ", " + p1 + ") outside the " + h.pixels() + " of "
          + h.path());
    }
    long n = (p1 - p0) * h.axis().channels();
    if (offset < 0 || offset + n > dst.length) {
      throw new IndexOutOfBoundsException(n + " values at " + offset + " do not fit an array of " + dst.length);
    }
  }
}
