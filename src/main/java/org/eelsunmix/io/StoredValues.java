package org.eelsunmix.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Objects;
import org.eelsunmix.core.BadInputException;

/**
 * A block of numbers stored uncompressed in a file from a byte offset on (a Ripple {@code .raw}, the data of a
 * DigitalMicrograph image tag, a contiguous HDF5 dataset), read as floats through one reader-owned 1 MiB buffer
 * and converted by {@link NumericType}. Two layouts of a spectrum image are served:
 *
 * <ul>
 *   <li>pixel-major (channel fastest): pixels {@code [p0, p1)} are one contiguous run of values;</li>
 *   <li>band-sequential (energy slowest: all pixels of channel 0, then channel 1, ...): pixels {@code [p0, p1)}
 *       are one run per channel, read a block of channels at a time and transposed so that each pixel's channels
 *       are written contiguously.</li>
 * </ul>
 *
 * Memory is the buffer and one float block, whatever the size of the file or of the range. Not thread-safe.
 */
final class StoredValues {
  private static final int BUFFER_BYTES = 1 << 20;

  private final String source;
  private final FileChannel channel;
  private final long offset;
  private final long count;
  private final NumericType type;
  private final ByteBuffer buffer;
  private final float[] block;

  /**
   * @param source the file, for messages
   * @param offset byte offset of the first value
   * @param count number of values stored
   */
  StoredValues(String source, FileChannel channel, long offset, long count, NumericType type, ByteOrder order) {
    this.source = source;
    this.channel = channel;
    this.offset = offset;
    this.count = count;
    this.type = type;
    int capacity = (int) Math.max(1, Math.min(count, BUFFER_BYTES / type.size()));
    this.buffer = ByteBuffer.allocate(capacity * type.size()).order(order);
    this.block = new float[capacity];
  }

  /** Values {@code [first, first + n)} into {@code dst[off ...]}. */
  void read(long first, int n, float[] dst, int off) throws IOException {
    check(first, n);
    Objects.checkFromIndexSize(off, n, dst.length);
    for (int done = 0; done < n; ) {
      int k = Math.min(block.length, n - done);
      fetch(first + done, k);
      type.decode(buffer, dst, off + done, k);
      done += k;
    }
  }

  /** As {@link #read(long, int, float[], int)}, into doubles (exact for every type but (u)int64). */
  void read(long first, int n, double[] dst, int off) throws IOException {
    check(first, n);
    Objects.checkFromIndexSize(off, n, dst.length);
    for (int done = 0; done < n; ) {
      int k = Math.min(block.length, n - done);
      fetch(first + done, k);
      type.decode(buffer, dst, off + done, k);
      done += k;
    }
  }

  /**
   * Pixels {@code [p0, p0 + n)} of a band-sequential image of {@code plane} pixels and {@code channels} channels,
   * pixel-major into {@code dst[off ...]} ({@code n · channels} values).
   */
  void readBandSequential(long plane, int channels, long p0, int n, float[] dst, int off) throws IOException {
    Objects.checkFromIndexSize(off, (long) n * channels > Integer.MAX_VALUE ? -1 : n * channels, dst.length);
    for (int q0 = 0; q0 < n; q0 += block.length) {
      int m = Math.min(block.length, n - q0);
      int bands = Math.max(1, block.length / m);
      for (int e0 = 0; e0 < channels; e0 += bands) {
        int k = Math.min(bands, channels - e0);
        for (int j = 0; j < k; j++) {
          long first = (e0 + j) * plane + p0 + q0;
          check(first, m);
          fetch(first, m);
          type.decode(buffer, block, j * m, m);
        }
        // Transpose the k × m block: each pixel's k channels land side by side in dst.
        for (int p = 0; p < m; p++) {
          int base = off + (q0 + p) * channels + e0;
          for (int j = 0; j < k; j++) {
            dst[base + j] = block[j * m + p];
          }
        }
      }
    }
  }

  private void check(long first, int n) {
    if (first < 0 || n < 0 || first > count - n) {
      throw new IndexOutOfBoundsException("values " + first + " + " + n + " outside the " + count + " stored in "
          + source);
    }
  }

  /** Fills the buffer with the bytes of {@code n} values from value {@code first}. */
  private void fetch(long first, int n) throws IOException {
    buffer.clear().limit(n * type.size());
    long position = offset + first * type.size();
    while (buffer.hasRemaining()) {
      int r = channel.read(buffer, position);
      if (r < 0) {
        throw new BadInputException(source, "truncated: the file ended at byte " + position + " while reading "
            + "data (was it changed while being read?)");
      }
      position += r;
    }
    buffer.flip();
  }
}
