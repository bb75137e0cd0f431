package org.eelsunmix.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eelsunmix.core.BadInputException;

/**
 * The header of a NumPy {@code .npy} file: element type, byte order, shape, memory order and where the raw data
 * starts.
 *
 * <p>Implements the format of NumPy Enhancement Proposal 1 (NEP 1, "A simple file format for NumPy arrays") and
 * {@code numpy.lib.format}: the magic bytes {@code \x93NUMPY}, a major/minor version byte pair, the header length
 * as a little-endian {@code uint16} (version 1.0) or {@code uint32} (2.0 and 3.0), then a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (rows, cols, channels), }} in Latin-1 (1.0, 2.0) or
 * UTF-8 (3.0), padded with spaces and a newline. The raw data follows immediately and holds
 * {@code prod(shape) · itemsize} bytes.
 *
 * <p>Parsing is strict: anything but the three keys, an element type that is not a real number (complex, bool,
 * strings, objects, records, dates) or a file shorter than its header promises is refused with a
 * {@link BadInputException} naming the file. The shape is checked against the file size before any data array is
 * allocated, so a corrupt header cannot make a reader ask for terabytes.
 *
 * @param dtype element type
 * @param byteOrder byte order of multi-byte elements (irrelevant, and reported as little-endian, for 1-byte types)
 * @param shape array dimensions, outermost first; empty for a 0-d (scalar) array
 * @param fortranOrder {@code true} when the first index varies fastest on disk (column-major)
 * @param dataOffset byte offset of the first element in the file
 */
