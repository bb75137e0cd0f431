package org.eelsunmix.io;

import java.util.List;
import java.util.Objects;

/**
 * One node of a DigitalMicrograph tag tree: either a tag group (named or unnamed children, e.g.
 * {@code ImageList}, whose images are unnamed groups addressed as {@code [0]}, {@code [1]}, ...) or a data tag.
 *
 * <p>Data tags are kept in one of three forms: a {@link Kind#NUMBER} (simple value), {@link Kind#TEXT} (a string,
 * or an array of unsigned shorts, which is how DM stores text such as units), {@link Kind#STRUCT} (the fields of a struct of
 * simple values, e.g. a rectangle) or an {@link Kind#ARRAY}: element type, element count and file offset, so that
 * the pixels of an image are read later in blocks rather than while the tree is parsed; small arrays of simple
 * values also carry their values (and arrays of unsigned shorts read as text). Immutable.
 */
public final class DmTag {

  /** What a node holds. */
  public enum Kind { GROUP, NUMBER, TEXT, STRUCT, ARRAY }

  private final String name;
  private final Kind kind;
  private final List<DmTag> children;
  private final double number;
  private final String text;
  private final double[] numbers;
  private final DmDataType elementType;
  private final long count;
  private final long offset;
  private final long byteLength;

  private DmTag(String name, Kind kind, List<DmTag> children, double number, String text, double[] numbers,
      DmDataType elementType, long count, long offset, long byteLength) {
    this.name = Objects.requireNonNull(name, "name");
    this.kind = kind;
    this.children = children;
    this.number = number;
    this.text = text;
    this.numbers = numbers;
    this.elementType = elementType;
    this.count = count;
    this.offset = offset;
    this.byteLength = byteLength;
  }

  /** A tag group with these children (copied). */
  public static DmTag group(String name, List<DmTag> children) {
    return new DmTag(name, Kind.GROUP, List.copyOf(children), Double.NaN, null, null, null, 0, -1, 0);
  }

  /** A simple numeric value. */
  public static DmTag number(String name, double value) {
    return new DmTag(name, Kind.NUMBER, List.of(), value, null, null, null, 1, -1, 0);
  }

  /** A text value. */
  public static DmTag text(String name, String value) {
    return new DmTag(name, Kind.TEXT, List.of(), Double.NaN, Objects.requireNonNull(value), null, null, 0, -1, 0);
  }

  /** A struct of simple values, its fields in file order (copied). */
  public static DmTag struct(String name, double[] values) {
    return new DmTag(name, Kind.STRUCT, List.of(), Double.NaN, null, values.clone(), null, values.length, -1, 0);
  }

  /**
   * An array, left in the file.
   *
   * @param elementType element type, or {@code null} for arrays of structs, strings or arrays
   * @param count number of elements
   * @param offset file offset of the first element
   * @param byteLength bytes the array occupies
   * @param values the values when the array is small and simple (copied), else {@code null}
   */
  public static DmTag array(String name, DmDataType elementType, long count, long offset, long byteLength,
      double[] values) {
    String text = null;
    if (values != null && elementType == DmDataType.USHORT) {
      // DM writes text (units, names, dates) as arrays of UTF-16 code units.
      char[] chars = new char[values.length];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = (char) values[i];
      }
      text = new String(chars);
    }
    return new DmTag(name, Kind.ARRAY, List.of(), Double.NaN, text, values == null ? null : values.clone(),
        elementType, count, offset, byteLength);
  }

  /** The tag's label; empty for unnamed tags (the images of an ImageList, the dimensions of a calibration). */
  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** Children of a group, in file order (empty for data tags). */
  public List<DmTag> children() {
    return children;
  }

  /**
   * The child named {@code part}, or for {@code "[i]"} the i-th child (how unnamed children are addressed);
   * {@code null} when absent.
   */
  public DmTag child(String part) {
    if (part.length() > 2 && part.startsWith("[") && part.endsWith("]")) {
      try {
        int i = Integer.parseInt(part.substring(1, part.length() - 1));
        return i >= 0 && i < children.size() ? children.get(i) : null;
      } catch (NumberFormatException e) {
        // not an index: fall through to a name lookup
      }
    }
    for (DmTag c : children) {
      if (c.name.equals(part)) {
        return c;
      }
    }
    return null;
  }

  /** The node at a path of names/indices below this one, e.g. {@code find("ImageData", "Dimensions")}. */
  public DmTag find(String... path) {
    DmTag t = this;
    for (String p : path) {
      t = t.child(p);
      if (t == null) {
        return null;
      }
    }
    return t;
  }

  /** The value of a {@link Kind#NUMBER} node (NaN otherwise). */
  public double number() {
    return number;
  }

  /**
   * The value as text: a string, an unsigned-short array decoded as UTF-16, a number, or the values of a struct or
   * small array separated by commas; {@code null} for groups and large arrays.
   */
  public String asText() {
    if (text != null) {
      return text;
    }
    switch (kind) {
      case NUMBER:
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number)
            : Double.toString(number);
      case STRUCT:
      case ARRAY:
        if (numbers == null) {
          return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < numbers.length; i++) {
          sb.append(i == 0 ? "" : ", ").append(numbers[i]);
        }
        return sb.toString();
      default:
        return null;
    }
  }

  /** A copy of the values of a struct or small array (empty otherwise). */
  public double[] numbers() {
    return numbers == null ? new double[0] : numbers.clone();
  }

  /** Element type of an {@link Kind#ARRAY} (null for other kinds and for arrays of composite elements). */
  public DmDataType elementType() {
    return elementType;
  }

  /** Number of elements of an array (1 for a number, 0 for groups and text). */
  public long count() {
    return count;
  }

  /** File offset of an {@link Kind#ARRAY}'s first element (-1 otherwise). */
  public long offset() {
    return offset;
  }

  /** Bytes an {@link Kind#ARRAY} occupies in the file. */
  public long byteLength() {
    return byteLength;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    appendTo(sb, 0);
    return sb.toString();
  }

  private void appendTo(StringBuilder sb, int depth) {
    sb.append("  ".repeat(depth)).append(name.isEmpty() ? "<unnamed>" : name);
    if (kind == Kind.GROUP) {
      sb.append('\n');
      for (DmTag c : children) {
        c.appendTo(sb, depth + 1);
      }
    } else if (kind == Kind.ARRAY && numbers == null) {
      sb.append(" = array of ").append(count).append(' ').append(elementType).append(" at ").append(offset)
          .append('\n');
    } else {
      sb.append(" = ").append(asText()).append('\n');
    }
  }
}
