package org.eelsunmix.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;

/**
 * Writes a spectrum image as a Ripple/LISPIX pair ({@code .rpl} header + {@code .raw} data; format see
 * {@link RippleHeader}) that LISPIX, HyperSpy and {@link RippleReader} read: {@code float32} or {@code float64}
 * values, little-endian, {@code record-by vector} (one spectrum after another), no offset, with HyperSpy's
 * energy calibration keys ({@code depth-origin}, {@code depth-scale}, {@code depth-units}, and {@code ev-per-chan}
 * for readers that know only the original Ripple keys). Numbers are printed by {@link Double#toString(double)},
 * the shortest text that reads back to the same double, so a write/read round trip is bit-identical.
 *
 * <p>Both files are written to temporary siblings and moved into place (the .raw first), so a reader never sees
 * half a file.
 */
public final class RippleWriter {
  private static final int BUFFER_BYTES = 1 << 20;

  private RippleWriter() {
  }

  /**
   * Writes {@code image} to {@code rplFile} and the {@code .raw} of the same name beside it, replacing both.
   *
   * @param dtype {@code float32} or {@code float64}
   * @throws BadInputException naming {@code rplFile} if {@code dtype} is another type or the name does not end in
   *     {@code .rpl}
   */
  public static void write(Path rplFile, SpectrumImage image, String dtype) throws IOException {
    String source = rplFile.toString();
    int dataLength = switch (dtype == null ? "" : dtype) {
      case "float32" -> 4;
      case "float64" -> 8;
      default -> throw new BadInputException(source, "can write Ripple data as float32 or float64, not '" + dtype
          + "'");
    };
    if (!rplFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".rpl")) {
      throw new BadInputException(source, "a Ripple header file name must end in .rpl");
    }
    Path raw = rplFile.resolveSibling(RippleReader.baseName(rplFile) + ".raw");
    byte[] header = headerText(image, dataLength).getBytes(StandardCharsets.UTF_8);
    AtomicFile.writePair(raw, ch -> writeRaw(ch, image.data(), dataLength), rplFile,
        ch -> AtomicFile.writeAll(ch, ByteBuffer.wrap(header)));
  }

  private static String headerText(SpectrumImage image, int dataLength) {
    EnergyAxis axis = image.axis();
    StringBuilder s = new StringBuilder();
    s.append(";File created by eels-unmix\n");
    line(s, "key", "value");
    line(s, "width", Integer.toString(image.width()));
    line(s, "height", Integer.toString(image.height()));
    line(s, "depth", Integer.toString(image.channels()));
    line(s, "offset", "0");
    line(s, "data-length", Integer.toString(dataLength));
    line(s, "data-type", "float");
    line(s, "byte-order", "little-endian");
    line(s, "record-by", "vector");
    line(s, "depth-origin", Double.toString(axis.offset()));
    line(s, "depth-scale", Double.toString(axis.scale()));
    line(s, "depth-units", axis.units());
    if (axis.units().equals("eV")) {
      line(s, "ev-per-chan", Double.toString(axis.scale()));
    }
    line(s, "signal", "EELS");
    line(s, "title", image.id());
    return s.toString();
  }

  private static void line(StringBuilder s, String key, String value) {
    // A value must stay on its line: a line break in a title would start a bogus key.
    s.append(key).append('\t').append(value.replaceAll("[\r\n]+", " ")).append('\n');
  }

  private static void writeRaw(FileChannel ch, float[] data, int dataLength) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int perBuffer = BUFFER_BYTES / dataLength;
    for (int first = 0; first < data.length; first += perBuffer) {
      int n = Math.min(perBuffer, data.length - first);
      buffer.clear();
      if (dataLength == 4) {
        buffer.asFloatBuffer().put(data, first, n);
        buffer.position(4 * n);
      } else {
        for (int i = first; i < first + n; i++) {
          buffer.putDouble(data[i]);
        }
      }
      buffer.flip();
      AtomicFile.writeAll(ch, buffer);
    }
  }
}
