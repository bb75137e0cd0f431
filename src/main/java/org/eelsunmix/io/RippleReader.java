package org.eelsunmix.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eelsunmix.core.BadInputException;

/**
 * Reads a Ripple/LISPIX spectrum image: the {@code .rpl} header (see {@link RippleHeader}) and the {@code .raw}
 * file of the same name beside it.
 *
 * <p>The .raw file is checked against the header before anything is allocated: it must hold exactly
 * {@code offset + width·height·depth·data-length} bytes; fewer is "truncated", more is "larger than the header
 * says" (a wrong data-length or a header from another file), both a {@link BadInputException} naming the .raw.
 * {@link #open} gives any range of pixels ({@link SpectrumSource}) without holding the image:
 * {@code record-by vector} data is already pixel-major (channel fastest), one contiguous run per range;
 * {@code record-by image} data (band-sequential: all pixels of channel 0, then channel 1, ...) is one run per
 * channel, transposed a block of channels at a time ({@link StoredValues}). Values are converted to {@code float}
 * by {@link NumericType}.
 *
 * <p>The result's shape is that of HyperSpy's array, navigation axes then the energy axis:
 * {@code (height, width, depth)}, where a navigation axis of length 1 is left out (a line scan is
 * {@code (width, depth)}, a single spectrum {@code (depth)}). Metadata holds every header key as written (lower
 * case) plus HyperSpy's names for the ones it maps ({@code General.title}, {@code Signal.signal_type},
 * {@code Acquisition_instrument.TEM.beam_energy}, ...) and the pixel calibration as
 * {@code navigation.x.offset|scale|units} (from {@code width-*}) and {@code navigation.y.*} (from
 * {@code height-*}), the names {@link HspyReader} uses too.
 */
public final class RippleReader {
  /** Ripple keys that HyperSpy maps to its metadata tree, with the HyperSpy name. */
  private static final Map<String, String> HYPERSPY_NAMES = Map.of(
      "title", "General.title",
      "date", "General.date",
      "time", "General.time",
      "signal", "Signal.signal_type",
      "beam-energy", "Acquisition_instrument.TEM.beam_energy",
      "convergence-angle", "Acquisition_instrument.TEM.convergence_angle",
      "collection-angle", "Acquisition_instrument.TEM.Detector.EELS.collection_angle");

  private RippleReader() {
  }

  /**
   * Reads {@code rplFile} and the {@code .raw} beside it whole.
   *
   * @throws BadInputException naming the .rpl or .raw file for a missing file, a bad header, a .raw file of the
   *     wrong size or non-finite values
   * @throws IOException if reading fails for a reason outside the files' contents
   */
  public static SpectralFile read(Path rplFile) throws IOException {
    try (SpectrumSource s = open(rplFile)) {
      return s.readAll(baseName(rplFile));
    }
  }

  /**
   * Opens {@code rplFile} and the {@code .raw} beside it for reading pixels in ranges; the header is parsed and
   * the .raw file's length checked against it here.
   *
   * @throws BadInputException naming the .rpl or .raw file for a missing file, a bad header or a .raw file of the
   *     wrong size
   */
  public static SpectrumSource open(Path rplFile) throws IOException {
    String source = rplFile.toString();
    byte[] text;
    try {
      if (Files.size(rplFile) > (1 << 20)) {
        throw new BadInputException(source, "is " + Files.size(rplFile) + " bytes long; a Ripple .rpl header is a "
            + "short text file (is this the .raw data file?)");
      }
      text = Files.readAllBytes(rplFile);
    } catch (NoSuchFileException e) {
      throw new BadInputException(source, "no such file");
    }
    RippleHeader h = RippleHeader.parse(source, text);
    Path raw = rawFileOf(rplFile);
    FileChannel ch = openRaw(raw, h);
    AcquisitionHeader header = new AcquisitionHeader(source, "ripple", h.dtype(), shape(h), h.width(), h.height(),
        h.axis(), h.navigationScale(), h.navigationUnits(), metadata(h));
    StoredValues values = new StoredValues(raw.toString(), ch, h.offset(), h.valueCount(), h.dtype(),
        h.byteOrder());
    long plane = (long) h.width() * h.height();
    return new SpectrumSource() {
      @Override
      public AcquisitionHeader header() {
        return header;
      }

      @Override
      public String dataPath() {
        return raw.toString();
      }

      @Override
      public void readPixels(long p0, long p1, float[] dst, int offset) throws IOException {
        SpectrumSource.checkRange(header, p0, p1, dst, offset);
        if (h.bandSequential()) {
          values.readBandSequential(plane, h.depth(), p0, (int) (p1 - p0), dst, offset);
        } else {
          values.read(p0 * h.depth(), (int) ((p1 - p0) * h.depth()), dst, offset);
        }
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }

  /** The data file beside {@code rplFile}: same name with {@code .raw} (or {@code .RAW}). */
  static Path rawFileOf(Path rplFile) {
    String base = baseName(rplFile);
    Path lower = rplFile.resolveSibling(base + ".raw");
    Path upper = rplFile.resolveSibling(base + ".RAW");
    return !Files.exists(lower) && Files.exists(upper) ? upper : lower;
  }

  /** File name without its last extension. */
  static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static long[] shape(RippleHeader h) {
    if (h.height() > 1) {
      return new long[] {h.height(), h.width(), h.depth()};
    }
    return h.width() > 1 ? new long[] {h.width(), h.depth()} : new long[] {h.depth()};
  }

  private static Map<String, String> metadata(RippleHeader h) {
    Map<String, String> m = new LinkedHashMap<>(h.keys());
    for (Map.Entry<String, String> e : HYPERSPY_NAMES.entrySet()) {
      String v = h.keys().get(e.getKey());
      if (v != null && !v.isEmpty()) {
        m.put(e.getValue(), v);
      }
    }
    // The pixel calibration under the same names as HspyReader gives it: x is width, y is height.
    for (String[] axis : new String[][] {{"x", "width"}, {"y", "height"}}) {
      for (String part : new String[] {"origin", "scale", "units"}) {
        String v = h.keys().get(axis[1] + "-" + part);
        if (v != null && !v.isEmpty()) {
          m.put("navigation." + axis[0] + "." + (part.equals("origin") ? "offset" : part), v);
        }
      }
    }
    return m;
  }

  /** Opens the .raw file and checks its size against the header before anything is read. */
  private static FileChannel openRaw(Path raw, RippleHeader h) throws IOException {
    String source = raw.toString();
    FileChannel ch;
    try {
      ch = FileChannel.open(raw, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BadInputException(source, "no such file: the .raw data file that goes with "
          + raw.resolveSibling(baseName(raw) + ".rpl").getFileName() + " is missing");
    }
    try {
      long size = ch.size();
      long expected = h.rawBytes();
      if (size < expected) {
        throw new BadInputException(source, String.format("truncated: %d bytes, but the header (%d x %d pixels x "
            + "%d channels of %s after %d header bytes) needs %s", size, h.height(), h.width(), h.depth(),
            h.dtype(), h.offset(), expected == Long.MAX_VALUE ? "more than any file holds" : expected));
      }
      if (size > expected) {
        throw new BadInputException(source, String.format("larger than the header says: %d bytes, but %d x %d "
            + "pixels x %d channels of %s after %d header bytes are %d (wrong data-length or depth?)", size,
            h.height(), h.width(), h.depth(), h.dtype(), h.offset(), expected));
      }
      return ch;
    } catch (RuntimeException | IOException e) {
      ch.close();
      throw e;
    }
  }
}
