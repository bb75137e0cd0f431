package org.eelsunmix.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import org.eelsunmix.core.BadInputException;

/**
 * Sequential, bounds-checked reading of a DigitalMicrograph file through one 64 KiB window. Every read and skip is
 * checked against the bytes left in the file first, so a corrupt length can only produce a
 * {@link BadInputException} ("truncated ... at byte offset N"), never a huge allocation or a read past the end.
 *
 * <p>Structure fields (tag headers, info arrays) are big-endian in every DM file; tag values use the byte order
 * the file header declares, passed as {@code dataOrder}. Not thread-safe.
 */
final class DmFileInput {
  private static final int WINDOW = 1 << 16;

  private final String source;
  private final FileChannel channel;
  private final long size;
  private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
  /** File offset of window index 0. */
  private long windowStart;
  private ByteOrder dataOrder = ByteOrder.LITTLE_ENDIAN;

  DmFileInput(String source, FileChannel channel) throws IOException {
    this.source = source;
    this.channel = channel;
    this.size = channel.size();
    window.limit(0);
  }

  String source() {
    return source;
  }

  long size() {
    return size;
  }

  long position() {
    return windowStart + window.position();
  }

  long remaining() {
    return size - position();
  }

  void dataOrder(ByteOrder order) {
    this.dataOrder = order;
  }

  /** Fails unless {@code n} more bytes exist; {@code what} says what was being read, for the message. */
  void require(long n, String what) {
    if (n < 0 || n > remaining()) {
      throw new BadInputException(source, String.format(
          "file is truncated or corrupt: %s at byte offset %d needs %s bytes but only %d remain", what, position(),
          n < 0 ? "a negative number of" : Long.toString(n), remaining()));
    }
  }

  /** Moves forward by {@code n} bytes (checked). */
  void skip(long n, String what) {
    require(n, what);
    long target = position() + n;
    if (target <= windowStart + window.limit()) {
      window.position((int) (target - windowStart));
    } else {
      windowStart = target;
      window.limit(0);
    }
  }

  int u8(String what) {
    fill(1, what);
    return Byte.toUnsignedInt(window.get());
  }

  int u16(String what) {
    fill(2, what);
    return Short.toUnsignedInt(window.order(ByteOrder.BIG_ENDIAN).getShort());
  }

  int i32(String what) {
    fill(4, what);
    return window.order(ByteOrder.BIG_ENDIAN).getInt();
  }

  long i64(String what) {
    fill(8, what);
    return window.order(ByteOrder.BIG_ENDIAN).getLong();
  }

  /** Raw bytes, for labels and strings ({@code n} is checked before the array is made). */
  byte[] bytes(int n, String what) {
    require(n, what);
    byte[] out = new byte[n];
    int done = 0;
    while (done < n) {
      fill(1, what);
      int k = Math.min(n - done, window.remaining());
      window.get(out, done, k);
      done += k;
    }
    return out;
  }

  /** One tag value of simple type {@code t}, in the file's data byte order. */
  double value(DmDataType t, String what) {
    fill(t.size(), what);
    return t.read(window.order(dataOrder));
  }

  /** Makes at least {@code n} (≤ window) bytes available in the window, reading from the file if needed. */
  private void fill(int n, String what) {
    if (window.remaining() >= n) {
      return;
    }
    require(n, what);
    long pos = position();
    windowStart = pos;
    window.clear();
    try {
      while (window.position() < n) {
        int r = channel.read(window, pos + window.position());
        if (r < 0) {
          throw new BadInputException(source, "file ended unexpectedly at byte offset " + (pos + window.position())
              + " while reading " + what);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
    }
    window.flip();
  }
}
