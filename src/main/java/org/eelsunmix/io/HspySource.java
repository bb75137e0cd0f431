package org.eelsunmix.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.OrderedDataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.eelsunmix.core.BadInputException;

/**
 * Pixel ranges of the {@code data} array of a HyperSpy file ({@link HspyReader#open}), C order
 * {@code (y, x, E)}, {@code (x, E)} or {@code (E)}, so pixel {@code p} is {@code p · E ... p · E + E − 1}.
 *
 * <ul>
 *   <li>Contiguous storage (HDF5 "contiguous layout"): the values are read from the file at the dataset's address,
 *       a range being one run ({@link StoredValues}).</li>
 *   <li>Chunked storage (HyperSpy's default, usually shuffled and deflated): the chunks that meet the range's rows
 *       are decompressed by jHDF one at a time ({@code getDecompressedChunk}), converted by {@link NumericType}
 *       and their pixels of the range copied out; memory is one chunk.</li>
 *   <li>Compact storage (tiny arrays kept in the object header): read whole through jHDF once.</li>
 * </ul>
 */
final class HspySource implements SpectrumSource {
  /** A chunk larger than this (in values) is not a HyperSpy chunk but a corrupt header. */
  private static final long MAX_CHUNK_VALUES = 1L << 27;

  private final AcquisitionHeader header;
  private final HdfFile hdf;
  private final Dataset data;
  private final NumericType type;
  private final ByteOrder order;
  private final int height;
  private final int width;
  private final int channels;
  private FileChannel channel;
  private StoredValues contiguous;
  private float[] compact;
  private int[] chunk3;
  private float[] chunkValues;

  HspySource(AcquisitionHeader header, HdfFile hdf, Dataset data, Path file) throws IOException {
    this.header = header;
    this.hdf = hdf;
    this.data = data;
    this.type = header.dtype();
    this.order = data.getDataType() instanceof OrderedDataType o ? o.getByteOrder() : ByteOrder.LITTLE_ENDIAN;
    this.height = header.height();
    this.width = header.width();
    this.channels = header.axis().channels();
    String source = header.path();
    long bytes = header.values() * type.size();
    if (data instanceof ContiguousDataset c && c.getDataAddress() >= 0) {
      long start = hdf.getUserBlockSize() + c.getDataAddress();
      if (start + bytes > hdf.size()) {
        throw new BadInputException(source, "truncated: the data array needs bytes " + start + " to "
            + (start + bytes) + " but the file has " + hdf.size());
      }
      channel = FileChannel.open(file, StandardOpenOption.READ);
      contiguous = new StoredValues(source, channel, start, header.values(), type, order);
    } else if (data instanceof ChunkedDataset c) {
      int[] dims = c.getChunkDimensions();
      int n = data.getDimensions().length;
      if (dims.length != n) {
        throw new BadInputException(source, "the data array's chunks have " + dims.length + " dimensions, the "
            + "array " + n);
      }
      long values = 1;
      for (int d : dims) {
        if (d < 1) {
          throw new BadInputException(source, "the data array has chunks of size " + d);
        }
        values *= d;
        if (values > MAX_CHUNK_VALUES) {
          throw new BadInputException(source, "the data array's chunks are implausibly large (corrupt header?)");
        }
      }
      // Chunk sizes as (rows, columns, channels), 1 where the array has no such axis.
      chunk3 = new int[] {n == 3 ? dims[0] : 1, n >= 2 ? dims[n - 2] : 1, dims[n - 1]};
      chunkValues = new float[(int) values];
    } else {
      if (bytes > MAX_CHUNK_VALUES) {
        throw new BadInputException(source, "a large data array stored neither contiguous nor chunked");
      }
      compact = HspyReader.toFloats(source, data.getDataFlat(), (int) header.values());
    }
  }

  @Override
  public AcquisitionHeader header() {
    return header;
  }

  @Override
  public void readPixels(long p0, long p1, float[] dst, int offset) throws IOException {
    SpectrumSource.checkRange(header, p0, p1, dst, offset);
    if (p1 == p0) {
      return;
    }
    try {
      if (contiguous != null) {
        contiguous.read(p0 * channels, (int) ((p1 - p0) * channels), dst, offset);
      } else if (compact != null) {
        System.arraycopy(compact, (int) (p0 * channels), dst, offset, (int) ((p1 - p0) * channels));
      } else {
        readChunked(p0, p1, dst, offset);
      }
    } catch (RuntimeException e) {
      throw HspyReader.corrupt(header.path(), e);
    }
  }

  /** Every chunk that meets rows {@code p0 / W ... (p1 − 1) / W}, decompressed once, its in-range pixels copied. */
  private void readChunked(long p0, long p1, float[] dst, int offset) {
    int ch = chunk3[0];
    int cw = chunk3[1];
    int ce = chunk3[2];
    int n = data.getDimensions().length;
    long y0 = p0 / width;
    long y1 = (p1 - 1) / width;
    int[] chunkOffset = new int[n];
    for (long cy = y0 / ch * ch; cy <= y1; cy += ch) {
      for (int cx = 0; cx < width; cx += cw) {
        for (int e0 = 0; e0 < channels; e0 += ce) {
          if (n == 3) {
            chunkOffset[0] = (int) cy;
          }
          if (n >= 2) {
            chunkOffset[n - 2] = cx;
          }
          chunkOffset[n - 1] = e0;
          byte[] raw = ((ChunkedDataset) data).getDecompressedChunk(chunkOffset);
          if (raw == null || raw.length != chunkValues.length * type.size()) {
            throw new BadInputException(header.path(), "a chunk of the data array at " + java.util.Arrays.toString(
                chunkOffset) + " decompressed to " + (raw == null ? 0 : raw.length) + " bytes, expected "
                + chunkValues.length * type.size());
          }
          type.decode(ByteBuffer.wrap(raw).order(order), chunkValues, 0, chunkValues.length);
          int run = Math.min(ce, channels - e0);
          for (int a = 0; a < ch && cy + a < height; a++) {
            for (int b = 0; b < cw && cx + b < width; b++) {
              long p = (cy + a) * width + cx + b;
              if (p >= p0 && p < p1) {
                System.arraycopy(chunkValues, (a * cw + b) * ce, dst, offset + (int) ((p - p0) * channels) + e0, run);
              }
            }
          }
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      hdf.close();
    } finally {
      if (channel != null) {
        channel.close();
      }
    }
  }
}
