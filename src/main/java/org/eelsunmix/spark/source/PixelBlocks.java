package org.eelsunmix.spark.source;

import java.io.IOException;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.SpectrumSource;

/**
 * Walks pixels {@code [p0, p1)} of an open {@link SpectrumSource} a block at a time through one reused buffer of
 * about 4 MiB, refusing non-finite values (and, when asked, negative counts) with the file, pixel and channel
 * named. Both the up-front value check of
 * {@link FileSurvey} and the row reader of the data source go through here, so they agree on what a bad pixel is.
 */
final class PixelBlocks {
  private static final int BLOCK_VALUES = 1 << 20;

  private final SpectrumSource source;
  private final int channels;
  private final int width;
  private final long end;
  private final boolean nonNegative;
  private final float[] values;
  private long next;
  private long first;
  private int count;

  PixelBlocks(SpectrumSource source, long p0, long p1) {
    this(source, p0, p1, false);
  }

  /** As {@link #PixelBlocks(SpectrumSource, long, long)}; with {@code nonNegative} negative counts are refused too. */
  PixelBlocks(SpectrumSource source, long p0, long p1, boolean nonNegative) {
    this.nonNegative = nonNegative;
    this.source = source;
    this.channels = source.header().axis().channels();
    this.width = source.header().width();
    this.end = p1;
    this.next = p0;
    int block = (int) Math.max(1, Math.min(p1 - p0, BLOCK_VALUES / channels));
    this.values = new float[block * channels];
  }

  /** Reads the next block; false when the range is done. */
  boolean next() throws IOException {
    if (next >= end) {
      return false;
    }
    first = next;
    count = (int) Math.min(values.length / channels, end - next);
    source.readPixels(first, first + count, values, 0);
    int n = count * channels;
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(values[i]) || nonNegative && values[i] < 0f) {
        long p = first + i / channels;
        throw new BadInputException(source.dataPath(), String.format("%s %s at pixel (y=%d, x=%d), channel %d%s",
            Float.isFinite(values[i]) ? "negative count" : "non-finite value", values[i], p / width, p % width,
            i % channels, Float.isFinite(values[i]) ? "; unmixing needs non-negative spectra" : ""));
      }
    }
    next += count;
    return true;
  }

  /** The block's values: pixel {@link #first()} + k at {@code k · channels}. */
  float[] values() {
    return values;
  }

  long first() {
    return first;
  }

  int count() {
    return count;
  }
}
