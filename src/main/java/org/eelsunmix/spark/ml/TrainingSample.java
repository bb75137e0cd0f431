package org.eelsunmix.spark.ml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.spark.PixelRows;
import scala.Tuple2;

/**
 * The spectra an autoencoder trains on, drawn from a pixel table without collecting the image: each pixel gets a
 * pseudo-random rank from (seed, acquisition, y, x) alone (SplitMix64's finaliser, Steele, Lea &amp; Flood, OOPSLA
 * 2014), and the {@code n} pixels of smallest rank are the sample. The draw therefore depends on the seed and the
 * pixels' addresses, never on how the table is partitioned or ordered; it is one pass for the ranks (only the
 * {@code n} smallest longs reach the driver) and one filter.
 */
final class TrainingSample {
  private TrainingSample() {}

  /** A drawn spectrum (counts) with its rank; the rank orders the sample reproducibly. */
  record Drawn(long rank, float[] spectrum) implements java.io.Serializable {}

  /** The pixel's rank under {@code seed}. */
  static long rank(long seed, PixelKey key) {
    long h = mix(seed + 0x9E3779B97F4A7C15L);
    h = mix(h ^ key.acquisition().hashCode());
    return mix(h ^ (((long) key.y() << 32) | (key.x() & 0xffffffffL)));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The drawn pixels of {@code pixels}: the {@code n} of smallest rank (all when the table is smaller), still
   * distributed.
   *
   * @throws BadInputException naming the table when it is empty
   */
  static JavaRDD<Drawn> draw(Dataset<?> pixels, PixelRows rows, long seed, int n) {
    JavaRDD<InternalRow> binary = PixelRows.of(pixels);
    List<Long> smallest = binary.map(r -> rank(seed, rows.key(r))).takeOrdered(n);
    if (smallest.isEmpty()) {
      throw new BadInputException("input dataset", "has no pixels");
    }
    long threshold = smallest.get(smallest.size() - 1);
    int channels = rows.channels();
    return binary.mapPartitions((Iterator<InternalRow> it) -> {
      List<Drawn> out = new ArrayList<>();
      while (it.hasNext()) {
        InternalRow r = it.next();
        long rank = rank(seed, rows.key(r));
        // Signed comparison, as takeOrdered's.
        if (rank <= threshold) {
          float[] y = new float[channels];
          rows.spectrum(r, y);
          out.add(new Drawn(rank, y));
        }
      }
      return out.iterator();
    });
  }

  /** The drawn spectra in rank order, as one {@code n × B} row-major array (n ≤ the sample size asked). */
  static float[] collect(JavaRDD<Drawn> drawn, int channels) {
    List<Tuple2<Long, float[]>> all = drawn.map(d -> new Tuple2<>(d.rank(), d.spectrum())).collect();
    List<Tuple2<Long, float[]>> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingLong(Tuple2::_1));
    float[] out = new float[sorted.size() * channels];
    for (int i = 0; i < sorted.size(); i++) {
      System.arraycopy(sorted.get(i)._2(), 0, out, i * channels, channels);
    }
    return out;
  }
}
