package org.eelsunmix.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes small DigitalMicrograph DM3/DM4 files for tests, straight from the published layout (header, tag groups,
 * data tags with "%%%%" and info arrays), independently of the reader's code.
 */
final class DmTestFiles {
  private DmTestFiles() {}

  /** A node of the tag tree to write. */
  interface Node {
    String name();
  }

  record Group(String name, List<Node> children) implements Node {}

  /** A data tag: its info array and its value bytes (already in the file's data byte order). */
  record Data(String name, long[] info, byte[] payload) implements Node {}

  static Group group(String name, Node... children) {
    return new Group(name, Arrays.asList(children));
  }

  /** A simple value of DM type {@code t}. */
  static Data number(String name, DmDataType t, double v, ByteOrder order) {
    return new Data(name, new long[] {t.code()}, values(t, new double[] {v}, order));
  }

  /** Text as DM writes it: an array of unsigned shorts. */
  static Data text(String name, String s, ByteOrder order) {
    double[] chars = new double[s.length()];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = s.charAt(i);
    }
    return array(name, DmDataType.USHORT, chars, order);
  }

  static Data array(String name, DmDataType t, double[] v, ByteOrder order) {
    return new Data(name, new long[] {20, t.code(), v.length}, values(t, v, order));
  }

  /** An array whose bytes are given directly (e.g. image data of an arbitrary element type). */
  static Data rawArray(String name, DmDataType t, long count, byte[] bytes) {
    return new Data(name, new long[] {20, t.code(), count}, bytes);
  }

  /** Encodes values of type {@code t} in byte order {@code order}. */
  static byte[] values(DmDataType t, double[] v, ByteOrder order) {
    ByteBuffer b = ByteBuffer.allocate(v.length * t.size()).order(order);
    for (double x : v) {
      switch (t) {
        case SHORT, USHORT -> b.putShort((short) (long) x);
        case LONG, ULONG -> b.putInt((int) (long) x);
        case FLOAT -> b.putFloat((float) x);
        case DOUBLE -> b.putDouble(x);
        case BOOL, CHAR, OCTET -> b.put((byte) (long) x);
        case LONG_LONG, ULONG_LONG -> b.putLong((long) x);
        default -> throw new IllegalArgumentException(t.name());
      }
    }
    return b.array();
  }

  /** The bytes of a whole file: header, root group, 8 closing zero bytes. */
  static byte[] file(int version, ByteOrder order, Group root) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeGroupBody(body, version, root);
    byte[] tags = body.toByteArray();
    int wide = version == 4 ? 8 : 4;
    ByteBuffer b = ByteBuffer.allocate(8 + wide + tags.length + 8).order(ByteOrder.BIG_ENDIAN);
    b.putInt(version);
    if (version == 4) {
      b.putLong(tags.length);
    } else {
      b.putInt(tags.length);
    }
    b.putInt(order == ByteOrder.LITTLE_ENDIAN ? 1 : 0);
    b.put(tags);
    return b.array();
  }

  private static void writeGroupBody(ByteArrayOutputStream out, int version, Group g) {
    out.write(0); // sorted
    out.write(1); // open
    writeCount(out, version, g.children().size());
    for (Node n : g.children()) {
      out.write(n instanceof Group ? 20 : 21);
      byte[] label = n.name().getBytes(StandardCharsets.ISO_8859_1);
      out.write(label.length >> 8);
      out.write(label.length & 0xff);
      out.writeBytes(label);
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      if (n instanceof Group child) {
        writeGroupBody(entry, version, child);
      } else {
        Data d = (Data) n;
        entry.writeBytes("%%%%".getBytes(StandardCharsets.ISO_8859_1));
        writeCount(entry, version, d.info().length);
        for (long i : d.info()) {
          writeCount(entry, version, i);
        }
        entry.writeBytes(d.payload());
      }
      if (version == 4) {
        writeCount(out, 4, entry.size());
      }
      out.writeBytes(entry.toByteArray());
    }
  }

  private static void writeCount(ByteArrayOutputStream out, int version, long v) {
    int bytes = version == 4 ? 8 : 4;
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }

  /** One calibration entry {Origin, Scale, Units}. */
  static Group calibration(double origin, double scale, String units, ByteOrder order) {
    return group("", number("Origin", DmDataType.FLOAT, origin, order),
        number("Scale", DmDataType.FLOAT, scale, order), text("Units", units, order));
  }

  /**
   * A file with one image (plus a small thumbnail image first, as DM writes it).
   *
   * @param dataType the ImageData/DataType code
   * @param element the tag type of the Data array
   * @param dims sizes, fastest axis first
   * @param calibrations one per axis
   * @param data the Data bytes
   * @param format Meta Data Format, or null for none
   */
  static byte[] image(int version, ByteOrder order, int dataType, DmDataType element, long[] dims,
      List<Group> calibrations, byte[] data, String format) {
    List<Node> dimNodes = new ArrayList<>();
    for (long d : dims) {
      dimNodes.add(number("", DmDataType.LONG, d, order));
    }
    long count = data.length / element.size();
    Group imageData = group("ImageData",
        group("Calibrations", group("Dimension", calibrations.toArray(new Node[0]))),
        rawArray("Data", element, count, data),
        number("DataType", DmDataType.LONG, dataType, order),
        new Group("Dimensions", dimNodes));
    List<Node> tags = new ArrayList<>();
    if (format != null) {
      tags.add(group("Meta Data", text("Format", format, order), text("Signal", "EELS", order)));
    }
    tags.add(group("Microscope Info", number("Voltage", DmDataType.DOUBLE, 300000, order)));
    Group thumbnail = group("", group("ImageData",
        rawArray("Data", DmDataType.LONG, 4, values(DmDataType.LONG, new double[] {1, 2, 3, 4}, order)),
        number("DataType", DmDataType.LONG, 23, order),
        group("Dimensions", number("", DmDataType.LONG, 2, order), number("", DmDataType.LONG, 2, order))));
    Group root = group("",
        group("ImageList", thumbnail, group("", imageData, new Group("ImageTags", tags),
            text("Name", "synthetic", order))),
        group("Thumbnails", group("", number("ImageIndex", DmDataType.LONG, 0, order))));
    return file(version, order, root);
  }
}
