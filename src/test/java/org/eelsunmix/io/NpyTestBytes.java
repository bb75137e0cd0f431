package org.eelsunmix.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds .npy files byte by byte for the tests, independently of {@link NpyWriter} and {@link NpyHeader}: the
 * layout is spelled out here from NEP 1 (magic, version, little-endian header length, dict, raw data).
 */
final class NpyTestBytes {
  private NpyTestBytes() {}

  /** A file of the given format version with {@code dict} padded by spaces and a newline to a multiple of 64. */
  static byte[] npy(int major, String dict, byte[] data) {
    byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int lengthBytes = major == 1 ? 2 : 4;
    int prefix = 8 + lengthBytes;
    int total = prefix + text.length + 1;
    total = (total + 63) / 64 * 64;
    ByteBuffer b = ByteBuffer.allocate(total + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) (total - prefix));
    } else {
      b.putInt(total - prefix);
    }
    b.put(text);
    while (b.position() < total - 1) {
      b.put((byte) ' ');
    }
    b.put((byte) '\n').put(data);
    return b.array();
  }

  /** A version 1.0 file with NumPy's dict layout. */
  static byte[] npy(String descr, boolean fortran, String shape, byte[] data) {
    return npy(1, "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
        + shape + ", }", data);
  }

  /** Integers of {@code size} bytes (1, 2, 4, 8); each value is truncated to its low {@code size} bytes. */
  static byte[] ints(int size, ByteOrder order, long... values) {
    ByteBuffer b = ByteBuffer.allocate(size * values.length).order(order);
    for (long v : values) {
      switch (size) {
        case 1 -> b.put((byte) v);
        case 2 -> b.putShort((short) v);
        case 4 -> b.putInt((int) v);
        case 8 -> b.putLong(v);
        default -> throw new IllegalArgumentException("size " + size);
      }
    }
    return b.array();
  }

  static byte[] float32(ByteOrder order, float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
    for (float v : values) {
      b.putInt(Float.floatToRawIntBits(v));
    }
    return b.array();
  }

  static byte[] float64(ByteOrder order, double... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(order);
    for (double v : values) {
      b.putLong(Double.doubleToRawLongBits(v));
    }
    return b.array();
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    return file;
  }
}
