package org.eelsunmix.spark.ml;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.spark.pages.StoreScan;

/**
 * Reads each partition's pixel rows once into one in-memory block (row-major N × B counts and the N addresses,
 * spectra checked by the {@link PixelRows} reader), the shape every partitioned kernel (NMF, uDAS, BLU) runs its
 * passes on. The blocks are made a local checkpoint, so later passes never re-read the rows in another order.
 */
final class PartitionBlocks {
  private PartitionBlocks() {}

  /** Makes a kernel's block from one partition's counts and addresses. */
  interface Maker<T> extends StoreScan.BlockMaker<T> {
  }

  /**
   * One block per partition of the input's rows, not yet kept; read from the Parquet pages by {@link StoreScan}
   * when the input is a plain scan of a pixel table it reads (same partitions, pixels in the same order, so the
   * same blocks, bit for bit), else from the rows.
   */
  static <T> JavaRDD<T> blocks(SpectraInput input, Maker<T> maker) {
    Optional<StoreScan> pages = input.pageScan();
    if (pages.isPresent()) {
      return pages.get().blocks(input.context(), input.rows(), maker);
    }
    return blocks(input.pixels(), input.rows(), maker);
  }

  /** {@link #blocks(SpectraInput, Maker)}, locally checkpointed (from the Parquet pages when it can, same blocks). */
  static <T> JavaRDD<T> read(SpectraInput input, Maker<T> maker) {
    JavaRDD<T> blocks = blocks(input, maker);
    blocks.rdd().localCheckpoint();
    return blocks;
  }

  /** One block per partition of {@code rows}, not yet kept (the caller checkpoints them, {@link FitCheckpoints}). */
  static <T> JavaRDD<T> blocks(JavaRDD<InternalRow> rows, PixelRows reader, Maker<T> maker) {
    int b = reader.channels();
    return rows.mapPartitions((Iterator<InternalRow> it) -> {
      // Spectra go straight into the growing block (no per-pixel buffer); trimmed only when not full.
      float[] data = new float[64 * b];
      PixelKey[] keys = new PixelKey[64];
      int n = 0;
      while (it.hasNext()) {
        InternalRow row = it.next();
        if (n == keys.length) {
          keys = Arrays.copyOf(keys, 2 * n);
          data = Arrays.copyOf(data, 2 * n * b);
        }
        reader.spectrum(row, data, n * b);
        keys[n++] = reader.key(row);
      }
      float[] spectra = data.length == n * b ? data : Arrays.copyOf(data, n * b);
      return Collections.singletonList(maker.make(spectra, keys.length == n ? keys : Arrays.copyOf(keys, n), b))
          .iterator();
    });
  }
}
