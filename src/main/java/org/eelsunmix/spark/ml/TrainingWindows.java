package org.eelsunmix.spark.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.eelsunmix.autoencoder.AutoencoderOptions;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.spark.PixelSchema;
import scala.Tuple2;

/**
 * Draws an autoencoder's training sample ({@link WindowSample}) from a pixel table without collecting the image.
 *
 * <ul>
 *   <li>DAEU (single pixels): {@link TrainingSample}'s rank draw, over any table (several acquisitions, any
 *       partitioning);</li>
 *   <li>MTAEU and CNNAEU (2×2 neighbourhoods, square patches): the table must be one acquisition's full pixel grid.
 *       One aggregate gives its width and height; the windows are drawn on the driver from them exactly as in
 *       memory ({@link AutoencoderOptions#drawWindows}); the pixels they cover (their raster indices, broadcast)
 *       are picked out of the rows by the executors, and only those spectra reach the driver: the windows'
 *       distinct pixels, at most the acquisition. The sample is therefore the one {@code train} on the same image
 *       in memory draws, whatever the partitioning.</li>
 * </ul>
 *
 * <p>{@code --samples} larger than the table can give: DAEU's spectra and MTAEU's neighbourhoods are drawn without
 * replacement, so the draw is capped at one per pixel with a printed note (what a microscopist asking for "all of
 * it" expects, and what the in-memory draw does); CNNAEU's patches are drawn with replacement, so a count whose
 * sample would not fit on the driver is refused naming {@code --samples}. Both are decided from one count or
 * aggregate, before anything is allocated from the number asked.
 */
final class TrainingWindows {
  private TrainingWindows() {}

  /** The sample of {@code o} drawn from {@code dataset}'s rows. */
  static WindowSample draw(Dataset<?> dataset, PixelRows rows, AutoencoderOptions o, String table) {
    if (o instanceof DaeuOptions d) {
      // One count first: takeOrdered allocates for the number asked, so it only ever sees what the table holds.
      int n = capped(d.samples(), dataset.count(), "spectra", table);
      requireFits(o, n, n, rows.channels());
      float[] counts = TrainingSample.collect(TrainingSample.draw(dataset, rows, d.seed(), n), rows.channels());
      return WindowSample.ofSpectra(counts, rows.channels());
    }
    Grid grid = Grid.of(dataset, o.method(), table);
    long pixels = (long) grid.width() * grid.height();
    int n = o instanceof MtaeuOptions m ? capped(m.samples(), pixels, "2x2 neighbourhoods", grid.acquisition())
        : ((CnnaeuOptions) o).patches();
    requireFits(o, n, Math.min((long) n * o.windowPixels(), pixels), rows.channels());
    int[] windows = o.drawWindows(grid.width(), grid.height(), grid.acquisition());
    int[] needed = WindowSample.pixelsOf(windows);
    Broadcast<int[]> shared = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
        .broadcast(needed);
    int width = grid.width();
    int channels = rows.channels();
    List<Tuple2<Integer, float[]>> picked = PixelRows.of(dataset).mapPartitions((Iterator<InternalRow> it) -> {
      int[] wanted = shared.value();
      List<Tuple2<Integer, float[]>> out = new ArrayList<>();
      while (it.hasNext()) {
        InternalRow r = it.next();
        PixelKey key = rows.key(r);
        int index = Arrays.binarySearch(wanted, key.y() * width + key.x());
        if (index >= 0) {
          float[] y = new float[channels];
          rows.spectrum(r, y);
          out.add(new Tuple2<>(index, y));
        }
      }
      return out.iterator();
    }).collect();
    shared.destroy();
    float[] spectra = new float[needed.length * channels];
    for (Tuple2<Integer, float[]> p : picked) {
      System.arraycopy(p._2(), 0, spectra, p._1() * channels, channels);
    }
    return WindowSample.assemble(spectra, channels, needed, windows, o.windowPixels());
  }

  /**
   * DAEU and MTAEU draw without replacement: at most one spectrum or one neighbourhood (anchored at each pixel) per
   * pixel, whatever {@code --samples} asks, as in memory ({@link AutoencoderOptions#drawWindows}). Asking for more
   * is not an error (the reference's 2000 exceeds a small image); a note says what is drawn.
   */
  private static int capped(int asked, long pixels, String windows, String source) {
    if (asked <= pixels) {
      return asked;
    }
    System.out.printf("note: %s has %d pixels: training on %d %s, not the %d asked for (--samples)%n", source,
        pixels, pixels, windows, asked);
    return (int) pixels;
  }

  /**
   * Refuses, naming {@code --samples}, a sample that would not fit on the driver: {@code windows} windows of
   * {@link AutoencoderOptions#windowPixels} pixel indices each and {@code distinct} spectra of {@code channels}
   * floats, against half the heap and Java's largest array. CNNAEU's patches are drawn with replacement, so only
   * this bounds them; DAEU and MTAEU are checked after {@link #capped}. Nothing is allocated before.
   */
  static void requireFits(AutoencoderOptions o, long windows, long distinct, int channels) {
    double indices = (double) windows * o.windowPixels();
    double values = (double) distinct * channels;
    double bytes = 4 * (indices + values);
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes > heap / 2.0 || Math.max(indices, values) > Integer.MAX_VALUE - 8) {
      throw new BadInputException("samples", String.format("%d %s windows of %d pixel(s) need %.3g GB on the "
          + "driver (the sample's spectra and pixel indices), more than half of its %.3g GB heap: ask for fewer",
          windows, o.method(), o.windowPixels(), bytes / 1e9, heap / 1e9));
    }
  }

  /** One acquisition's full pixel grid, checked by one aggregate. */
  record Grid(String acquisition, int width, int height) {
    static Grid of(Dataset<?> dataset, String method, String table) {
      boolean hasAcquisition = Arrays.asList(dataset.schema().fieldNames()).contains(PixelSchema.ACQUISITION_ID);
      for (String c : new String[] {PixelSchema.X, PixelSchema.Y}) {
        if (!Arrays.asList(dataset.schema().fieldNames()).contains(c)) {
          throw new BadInputException(table, "has no '" + c + "' column; " + method + " trains on pixel positions");
        }
      }
      Row s = dataset.agg(count("*"), min(PixelSchema.X), max(PixelSchema.X), min(PixelSchema.Y),
          max(PixelSchema.Y), hasAcquisition ? countDistinct(col(PixelSchema.ACQUISITION_ID)) : lit(1L),
          hasAcquisition ? first(PixelSchema.ACQUISITION_ID) : lit(table)).first();
      long pixels = s.getLong(0);
      if (pixels == 0) {
        throw new BadInputException(table, "has no pixels");
      }
      long acquisitions = s.getLong(5);
      if (acquisitions != 1) {
        throw new BadInputException(table, "holds " + acquisitions + " acquisitions; " + method + " draws its "
            + "training windows from one acquisition's pixel grid: select one");
      }
      String id = s.getString(6);
      if (s.getInt(1) != 0 || s.getInt(3) != 0) {
        throw new BadInputException(table, "acquisition " + id + " does not start at pixel (0, 0); " + method
            + " needs the whole pixel grid");
      }
      int width = s.getInt(2) + 1;
      int height = s.getInt(4) + 1;
      if (pixels != (long) width * height) {
        throw new BadInputException(table, String.format("acquisition %s has %d pixel rows for a %d×%d grid; %s "
            + "needs every pixel exactly once", id, pixels, width, height, method));
      }
      return new Grid(id, width, height);
    }
  }
}
