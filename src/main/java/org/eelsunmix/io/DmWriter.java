package org.eelsunmix.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;

/**
 * Writes a spectrum image as a minimal DM4 file the way DigitalMicrograph lays one out: band-sequential float32
 * (energy slowest), {@code Dimensions} {@code [x, y, E]} with calibrations, {@code Meta Data} Format
 * "Spectrum image" and Signal "EELS". Test and benchmark grade: one image, no thumbnail, few tags; the layout is the
 * one {@link DmTagParser} documents (DM4: 8-byte counts and a size before every tag). The data are streamed, a
 * block of energy planes at a time, so the image is not copied whole.
 */
public final class DmWriter {
  private DmWriter() {}

  private static final int GROUP = 20;
  private static final int DATA = 21;
  private static final int LONG = 3;
  private static final int FLOAT = 6;
  private static final int USHORT = 4;
  private static final int ARRAY = 20;
  private static final int DM_FLOAT32 = 2;

  /** A tag to write: a group of children, or data with its info array and value bytes (or streamed pixels). */
  private record Tag(String label, List<Tag> children, long[] info, byte[] values, long streamed) {
    long entrySize() {
      if (children != null) {
        long n = 2 + 8;
        for (Tag t : children) {
          n += 1 + 2 + t.label.getBytes(StandardCharsets.ISO_8859_1).length + 8 + t.entrySize();
        }
        return n;
      }
      return 4 + 8 + 8L * info.length + (values != null ? values.length : streamed);
    }
  }

  /** Writes {@code image} to {@code file} (replacing it). */
  public static void write(Path file, SpectrumImage image) throws IOException {
    EnergyAxis axis = image.axis();
    long pixels = (long) image.width() * image.height();
    Tag data = new Tag("Data", null, new long[] {ARRAY, FLOAT, pixels * image.channels()}, null,
        4 * pixels * image.channels());
    Tag imageData = group("ImageData",
        group("Calibrations", group("Dimension",
            calibration(0, 1, "nm"), calibration(0, 1, "nm"),
            calibration(-axis.offset() / axis.scale(), axis.scale(), axis.units()))),
        data,
        number("DataType", DM_FLOAT32),
        group("Dimensions", number("", image.width()), number("", image.height()), number("", image.channels())));
    Tag tags = group("ImageTags", group("Meta Data", text("Format", "Spectrum image"), text("Signal", "EELS")));
    Tag root = group("", group("ImageList", group("", imageData, tags, text("Name", image.id()))));
    long body = root.entrySize();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
      head.putInt(4).putLong(body).putInt(1).flip();
      ch.write(head);
      ByteArrayOutputStream pending = new ByteArrayOutputStream();
      writeGroupBody(ch, pending, root, image);
      pending.write(new byte[8], 0, 8); // DigitalMicrograph ends a file with 8 zero bytes
      ch.write(ByteBuffer.wrap(pending.toByteArray()));
    }
  }

  private static void writeGroupBody(FileChannel ch, ByteArrayOutputStream out, Tag g, SpectrumImage image)
      throws IOException {
    out.write(0); // not sorted
    out.write(1); // open
    count(out, g.children.size());
    for (Tag t : g.children) {
      out.write(t.children != null ? GROUP : DATA);
      byte[] label = t.label.getBytes(StandardCharsets.ISO_8859_1);
      out.write(label.length >> 8);
      out.write(label.length & 0xFF);
      out.writeBytes(label);
      count(out, t.entrySize());
      if (t.children != null) {
        writeGroupBody(ch, out, t, image);
        continue;
      }
      out.writeBytes("%%%%".getBytes(StandardCharsets.ISO_8859_1));
      count(out, t.info.length);
      for (long i : t.info) {
        count(out, i);
      }
      if (t.values != null) {
        out.writeBytes(t.values);
      } else {
        ch.write(ByteBuffer.wrap(out.toByteArray()));
        out.reset();
        writePlanes(ch, image);
      }
    }
  }

  /** The pixels band-sequential, little-endian float32: plane e holds channel e of every pixel. */
  private static void writePlanes(FileChannel ch, SpectrumImage image) throws IOException {
    int pixels = image.width() * image.height();
    int channels = image.channels();
    float[] v = image.data();
    ByteBuffer b = ByteBuffer.allocate(4 * pixels).order(ByteOrder.LITTLE_ENDIAN);
    for (int e = 0; e < channels; e++) {
      b.clear();
      for (int p = 0; p < pixels; p++) {
        b.putFloat(v[p * channels + e]);
      }
      b.flip();
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }

  private static void count(ByteArrayOutputStream out, long v) {
    for (int i = 7; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)) & 0xFF);
    }
  }

  private static Tag group(String label, Tag... children) {
    return new Tag(label, List.of(children), null, null, 0);
  }

  private static Tag number(String label, long v) {
    return new Tag(label, null, new long[] {LONG}, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) v).array(), 0);
  }

  private static Tag real(String label, double v) {
    return new Tag(label, null, new long[] {FLOAT}, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
        .putFloat((float) v).array(), 0);
  }

  /** Text as DigitalMicrograph stores it: an array of unsigned 16-bit characters. */
  private static Tag text(String label, String s) {
    ByteBuffer b = ByteBuffer.allocate(2 * s.length()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < s.length(); i++) {
      b.putShort((short) s.charAt(i));
    }
    return new Tag(label, null, new long[] {ARRAY, USHORT, s.length()}, b.array(), 0);
  }

  /** Calibration: coordinate of index i is (i − origin) · scale. */
  private static Tag calibration(double origin, double scale, String units) {
    List<Tag> c = new ArrayList<>(List.of(real("Origin", origin), real("Scale", scale), text("Units", units)));
    return new Tag("", c, null, null, 0);
  }
}
