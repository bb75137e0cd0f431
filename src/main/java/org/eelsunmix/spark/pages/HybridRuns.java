package org.eelsunmix.spark.pages;

import java.io.IOException;
import java.util.Arrays;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;

/**
 * A reader of Parquet's RLE / bit-packing hybrid encoding (the format's "RLE" encoding of levels and dictionary ids):
 * a sequence of runs, each either one value repeated ({@code header = count << 1}, then the value in
 * ⌈width / 8⌉ little-endian bytes) or groups of eight bit-packed values ({@code header = groups << 1 | 1}, then
 * {@code groups × width} bytes, unpacked with parquet-column's little-endian {@link BytePacker}).
 *
 * <p>Two ways to consume it: run by run ({@link #nextRun}, {@link #packedGroup}), for levels, which our spectra keep
 * in long runs; or as dictionary ids mapped straight into a caller's {@code float[]} ({@link #readFloats}), resumable
 * at any value so that a page may fill several blocks. Not thread-safe; reused from page to page.
 */
final class HybridRuns {
  private byte[] data;
  private int pos;
  private int end;
  private int width;
  private BytePacker packer;
  private final int[] ids = new int[32];

  /** Values left in the current run (a packed run's may include the last group's padding). */
  private int remaining;
  private boolean rle;
  private int rleValue;
  /** Unpacked ids of a packed group not yet handed out: {@code ids[8 - buffered .. 8)}. */
  private int buffered;
  private String where;

  /** Starts reading {@code data[from, to)} with values of {@code width} bits; {@code where} names it in errors. */
  void reset(byte[] data, int from, int to, int width, String where) throws IOException {
    if (width < 0 || width > 32 || from > to || to > data.length) {
      throw new IOException(where + ": bad hybrid-encoded section (bit width " + width + ")");
    }
    this.data = data;
    this.pos = from;
    this.end = to;
    this.width = width;
    this.packer = Packer.LITTLE_ENDIAN.newBytePacker(width);
    this.remaining = 0;
    this.buffered = 0;
    this.where = where;
  }

  /** Whether the current run is one repeated value. */
  boolean isRle() {
    return rle;
  }

  /** The current run's repeated value. */
  int rleValue() {
    return rleValue;
  }

  /** Values in the current run not yet consumed. */
  int remaining() {
    return remaining;
  }

  /** Reads the next run's header; its length is then {@link #remaining()}. */
  void nextRun() throws IOException {
    int header = 0;
    int shift = 0;
    while (true) { // unsigned LEB128
      if (pos >= end || shift > 28) {
        throw new IOException(where + ": hybrid-encoded section ends inside a run header");
      }
      int b = data[pos++];
      header |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    buffered = 0;
    if ((header & 1) == 0) {
      rle = true;
      remaining = header >>> 1;
      int bytes = (width + 7) >>> 3;
      if (pos + bytes > end) {
        throw new IOException(where + ": hybrid-encoded section ends inside a repeated run");
      }
      int v = 0;
      for (int i = 0; i < bytes; i++) {
        v |= (data[pos++] & 0xff) << (8 * i);
      }
      rleValue = v;
    } else {
      rle = false;
      int groups = header >>> 1;
      remaining = groups * 8;
      // A packed run's bytes must lie in the section: a corrupt header must not read past it.
      if ((long) pos + (long) groups * width > end) {
        throw new IOException(where + ": hybrid-encoded section ends inside a bit-packed run");
      }
    }
    if (remaining <= 0) {
      throw new IOException(where + ": empty run in a hybrid-encoded section");
    }
  }

  /** Skips {@code n ≤ remaining()} values of a repeated run. */
  void skipRepeated(int n) {
    remaining -= n;
  }

  /** Unpacks the next group of eight values of a packed run into {@code out[0..8)}. */
  void packedGroup(int[] out) {
    packer.unpack8Values(data, pos, out, 0);
    pos += width;
    remaining -= 8;
  }

  /**
   * Maps the next {@code n} ids through {@code dictionary} into {@code out[off, off + n)}. An id outside the
   * dictionary is a corrupt page.
   */
  void readFloats(float[] dictionary, float[] out, int off, int n) throws IOException {
    try {
      int to = off + n;
      while (off < to) {
        if (buffered > 0) { // the rest of a group a previous call began
          int k = Math.min(buffered, to - off);
          for (int i = 8 - buffered, e = i + k; i < e; i++) {
            out[off++] = dictionary[ids[i]];
          }
          buffered -= k;
          continue;
        }
        if (remaining == 0) {
          nextRun();
        }
        if (rle) {
          int k = Math.min(remaining, to - off);
          Arrays.fill(out, off, off + k, dictionary[rleValue]);
          off += k;
          remaining -= k;
          continue;
        }
        int[] id = ids;
        while (remaining >= 32 && to - off >= 32) {
          packer.unpack32Values(data, pos, id, 0);
          pos += 4 * width;
          for (int i = 0; i < 32; i++) {
            out[off + i] = dictionary[id[i]];
          }
          off += 32;
          remaining -= 32;
        }
        while (remaining >= 8 && to - off >= 8) {
          packer.unpack8Values(data, pos, id, 0);
          pos += width;
          for (int i = 0; i < 8; i++) {
            out[off + i] = dictionary[id[i]];
          }
          off += 8;
          remaining -= 8;
        }
        if (remaining > 0 && off < to && to - off < 8) { // a group split between this call and the next
          packer.unpack8Values(data, pos, id, 0);
          pos += width;
          remaining -= 8;
          buffered = 8;
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IOException(where + ": a dictionary id outside the page's dictionary of " + dictionary.length, e);
    }
  }
}
