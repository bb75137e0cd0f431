package org.eelsunmix.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * A NumPy {@code .npy} spectrum image read as a {@link SpectrumSource}: shape {@code (rows, cols, channels)},
 * {@code (n, channels)} (a line scan: one row) or {@code (channels)}, C order, any real dtype ({@link NpyReader}).
 * The energy axis is that of {@code energy.npy} beside the file when there is one (as in a NumPy acquisition
 * folder, {@link NpyAcquisition}); otherwise channel numbers (offset 0, 1 per channel, units {@code channel}).
 * A pixel range is one contiguous run of elements.
 */
final class NpySource implements SpectrumSource {
  private final NpyReader reader;
  private final AcquisitionHeader header;
  private final int channels;

  private NpySource(NpyReader reader, AcquisitionHeader header) {
    this.reader = reader;
    this.header = header;
    this.channels = header.axis().channels();
  }

  /** Opens {@code file}; its header is checked against the file's length and its shape against a spectrum image. */
  static NpySource open(Path file) throws IOException {
    NpyReader r = NpyReader.open(file);
    try {
      String source = file.toString();
      NpyHeader h = r.header();
      long[] s = h.shape();
      if (s.length < 1 || s.length > 3 || h.elementCount() == 0) {
        throw new BadInputException(source, "a spectrum image is (rows, cols, channels), (pixels, channels) or "
            + "(channels); found shape " + h.shapeString());
      }
      for (long d : s) {
        if (d > MAX_ARRAY) {
          throw new BadInputException(source, "shape " + h.shapeString() + " is too large for a spectrum image");
        }
      }
      if (h.fortranOrder() && s.length > 1 && s[s.length - 1] > 1 && h.elementCount() > s[s.length - 1]) {
        throw new BadInputException(source, "stored in Fortran (column-major) order, so its spectra are not "
            + "contiguous; re-save it with numpy.ascontiguousarray");
      }
      int channels = (int) s[s.length - 1];
      int width = s.length >= 2 ? (int) s[s.length - 2] : 1;
      int height = s.length == 3 ? (int) s[0] : 1;
      if ((long) width * height > MAX_ARRAY) {
        throw new BadInputException(source, "shape " + h.shapeString() + " has too many pixels");
      }
      EnergyAxis axis = NpyAcquisition.energyAxis(file.resolveSibling(NpyAcquisition.ENERGY), channels,
          new EnergyAxis(0, 1, "channel", channels), source);
      return new NpySource(r, new AcquisitionHeader(source, "npy", h.dtype(), s, width, height, axis, Double.NaN,
          "", Map.of()));
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  @Override
  public AcquisitionHeader header() {
    return header;
  }

  @Override
  public void readPixels(long p0, long p1, float[] dst, int offset) throws IOException {
    SpectrumSource.checkRange(header, p0, p1, dst, offset);
    reader.readRange(p0 * channels, dst, offset, (int) ((p1 - p0) * channels));
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
