package org.eelsunmix.io;

import java.nio.ByteBuffer;

/**
 * The simple value types a DigitalMicrograph tag can hold, with the codes that the tag's type description
 * ("info array") uses for them: 2 short, 3 long, 4 unsigned short, 5 unsigned long, 6 float, 7 double, 8 boolean,
 * 9 char, 10 octet, 11 long long and 12 unsigned long long (the last two new in DM4). Codes 15 (struct), 18
 * (string) and 20 (array) describe composite values and are handled by {@link DmTagParser}.
 *
 * <p>Source: the public DM3/DM4 format notes (Chris Boothroyd's "DM3 file format" page, Gatan's DM4 notes as
 * summarised by the rosettasciio and dm3_lib readers).
 */
public enum DmDataType {
  SHORT(2, 2),
  LONG(3, 4),
  USHORT(4, 2),
  ULONG(5, 4),
  FLOAT(6, 4),
  DOUBLE(7, 8),
  BOOL(8, 1),
  CHAR(9, 1),
  OCTET(10, 1),
  LONG_LONG(11, 8),
  ULONG_LONG(12, 8);

  private final int code;
  private final int size;

  DmDataType(int code, int size) {
    this.code = code;
    this.size = size;
  }

  /** The code of this type in a tag's info array. */
  public int code() {
    return code;
  }

  /** Bytes per value. */
  public int size() {
    return size;
  }

  /** The simple type with this info-array code, or {@code null} when the code is not a simple type. */
  public static DmDataType ofCode(long code) {
    for (DmDataType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  /**
   * Reads one value at the buffer's position (in the buffer's byte order) as a double. 64-bit integers beyond
   * 2<sup>53</sup> are rounded; unsigned types are read without sign.
   */
  public double read(ByteBuffer b) {
    switch (this) {
      case SHORT:
        return b.getShort();
      case LONG:
        return b.getInt();
      case USHORT:
        return Short.toUnsignedInt(b.getShort());
      case ULONG:
        return Integer.toUnsignedLong(b.getInt());
      case FLOAT:
        return b.getFloat();
      case DOUBLE:
        return b.getDouble();
      case BOOL:
      case OCTET:
        return Byte.toUnsignedInt(b.get());
      case CHAR:
        return b.get();
      case LONG_LONG:
        return b.getLong();
      case ULONG_LONG:
        long v = b.getLong();
        // Unsigned 64-bit to double: halve, convert, double (keeps the top bit without sign).
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
      default:
        throw new IllegalStateException(name());
    }
  }
}
