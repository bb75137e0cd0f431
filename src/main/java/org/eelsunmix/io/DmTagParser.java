package org.eelsunmix.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.BadInputException;

/**
 * Parses the tag tree of a Gatan DigitalMicrograph DM3 or DM4 file.
 *
 * <p>Layout (public format notes: C. Boothroyd's DM3 description, the DM4 notes summarised by rosettasciio):
 * <pre>
 * header   version int32 (3 or 4) | file size uint32 (DM3) or int64 (DM4) | byte order int32 (1 = little endian)
 * group    sorted u8 | open u8 | tag count (4 bytes DM3, 8 bytes DM4) | tags
 * tag      kind u8 (20 group, 21 data) | label length u16 | label | DM4 only: tag size int64 | group or data
 * data     "%%%%" | info length n (4/8 bytes) | n info entries (4/8 bytes each) | value(s)
 * info     [t] simple type t | [18, len] string | [15, nameLen, nFields, (nameLen, t)*] struct
 *          [20, t, count] array | [20, 15, struct…, count] array of structs | [20, 18, len, count] array of
 *          strings | [20, 20, t, len, count] array of arrays
 * </pre>
 * All structure fields are big-endian; values use the header's byte order. Every count and length is checked
 * against the bytes left in the file before it is used, nesting is limited, and a corrupt structure is reported as a
 * {@link BadInputException} that names the file, the byte offset and the tag path.
 */
public final class DmTagParser {
  /** Deeper nesting than any real file has; guards the recursion against crafted files. */
  private static final int MAX_DEPTH = 64;
  /** Arrays up to this many elements have their values kept in the tree (metadata); longer ones stay in the file. */
  private static final int KEEP_VALUES = 4096;
  /** Longest accepted type description (info array), in entries. */
  private static final int MAX_INFO = 1 << 16;
  private static final int TAG_GROUP = 20;
  private static final int TAG_DATA = 21;

  private final DmFileInput in;
  private final int version;
  /** Bytes of a count/length field: 4 in DM3, 8 in DM4. */
  private final int wide;

  /**
   * The parsed file.
   *
   * @param version 3 or 4
   * @param dataOrder byte order of the tag values
   * @param root the root tag group
   */
  public record Tree(int version, ByteOrder dataOrder, DmTag root) {}

  private DmTagParser(DmFileInput in, int version) {
    this.in = in;
    this.version = version;
    this.wide = version == 4 ? 8 : 4;
  }

  /**
   * Reads the header and the whole tag tree (large arrays are recorded by offset, not read).
   *
   * @param channel an open file
   * @param source the file name used in error messages
   * @throws BadInputException if the file is not a DM3/DM4 file or its tag structure is corrupt or truncated
   */
  public static Tree parse(FileChannel channel, String source) throws IOException {
    DmFileInput in = new DmFileInput(source, channel);
    if (in.size() < 16) {
      throw new BadInputException(source, "not a DigitalMicrograph DM3/DM4 file: only " + in.size() + " bytes long");
    }
    int version = in.i32("the format version");
    if (version != 3 && version != 4) {
      throw new BadInputException(source, "not a DigitalMicrograph DM3/DM4 file: the version field at byte 0 is "
          + version + " (expected 3 or 4)");
    }
    DmTagParser p = new DmTagParser(in, version);
    long declared = version == 4 ? in.i64("the file size") : Integer.toUnsignedLong(in.i32("the file size"));
    int orderFlag = in.i32("the byte order flag");
    long headerBytes = in.position();
    if (declared < 0 || declared + headerBytes > in.size()) {
      throw new BadInputException(source, String.format(
          "file is truncated: its DM%d header declares %d bytes of tags after the header, but the file has only %d",
          version, declared, in.size() - headerBytes));
    }
    if (orderFlag != 0 && orderFlag != 1) {
      throw new BadInputException(source, "corrupt DM header: byte order flag at byte " + (headerBytes - 4) + " is "
          + orderFlag + " (expected 0 or 1)");
    }
    ByteOrder order = orderFlag == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    in.dataOrder(order);
    List<String> path = new ArrayList<>();
    return new Tree(version, order, p.group("", path));
  }

  private String where(List<String> path) {
    return path.isEmpty() ? "the root tag group" : "tag " + String.join("/", path);
  }

  /** A count or length field (4 bytes in DM3, 8 in DM4), which must be non-negative. */
  private long count(String what, List<String> path) {
    long start = in.position();
    long v = wide == 8 ? in.i64(what) : Integer.toUnsignedLong(in.i32(what));
    if (v < 0) {
      throw new BadInputException(in.source(), String.format("corrupt %s of %s at byte offset %d: %d", what,
          where(path), start, v));
    }
    return v;
  }

