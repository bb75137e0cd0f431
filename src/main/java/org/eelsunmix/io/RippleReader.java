package org.eelsunmix.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;

/**
 * Reads a Ripple/LISPIX spectrum image: the {@code .rpl} header (see {@link RippleHeader}) and the {@code .raw}
 * file of the same name beside it.
 *
 * <p>The .raw file is checked against the header before anything is allocated: it must hold exactly
 * {@code offset + width·height·depth·data-length} bytes; fewer is "truncated", more is "larger than the header
 * says" (a wrong data-length or a header from another file), both a {@link BadInputException} naming the .raw.
 * {@code record-by vector} data is already pixel-major (channel fastest) and is decoded in place;
 * {@code record-by image} data (band-sequential: all pixels of channel 0, then channel 1, ...) is transposed while
 * it is read, one buffer at a time, without a second copy of the image. Values are converted to {@code float}
 * (integers up to 2<sup>24</sup> and all float32 values exactly; float64 rounded to nearest).
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
  /** Bytes read per call; a multiple of every data-length. */
  private static final int BUFFER_BYTES = 1 << 20;

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
   * Reads {@code rplFile} and the {@code .raw} beside it.
   *
   * @throws BadInputException naming the .rpl or .raw file for a missing file, a bad header, a .raw file of the
   *     wrong size or non-finite values
   * @throws IOException if reading fails for a reason outside the files' contents
   */
  public static SpectralFile read(Path rplFile) throws IOException {
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
    RippleHeader header = RippleHeader.parse(source, text);
    Path raw = rawFileOf(rplFile);
    float[] data = readRaw(raw, header);
    String id = baseName(rplFile);
    SpectrumImage image;
    try {
      image = new SpectrumImage(id, header.height(), header.width(), header.axis(), data);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(raw.toString(), e.getMessage(), e);
    }
    return new SpectralFile(source, "ripple", header.dtype(), shape(header), image, header.navigationScale(),
        header.navigationUnits(), metadata(header));
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

  /** Checks the size of the .raw file, then decodes it into pixel-major floats. */
  private static float[] readRaw(Path raw, RippleHeader h) throws IOException {
    String source = raw.toString();
    try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.READ)) {
      long size = ch.size();
      long expected = h.rawBytes();
      if (size < expected) {
        throw new BadInputException(source, String.format("truncated: %d bytes, but the header (%d x %d pixels x "
            + "%d channels of %s after %d header bytes) needs %d", size, h.height(), h.width(), h.depth(),
            h.dtype(), h.offset(), expected));
      }
      if (size > expected) {
        throw new BadInputException(source, String.format("larger than the header says: %d bytes, but %d x %d "
            + "pixels x %d channels of %s after %d header bytes are %d (wrong data-length or depth?)", size,
            h.height(), h.width(), h.depth(), h.dtype(), h.offset(), expected));
      }
      if (4 * h.valueCount() > Runtime.getRuntime().maxMemory()) {
        throw new BadInputException(source, String.format("%d x %d pixels x %d channels need %.1f GiB as floats, "
            + "more than this Java process may use (-Xmx)", h.height(), h.width(), h.depth(),
            4 * h.valueCount() / 1073741824.0));
      }
      float[] out = new float[(int) h.valueCount()];
      ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(h.byteOrder());
      float[] chunk = new float[BUFFER_BYTES / h.dataLength()];
      int planeSize = h.width() * h.height();
      int depth = h.depth();
      long position = h.offset();
      int stored = 0;
      while (stored < out.length) {
        int n = Math.min(chunk.length, out.length - stored);
        buffer.clear().limit(n * h.dataLength());
        while (buffer.hasRemaining()) {
          int r = ch.read(buffer, position);
          if (r < 0) {
            throw new BadInputException(source, "truncated: the file ended at byte " + position
                + " (was it changed while being read?)");
          }
          position += r;
        }
        buffer.flip();
        decode(buffer, h.dtype(), chunk, n);
        if (!h.bandSequential()) {
          System.arraycopy(chunk, 0, out, stored, n);
        } else {
          // Stored index i is channel i / planeSize of pixel i % planeSize.
          int channel = stored / planeSize;
          int pixel = stored % planeSize;
          for (int k = 0; k < n; k++) {
            out[pixel * depth + channel] = chunk[k];
            if (++pixel == planeSize) {
              pixel = 0;
              channel++;
            }
          }
        }
        stored += n;
      }
      return out;
    } catch (NoSuchFileException e) {
      throw new BadInputException(source, "no such file: the .raw data file that goes with "
          + raw.resolveSibling(baseName(raw) + ".rpl").getFileName() + " is missing");
    }
  }

  /** Converts {@code n} stored values in {@code b} into {@code out}; the type switch sits outside the loops. */
  private static void decode(ByteBuffer b, String dtype, float[] out, int n) {
    switch (dtype) {
      case "float32" -> b.asFloatBuffer().get(out, 0, n);
      case "float64" -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) b.getDouble();
        }
      }
      case "int8" -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get();
        }
      }
      case "uint8" -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get() & 0xFF;
        }
      }
      case "int16" -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getShort();
        }
      }
      case "uint16" -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getShort() & 0xFFFF;
        }
      }
      case "int32" -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt();
        }
      }
      case "uint32" -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt() & 0xFFFFFFFFL;
        }
      }
      default -> throw new AssertionError(dtype);
    }
  }
}
