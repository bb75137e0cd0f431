package org.eelsunmix.io;

import java.nio.ByteBuffer;

/**
 * The real number types spectra are stored as, in every format this project reads (NumPy {@code .npy}, Ripple
 * {@code .raw}, DigitalMicrograph image data, HDF5 datasets), named as NumPy names them, with the one set of bulk
 * conversion loops every reader uses.
 *
 * <p>Conversion, value by value: float32 and float64 keep their value (float64 narrowed to float is rounded to
 * nearest, beyond ±3.4·10<sup>38</sup> it becomes infinite); float16 is widened exactly (IEEE 754 binary16: sign,
 * 5-bit exponent with bias 15, 10-bit fraction); integers of 8, 16 and 32 bits, signed or unsigned, are exact as
 * double (and as float up to 2<sup>24</sup>); int64 and uint64 are rounded once to the nearest representable value.
 * The byte order is the source buffer's. Complex, boolean and text types are not here on purpose: they are not
 * counts, and each reader refuses them with its own reason.
 */
public enum NumericType {
  INT8('i', 1), INT16('i', 2), INT32('i', 4), INT64('i', 8),
  UINT8('u', 1), UINT16('u', 2), UINT32('u', 4), UINT64('u', 8),
  FLOAT16('f', 2), FLOAT32('f', 4), FLOAT64('f', 8);

  private final char kind;
  private final int size;

  NumericType(char kind, int size) {
    this.kind = kind;
    this.size = size;
  }

  /** NumPy kind character: {@code i} signed integer, {@code u} unsigned integer, {@code f} floating point. */
  public char kind() {
    return kind;
  }

  /** Bytes per value (NumPy's {@code itemsize}). */
  public int size() {
    return size;
  }

  /** NumPy's name: {@code int16}, {@code uint8}, {@code float32}, ... */
  public String numpyName() {
    String bits = Integer.toString(8 * size);
    return switch (kind) {
      case 'i' -> "int" + bits;
      case 'u' -> "uint" + bits;
      default -> "float" + bits;
    };
  }

  /** True when every value converts to float exactly (so a reader may hold the data as float without loss). */
  public boolean exactAsFloat() {
    return this == FLOAT32 || this == FLOAT16 || size <= 2;
  }

  @Override
  public String toString() {
    return numpyName();
  }

  /** The type with this NumPy kind and size in bytes, or {@code null}. */
  public static NumericType of(char kind, int size) {
    for (NumericType t : values()) {
      if (t.kind == kind && t.size == size) {
        return t;
      }
    }
    return null;
  }

  /** The type with this NumPy name ({@code float32}, ...), or {@code null}. */
  public static NumericType ofName(String numpyName) {
    for (NumericType t : values()) {
      if (t.numpyName().equals(numpyName)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Converts {@code n} values at the position of {@code src} (in its byte order) into {@code dst[offset ...]} and
   * advances the position. The type switch sits outside the loops so each loop is one tight pass.
   */
  public void decode(ByteBuffer src, float[] dst, int offset, int n) {
    int end = offset + n;
    switch (this) {
      case FLOAT32 -> {
        // A bulk view copy: the JVM turns it into a memory copy (with a byte swap when needed).
        src.asFloatBuffer().get(dst, offset, n);
        src.position(src.position() + 4 * n);
      }
      case FLOAT64 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = (float) src.getDouble();
        }
      }
      case FLOAT16 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = halfToFloat(src.getShort());
        }
      }
      case INT8 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.get();
        }
      }
      case UINT8 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.get() & 0xFF;
        }
      }
      case INT16 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getShort();
        }
      }
      case UINT16 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getShort() & 0xFFFF;
        }
      }
      case INT32 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getInt();
        }
      }
      case UINT32 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getInt() & 0xFFFFFFFFL;
        }
      }
      case INT64 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getLong();
        }
      }
      case UINT64 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = unsignedToFloat(src.getLong());
        }
      }
      default -> throw new AssertionError(this);
    }
  }

  /** As {@link #decode(ByteBuffer, float[], int, int)}, into doubles (exact for every type but (u)int64). */
  public void decode(ByteBuffer src, double[] dst, int offset, int n) {
    int end = offset + n;
    switch (this) {
      case FLOAT64 -> {
        src.asDoubleBuffer().get(dst, offset, n);
        src.position(src.position() + 8 * n);
      }
      case FLOAT32 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getFloat();
        }
      }
      case FLOAT16 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = halfToFloat(src.getShort());
        }
      }
      case INT8 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.get();
        }
      }
      case UINT8 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.get() & 0xFF;
        }
      }
      case INT16 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getShort();
        }
      }
      case UINT16 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getShort() & 0xFFFF;
        }
      }
      case INT32 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getInt();
        }
      }
      case UINT32 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getInt() & 0xFFFFFFFFL;
        }
      }
      case INT64 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = src.getLong();
        }
      }
      case UINT64 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = unsignedToDouble(src.getLong());
        }
      }
      default -> throw new AssertionError(this);
    }
  }

  /**
   * IEEE 754 binary16 to binary32, exact: normal numbers move the exponent from bias 15 to bias 127, subnormals
   * are {@code fraction · 2^-24}, infinities and NaN keep their class (NaN payload shifted into place).
   */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int fraction = bits & 0x3FF;
    if (exponent == 0) {
      float magnitude = fraction * 0x1p-24f; // zero or subnormal: exact in float
      return sign != 0 ? -magnitude : magnitude;
    }
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (fraction << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (fraction << 13));
  }

  /** uint64 to the nearest double: halve with a sticky bit so the one rounding happens in the conversion. */
  static double unsignedToDouble(long v) {
    return v >= 0 ? (double) v : (double) ((v >>> 1) | (v & 1)) * 2.0;
  }

  /** uint64 to the nearest float, rounded once (same sticky-bit halving). */
  static float unsignedToFloat(long v) {
    return v >= 0 ? (float) v : (float) ((v >>> 1) | (v & 1)) * 2.0f;
  }
}