  private DmTag group(String name, List<String> path) {
    if (path.size() > MAX_DEPTH) {
      throw new BadInputException(in.source(), "corrupt tag structure: groups nested more than " + MAX_DEPTH
          + " deep at " + where(path));
    }
    in.u8("the sorted flag of " + where(path));
    in.u8("the open flag of " + where(path));
    long start = in.position();
    long n = count("tag count", path);
    // Each tag needs at least a kind byte and a label length, so a larger count cannot be real.
    if (n > in.remaining() / 3) {
      throw new BadInputException(in.source(), String.format(
          "corrupt tag structure: %s at byte offset %d claims %d tags but only %d bytes remain", where(path), start, n,
          in.remaining()));
    }
    List<DmTag> children = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      long tagStart = in.position();
      int kind = in.u8("a tag header in " + where(path));
      int labelLength = in.u16("a tag label length in " + where(path));
      String label = new String(in.bytes(labelLength, "a tag label in " + where(path)), StandardCharsets.ISO_8859_1);
      path.add(label.isEmpty() ? "[" + i + "]" : label);
      if (version == 4) {
        long size = in.i64("the size of " + where(path));
        if (size < 0 || size > in.remaining()) {
          throw new BadInputException(in.source(), String.format(
              "corrupt tag structure: %s at byte offset %d declares %d bytes but only %d remain", where(path),
              tagStart, size, in.remaining()));
        }
      }
      if (kind == TAG_GROUP) {
        children.add(group(label, path));
      } else if (kind == TAG_DATA) {
        children.add(data(label, path));
      } else {
        throw new BadInputException(in.source(), String.format(
            "corrupt tag structure: unknown tag kind %d at byte offset %d (%s); expected 20 (group) or 21 (data)",
            kind, tagStart, where(path)));
      }
      path.remove(path.size() - 1);
    }
    return DmTag.group(name, children);
  }

  private DmTag data(String name, List<String> path) {
    long start = in.position();
    byte[] mark = in.bytes(4, "the %%%% mark of " + where(path));
    if (mark[0] != '%' || mark[1] != '%' || mark[2] != '%' || mark[3] != '%') {
      throw new BadInputException(in.source(), String.format(
          "corrupt tag structure: %s at byte offset %d lacks its %%%%%%%% mark", where(path), start));
    }
    long infoStart = in.position();
    long n = count("type description length", path);
    // Real descriptions are a few entries (3 + 2 per struct field); the cap keeps a corrupt length from making a
    // large array even in a large file.
    if (n < 1 || n > MAX_INFO || n > in.remaining() / wide) {
      throw new BadInputException(in.source(), String.format(
          "corrupt tag structure: %s at byte offset %d has a type description of %d entries", where(path), infoStart,
          n));
    }
    long[] info = new long[(int) n];
    for (int i = 0; i < info.length; i++) {
      info[i] = count("type description", path);
    }
    return new Value(name, info, infoStart, path).read();
  }

  /** Reads one data tag's value according to its info array. */
  private final class Value {
    private final String name;
    private final long[] info;
    private final long infoStart;
    private final List<String> path;
    private int cursor;

    Value(String name, long[] info, long infoStart, List<String> path) {
      this.name = name;
      this.info = info;
      this.infoStart = infoStart;
      this.path = path;
    }

    private BadInputException bad(String problem) {
      return new BadInputException(in.source(), String.format(
          "corrupt tag structure: %s (type description at byte offset %d): %s", where(path), infoStart, problem));
    }

    private long next() {
      if (cursor >= info.length) {
        throw bad("type description ends early");
      }
      return info[cursor++];
    }

    private DmDataType simple(long code) {
      DmDataType t = DmDataType.ofCode(code);
      if (t == null) {
        throw bad("unknown value type " + code);
      }
      return t;
    }

    DmTag read() {
      long type = next();
      DmTag tag;
      if (type == 15) {
        DmDataType[] fields = structFields();
        double[] v = new double[fields.length];
        for (int i = 0; i < fields.length; i++) {
          v[i] = in.value(fields[i], "a struct field of " + where(path));
        }
        tag = DmTag.struct(name, v);
      } else if (type == 18) {
        long length = next();
        if (length > in.remaining() || length > Integer.MAX_VALUE) {
          throw bad("string of " + length + " bytes, but only " + in.remaining() + " remain");
        }
        byte[] b = in.bytes((int) length, "a string of " + where(path));
        tag = DmTag.text(name, new String(b, StandardCharsets.ISO_8859_1));
      } else if (type == 20) {
        tag = array();
      } else {
        tag = DmTag.number(name, in.value(simple(type), "the value of " + where(path)));
      }
      if (cursor != info.length) {
        throw bad("type description has " + (info.length - cursor) + " unexpected extra entries");
      }
      return tag;
    }

    /** Field types of a struct, from just after its code 15; only structs of simple values occur in DM files. */
    private DmDataType[] structFields() {
      next(); // struct name length: DM writes 0 and no name
      long nFields = next();
      if (nFields < 0 || nFields > (info.length - cursor) / 2) {
        throw bad("struct with " + nFields + " fields does not fit its type description");
      }
      DmDataType[] fields = new DmDataType[(int) nFields];
      for (int i = 0; i < fields.length; i++) {
        next(); // field name length: 0
        fields[i] = simple(next());
      }
      return fields;
    }

    private DmTag array() {
      long elementCode = next();
      DmDataType element = null;
      long elementBytes;
      if (elementCode == 15) {
        elementBytes = 0;
        for (DmDataType f : structFields()) {
          elementBytes += f.size();
        }
      } else if (elementCode == 18) {
        elementBytes = next();
      } else if (elementCode == 20) {
        DmDataType inner = simple(next());
        long innerCount = next();
        if (innerCount > in.remaining()) {
          throw bad("array of arrays of " + innerCount + " elements each, longer than the file");
        }
        elementBytes = innerCount * inner.size();
      } else {
        element = simple(elementCode);
        elementBytes = element.size();
      }
      long count = next();
      long offset = in.position();
      if (elementBytes > 0 && count > in.remaining() / elementBytes) {
        throw bad(String.format("array of %d elements of %d bytes does not fit in the %d bytes left after byte %d",
            count, elementBytes, in.remaining(), offset));
      }
      long byteLength = count * elementBytes;
      double[] values = null;
      if (element != null && count <= KEEP_VALUES && !"Data".equals(name)) {
        values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
          values[i] = in.value(element, "the values of " + where(path));
        }
      } else {
        in.skip(byteLength, "the values of " + where(path));
      }
      return DmTag.array(name, element, count, offset, byteLength, values);
    }
  }
}
