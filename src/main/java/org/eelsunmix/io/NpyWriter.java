package org.eelsunmix.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes float32 or float64 arrays as NumPy {@code .npy} files that {@code numpy.load} reads as they are: format
 * 1.0 (NEP 1), C order, little-endian ({@code <f4} / {@code <f8}), the header padded with spaces and a newline so
 * the data starts at a multiple of 64 bytes, as {@code numpy.save} does.
 *
 * <p>Each file is written to a hidden temporary file in the same folder, flushed to disk, then renamed over the
 * target in one atomic step: a reader sees the old file or the complete new one, never a half-written one, and a
 * failure leaves no temporary file behind.
 */
public final class NpyWriter {
  private static final int BUFFER_BYTES = 1 << 20;

  private NpyWriter() {}

  /** Writes {@code data} (C order, {@code prod(shape)} values) as float32. */
  public static void write(Path file, int[] shape, float[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    long[] s = checkShape(shape, data.length);
    int perChunk = BUFFER_BYTES / 4;
    writeAtomically(file, NpyHeader.encode(NumericType.FLOAT32, ByteOrder.LITTLE_ENDIAN, s), data.length, perChunk,
        (b, from, n) -> b.asFloatBuffer().put(data, from, n));
  }

  /** Writes {@code data} (C order, {@code prod(shape)} values) as float64. */
  public static void write(Path file, int[] shape, double[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    long[] s = checkShape(shape, data.length);
    int perChunk = BUFFER_BYTES / 8;
    writeAtomically(file, NpyHeader.encode(NumericType.FLOAT64, ByteOrder.LITTLE_ENDIAN, s), data.length, perChunk,
        (b, from, n) -> b.asDoubleBuffer().put(data, from, n));
  }

  /** Writes an array in its own precision (float32 or float64). */
  public static void write(Path file, NpyArray array) throws IOException {
    if (array.isDoublePrecision()) {
      write(file, array.shape(), array.doubles());
    } else {
      write(file, array.shape(), array.floats());
    }
  }

  private static long[] checkShape(int[] shape, int length) {
    Objects.requireNonNull(shape, "shape");
    long n = 1;
    long[] s = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      s[i] = shape[i];
      n *= shape[i];
    }
    if (n != length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
          + length);
    }
    return s;
  }

  /** Puts {@code n} values starting at {@code from} at the start of the (little-endian, cleared) buffer. */
  private interface ChunkEncoder {
    void put(ByteBuffer buffer, int from, int n);
  }

  private static void writeAtomically(Path file, byte[] header, int count, int perChunk, ChunkEncoder encoder)
      throws IOException {
    AtomicFile.write(file, ch -> {
      AtomicFile.writeAll(ch, ByteBuffer.wrap(header));
      int itemSize = BUFFER_BYTES / perChunk;
      ByteBuffer b = ByteBuffer.allocate(Math.min(count, perChunk) * itemSize).order(ByteOrder.LITTLE_ENDIAN);
      for (int from = 0; from < count; from += perChunk) {
        int n = Math.min(perChunk, count - from);
        b.clear();
        encoder.put(b, from, n);
        b.limit(n * itemSize);
        AtomicFile.writeAll(ch, b);
      }
    });
  }

}
