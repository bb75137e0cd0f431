package org.eelsunmix.io;

/**
 * The pixel types of a DigitalMicrograph image ({@code ImageData/DataType}), with their NumPy names.
 *
 * <p>Codes from the DigitalMicrograph scripting help ("Image data types") as also used by rosettasciio: 1 int16,
 * 2 float32, 3 complex64, 5 packed complex (FFT), 6 uint8, 7 int32, 8 RGB, 9 int8, 10 uint16, 11 uint32,
 * 12 float64, 13 complex128, 14 binary, 23 RGBA, 27/28 packed complex64/128. Real types can be unmixed and are
 * converted to float; complex, colour and binary images are refused with a reason.
 */
public enum DmImageDataType {
  INT16(1, "int16", 2),
  FLOAT32(2, "float32", 4),
  COMPLEX64(3, "complex64", 8),
  PACKED_COMPLEX(5, "complex64", 8),
  UINT8(6, "uint8", 1),
  INT32(7, "int32", 4),
  RGB(8, "rgb", 4),
  INT8(9, "int8", 1),
  UINT16(10, "uint16", 2),
  UINT32(11, "uint32", 4),
  FLOAT64(12, "float64", 8),
  COMPLEX128(13, "complex128", 16),
  BINARY(14, "bool", 1),
  RGBA(23, "rgba", 4),
  PACKED_COMPLEX64(27, "complex64", 8),
  PACKED_COMPLEX128(28, "complex128", 16);

  private final int code;
  private final String numpyName;
  private final int size;

  DmImageDataType(int code, String numpyName, int size) {
    this.code = code;
    this.numpyName = numpyName;
    this.size = size;
  }

  /** The type with this {@code DataType} code, or {@code null} if DigitalMicrograph defines none. */
  public static DmImageDataType ofCode(double code) {
    for (DmImageDataType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  public int code() {
    return code;
  }

  /** NumPy's name for the type ({@code float32}, {@code int16}, ...). */
  public String numpyName() {
    return numpyName;
  }

  /** Bytes per pixel as stored (packed complex types store half a spectrum per pixel; see {@link #isComplex}). */
  public int size() {
    return size;
  }

  public boolean isComplex() {
    return this == COMPLEX64 || this == COMPLEX128 || this == PACKED_COMPLEX || this == PACKED_COMPLEX64
        || this == PACKED_COMPLEX128;
  }

  /** The number type of a real pixel type ({@link #isReal()}), null for complex, colour and binary images. */
  public NumericType numeric() {
    return isReal() ? NumericType.ofName(numpyName) : null;
  }

  /** True for the real number types that a reader converts to float. */
  public boolean isReal() {
    return !isComplex() && this != RGB && this != RGBA && this != BINARY;
  }
}