public record NpyHeader(NumericType dtype, ByteOrder byteOrder, long[] shape, boolean fortranOrder,
    long dataOffset) {

  /** The six magic bytes every .npy file starts with. */
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /**
   * Largest header accepted, in bytes. NumPy's own reader stops at 10 000 by default; headers of the arrays we
   * read are under 200, so this only guards against allocating a corrupt length.
   */
  static final int MAX_HEADER_BYTES = 1 << 20;

  /** Validates and copies the shape; the record's arrays are never shared with the caller. */
  public NpyHeader {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(byteOrder, "byteOrder");
    shape = Objects.requireNonNull(shape, "shape").clone();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    if (dataOffset < 0) {
      throw new IllegalArgumentException("negative data offset " + dataOffset);
    }
    if (dtype.size() == 1) {
      byteOrder = ByteOrder.LITTLE_ENDIAN; // one-byte types have no byte order; normalise so equals() works
    }
  }

  /** A copy of the shape. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions (0 for a scalar). */
  public int dimensions() {
    return shape.length;
  }

  /** Dimension {@code i} of the shape. */
  public long dimension(int i) {
    return shape[i];
  }

  /** Size of one element in bytes. */
  public int elementSize() {
    return dtype.size();
  }

  /**
   * Number of elements, the product of the shape (1 for a scalar).
   *
   * @throws ArithmeticException if the product overflows a {@code long}; {@link #parse} refuses such headers
   */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Number of data bytes, {@code elementCount() · elementSize()}. */
  public long dataBytes() {
    return Math.multiplyExact(elementCount(), elementSize());
  }

  /** The NumPy type string, e.g. {@code <f4} or {@code |u1}. */
  public String descr() {
    char order = dtype.size() == 1 ? '|' : byteOrder == ByteOrder.BIG_ENDIAN ? '>' : '<';
    return "" + order + dtype.kind() + dtype.size();
  }

  /** The shape as NumPy prints it: {@code (2, 3)}, {@code (5,)} or {@code ()}. */
  public String shapeString() {
    return shapeString(shape);
  }

  static String shapeString(long[] shape) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /**
   * The header of a C-order array written by this project: format 1.0 (2.0 if the dict would not fit), the dict
   * padded with spaces and a final newline so that the data starts at a multiple of 64 bytes, as NumPy does.
   *
   * @return the complete header bytes (magic to newline); the data offset is their length
   */
  static byte[] encode(NumericType dtype, ByteOrder order, long[] shape) {
    String dict = "{'descr': '" + new NpyHeader(dtype, order, shape, false, 0).descr()
        + "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
    int major = 1;
    int prefix = MAGIC.length + 2 + 2;
    int total = roundUp64(prefix + dict.length() + 1);
    if (total - prefix > 0xFFFF) {
      major = 2;
      prefix += 2;
      total = roundUp64(prefix + dict.length() + 1);
    }
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) (total - prefix));
    } else {
      b.putInt(total - prefix);
    }
    b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
    while (b.position() < total - 1) {
      b.put((byte) ' ');
    }
    b.put((byte) '\n');
    return b.array();
  }

  private static int roundUp64(int n) {
    return (n + 63) / 64 * 64;
  }

  /** Reads and checks the header of {@code file}; see {@link #parse}. */
  public static NpyHeader read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return parse(ch, file.toString());
    } catch (NoSuchFileException e) {
      throw new BadInputException(file.toString(), "no such file");
    }
  }

  /**
   * Parses the header at the start of {@code channel} and checks it against the channel's size: the data must
   * hold exactly {@code prod(shape) · itemsize} bytes. Leaves the channel position unspecified.
   *
   * @param source the file name used in error messages
   * @throws BadInputException for anything that is not a well-formed .npy file of real numbers
   */
  public static NpyHeader parse(SeekableByteChannel channel, String source) throws IOException {
    long fileSize = channel.size();
    ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    channel.position(0);
    readFully(channel, prefix);
    prefix.flip();
    if (prefix.remaining() < 10) {
      throw new BadInputException(source, "only " + prefix.remaining() + " bytes long: too short to be a NumPy "
          + ".npy file");
    }
    if (!startsWithMagic(prefix)) {
      throw new BadInputException(source, "not a NumPy .npy file (it does not start with the bytes \\x93NUMPY)");
    }
    int major = prefix.get(6) & 0xFF;
    int minor = prefix.get(7) & 0xFF;
    if (minor != 0 || major < 1 || major > 3) {
      throw new BadInputException(source, "unsupported .npy format version " + major + "." + minor
          + " (this reader knows 1.0, 2.0 and 3.0)");
    }
    long headerLength;
    int lengthEnd;
    if (major == 1) {
      headerLength = prefix.getShort(8) & 0xFFFF;
      lengthEnd = 10;
    } else {
      if (prefix.remaining() < 12) {
        throw new BadInputException(source, "file ends inside the .npy header");
      }
      headerLength = prefix.getInt(8) & 0xFFFFFFFFL;
      lengthEnd = 12;
    }
    long dataOffset = lengthEnd + headerLength;
    if (dataOffset > fileSize) {
      throw new BadInputException(source, String.format(
          "header claims %d bytes but the file has only %d bytes after the header length field (truncated or "
              + "not a .npy file)", headerLength, fileSize - lengthEnd));
    }
    if (headerLength > MAX_HEADER_BYTES) {
      throw new BadInputException(source, "header of " + headerLength + " bytes is implausibly large for a "
          + ".npy file (corrupt file?)");
    }
    ByteBuffer h = ByteBuffer.allocate((int) headerLength);
    channel.position(lengthEnd);
    readFully(channel, h);
    String text = new String(h.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NpyHeader header = fromDict(text, dataOffset, source);

    long count;
    long bytes;
    try {
      count = header.elementCount();
      bytes = Math.multiplyExact(count, header.elementSize());
    } catch (ArithmeticException e) {
      throw new BadInputException(source, "absurd shape " + header.shapeString() + " in the header: more "
          + "elements than any file can hold (corrupt header?)");
    }
    long found = fileSize - dataOffset;
    if (found < bytes) {
      throw new BadInputException(source, String.format("truncated: expected %d bytes of data (shape %s, %s), "
          + "found %d", bytes, header.shapeString(), header.descr(), found));
    }
    if (found > bytes) {
      // NumPy ignores trailing bytes; we do not, because they mean the shape does not describe the data.
      throw new BadInputException(source, String.format("%d bytes after the data that shape %s of %s does not "
          + "account for (wrong shape in the header, or not written by NumPy?)", found - bytes,
          header.shapeString(), header.descr()));
    }
    return header;
  }

  private static boolean startsWithMagic(ByteBuffer b) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Reads until {@code b} is full or the channel ends. */
  static void readFully(SeekableByteChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        return;
      }
    }
  }

  /** Interprets the dict literal; exactly the keys descr, fortran_order and shape are accepted. */
  private static NpyHeader fromDict(String text, long dataOffset, String source) {
    Map<String, Object> dict;
    try {
      dict = new DictParser(text).parse();
    } catch (IllegalArgumentException e) {
      throw new BadInputException(source, "unreadable .npy header dict (" + e.getMessage() + "): "
          + text.strip());
    }
    if (!dict.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
      throw new BadInputException(source, "the .npy header must have exactly the keys 'descr', "
          + "'fortran_order' and 'shape', found " + dict.keySet());
    }
    Object descr = dict.get("descr");
    if (descr instanceof StructuredDescr sd) {
      throw new BadInputException(source, "structured (record) arrays cannot be unmixed: descr is " + sd.text()
          + "; save a plain numeric array");
    }
    if (!(descr instanceof String d)) {
      throw new BadInputException(source, "'descr' must be a dtype string such as '<f4', found " + literal(descr));
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new BadInputException(source, "'fortran_order' must be True or False, found "
          + literal(dict.get("fortran_order")));
    }
    if (!(dict.get("shape") instanceof long[] shape)) {
      throw new BadInputException(source, "'shape' must be a tuple of integers, found "
          + literal(dict.get("shape")));
    }
    for (long dim : shape) {
      if (dim < 0) {
        throw new BadInputException(source, "negative dimension in shape " + shapeString(shape));
      }
    }
    ByteOrder order = byteOrderOf(d, source);
    NumericType type = typeOf(d, source);
    if (type.size() > 1 && d.charAt(0) == '|') {
      throw new BadInputException(source, "dtype '" + d + "' has no byte order ('|') but its elements are "
          + type.size() + " bytes long");
    }
    return new NpyHeader(type, order, shape, fortran, dataOffset);
  }

  /** A parsed header value written back as the Python literal it came from, for error messages. */
  private static String literal(Object v) {
    if (v instanceof StructuredDescr sd) {
      return sd.text();
    }
    if (v instanceof long[] shape) {
      return shapeString(shape);
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    return "'" + v + "'";
  }

  private static ByteOrder byteOrderOf(String descr, String source) {
    char c = descr.isEmpty() ? '?' : descr.charAt(0);
    switch (c) {
      case '<':
      case '|':
        return ByteOrder.LITTLE_ENDIAN;
      case '>':
        return ByteOrder.BIG_ENDIAN;
      default:
        // NumPy always writes '<', '>' or '|'; '=' (native) would depend on the machine that wrote it.
        throw new BadInputException(source, "dtype '" + descr + "' does not state a byte order "
            + "('<' little-endian, '>' big-endian or '|')");
    }
  }

  private static NumericType typeOf(String descr, String source) {
    String code = descr.substring(1);
    char kind = code.isEmpty() ? '?' : code.charAt(0);
    switch (kind) {
      case 'c':
        throw new BadInputException(source, "dtype '" + descr + "' is complex: complex data cannot be unmixed "
            + "(save the real part or the modulus)");
      case 'b':
      case '?':
        if (code.equals("b1")) {
          throw new BadInputException(source, "dtype '" + descr + "' is boolean: a mask, not spectra");
        }
        break;
      case 'O':
        throw new BadInputException(source, "dtype '" + descr + "' holds Python objects, which cannot be read "
            + "outside Python (save a numeric array)");
      case 'S':
      case 'a':
      case 'U':
        throw new BadInputException(source, "dtype '" + descr + "' holds text, not numbers");
      case 'V':
        throw new BadInputException(source, "dtype '" + descr + "' holds raw (void) records, not numbers");
      case 'M':
      case 'm':
        throw new BadInputException(source, "dtype '" + descr + "' holds dates or time spans, not numbers");
      default:
        break;
    }
    if (code.length() >= 2 && (kind == 'i' || kind == 'u' || kind == 'f')) {
      try {
        NumericType t = NumericType.of(kind, Integer.parseInt(code.substring(1)));
        if (t != null) {
          return t;
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
    }
    throw new BadInputException(source, "unsupported dtype '" + descr + "' (readable: signed and unsigned "
        + "integers of 1, 2, 4 or 8 bytes, float16, float32, float64)");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyHeader h && h.dtype == dtype && h.byteOrder.equals(byteOrder)
        && Arrays.equals(h.shape, shape) && h.fortranOrder == fortranOrder && h.dataOffset == dataOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, byteOrder, Arrays.hashCode(shape), fortranOrder, dataOffset);
  }

  @Override
  public String toString() {
    return "NpyHeader[" + descr() + ", shape " + shapeString() + (fortranOrder ? ", Fortran order" : ", C order")
        + ", data at byte " + dataOffset + "]";
  }

  /** The text of a list-valued descr (a structured dtype), kept only to name it in the error. */
  private record StructuredDescr(String text) {}

  /**
   * A parser for the small subset of Python literals a .npy header uses: a dict with string keys whose values
   * are strings, {@code True}/{@code False}, tuples of integers (Python 2 {@code 3L} accepted) or lists (structured
   * dtypes, returned as {@link StructuredDescr} so the caller can refuse them by name).
   */
  private static final class DictParser {
    private final String s;
    private int i;

    DictParser(String s) {
      this.s = s;
    }

    Map<String, Object> parse() {
      skipSpace();
      expect('{');
      Map<String, Object> map = new HashMap<>();
      skipSpace();
      while (peek() != '}') {
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        Object value = value();
        if (map.put(key, value) != null) {
          throw new IllegalArgumentException("key '" + key + "' appears twice");
        }
        skipSpace();
        if (peek() == ',') {
          i++;
          skipSpace();
        } else if (peek() != '}') {
          throw new IllegalArgumentException("expected ',' or '}' at character " + i);
        }
      }
      i++;
      skipSpace();
      if (i != s.length()) {
        throw new IllegalArgumentException("unexpected text after the dict at character " + i);
      }
      return map;
    }

    private Object value() {
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (c == '[') {
        return bracketed();
      }
      if (s.startsWith("True", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      throw new IllegalArgumentException("unexpected value at character " + i);
    }

    private String string() {
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw new IllegalArgumentException("expected a quoted string at character " + i);
      }
      int end = s.indexOf(quote, i + 1);
      if (end < 0) {
        throw new IllegalArgumentException("unterminated string at character " + i);
      }
      String v = s.substring(i + 1, end);
      if (v.indexOf('\\') >= 0) {
        throw new IllegalArgumentException("escaped characters in a string at character " + i);
      }
      i = end + 1;
      return v;
    }

    private long[] tuple() {
      expect('(');
      long[] dims = new long[4];
      int n = 0;
      skipSpace();
      while (peek() != ')') {
        int start = i;
        if (peek() == '-') {
          i++;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
        if (i == start || (i == start + 1 && s.charAt(start) == '-')) {
          throw new IllegalArgumentException("expected an integer in the shape at character " + start);
        }
        long d;
        try {
          d = Long.parseLong(s.substring(start, i));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("dimension " + s.substring(start, i) + " is too large");
        }
        if (peek() == 'L') {
          i++; // Python 2 long literal
        }
        if (n == dims.length) {
          if (n >= 64) {
            throw new IllegalArgumentException("more than 64 dimensions");
          }
          dims = Arrays.copyOf(dims, 2 * n);
        }
        dims[n++] = d;
        skipSpace();
        if (peek() == ',') {
          i++;
          skipSpace();
        } else if (peek() != ')') {
          throw new IllegalArgumentException("expected ',' or ')' in the shape at character " + i);
        } else if (n == 1) {
          throw new IllegalArgumentException("'(n)' is not a tuple; a 1-D shape is written '(n,)'");
        }
      }
      i++;
      return Arrays.copyOf(dims, n);
    }

    /** Skips a balanced [...] (a structured dtype description) and returns its text. */
    private StructuredDescr bracketed() {
      int start = i;
      int depth = 0;
      do {
        char c = peek();
        if (c == '[' || c == '(') {
          depth++;
        } else if (c == ']' || c == ')') {
          depth--;
        } else if (c == '\'' || c == '"') {
          string();
          continue;
        }
        i++;
      } while (depth > 0);
      return new StructuredDescr(s.substring(start, i));
    }

    private char peek() {
      if (i >= s.length()) {
        throw new IllegalArgumentException("the dict ends early");
      }
      return s.charAt(i);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at character " + i);
      }
      i++;
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
