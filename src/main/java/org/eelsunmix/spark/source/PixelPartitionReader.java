package org.eelsunmix.spark.source;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.AcquisitionFiles;
import org.eelsunmix.io.SpectrumSource;

/**
 * The rows of one {@link FileTile}: {@code acquisition_id}, {@code x}, {@code y}, {@code spectrum} (the pixel
 * schema), read a block of pixels at a time ({@link PixelBlocks}) and handed to Spark as binary rows: each spectrum
 * is copied once, straight from the block into an {@link UnsafeArrayData}, with no boxing.
 */
final class PixelPartitionReader implements PartitionReader<InternalRow> {
  private final LocalAccess local;
  private final SpectrumSource source;
  private final PixelBlocks blocks;
  private final UTF8String id;
  private final int width;
  private final int channels;
  private final GenericInternalRow row = new GenericInternalRow(4);
  private int k;
  private int count;

  PixelPartitionReader(FileTile tile, Configuration conf) throws IOException {
    this.local = LocalAccess.of(tile.path(), conf);
    SpectrumSource s = null;
    try {
      s = AcquisitionFiles.open(local.file());
    } finally {
      if (s == null) {
        local.close();
      }
    }
    this.source = s;
    this.width = s.header().width();
    this.channels = s.header().axis().channels();
    if (tile.p1() > s.header().pixels()) {
      close();
      throw new BadInputException(tile.path(), "changed since the load was planned: it has "
          + s.header().pixels() + " pixels, not " + tile.p1());
    }
    this.blocks = new PixelBlocks(s, tile.p0(), tile.p1());
    this.id = UTF8String.fromString(tile.id());
    row.update(0, id);
  }

  @Override
  public boolean next() throws IOException {
    if (++k >= count) {
      if (!blocks.next()) {
        return false;
      }
      k = 0;
      count = blocks.count();
    }
    long p = blocks.first() + k;
    row.setInt(1, (int) (p % width));
    row.setInt(2, (int) (p / width));
    // A block is at most 4 MiB, so the byte offset fits an int.
    row.update(3, UnsafeArrayData.fromPrimitiveArray(blocks.values(), Platform.FLOAT_ARRAY_OFFSET + 4 * k * channels,
        channels, 4));
    return true;
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public void close() throws IOException {
    try {
      source.close();
    } finally {
      local.close();
    }
  }
}
