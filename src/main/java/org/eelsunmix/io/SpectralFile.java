package org.eelsunmix.io;

import java.util.Map;
import org.eelsunmix.core.SpectrumImage;

/**
 * What a reader of an acquisition file (DM3/DM4, HyperSpy .hspy, Ripple .rpl/.raw, NumPy) returns: the spectrum
 * image in pixel-major order with its energy axis, plus what the file said about itself.
 *
 * @param path the file read
 * @param format {@code dm3}, {@code dm4}, {@code hspy}, {@code ripple}, {@code npy}
 * @param dtype the stored data type, NumPy style ({@code float32}, {@code int16}, {@code uint16}, ...)
 * @param shape the array shape as HyperSpy/NumPy report it (C order: navigation axes, then the signal axis)
 * @param image the pixels: a 2-D map is {@code rows × cols}; a line scan is one row ({@code y = 0}); a single
 *     spectrum is 1 × 1
 * @param navigationScale size of a pixel along x (NaN when unknown)
 * @param navigationUnits units of {@code navigationScale} ({@code nm}, {@code µm}, ...; empty when unknown)
 * @param metadata acquisition metadata found in the file (beam energy, exposure, date, title, ...), as text
 */
public record SpectralFile(String path, String format, String dtype, long[] shape, SpectrumImage image,
    double navigationScale, String navigationUnits, Map<String, String> metadata) {

  public SpectralFile {
    metadata = Map.copyOf(metadata);
    shape = shape.clone();
  }
}
