package org.eelsunmix.spark.ml;

import java.util.Collections;
import java.util.Iterator;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.spark.pages.StoreScan;
import org.eelsunmix.unmix.SpectralMoments;
import org.eelsunmix.spark.OrderedMerge;

/**
 * The spectra an estimator fits on: their energy axis (from the column's metadata, else a channel axis of the
 * first spectrum's length), the binary-row reader and the rows, plus the one aggregation most fits start with,
 * the {@link SpectralMoments} of all pixels (one accumulator per partition, merged in partition order by {@link org.eelsunmix.spark.OrderedMerge}; the driver
 * receives B×B numbers, never pixels).
 *
 * <p>The binary rows ({@link #pixels()}) are planned on first use only: a fit that reads the Parquet pages
 * ({@link #pageScan()}) never asks for them, and planning them runs Spark's whole-stage code generation for the scan
 * (a Janino compile on the driver, 0.3–1 s of a small command's start-up when it is the session's first).
 */
final class SpectraInput {
  private final EnergyAxis axis;
  private final PixelRows rows;
  private final Dataset<?> dataset;
  private final String column;
  private JavaRDD<InternalRow> pixels;

  private SpectraInput(EnergyAxis axis, PixelRows rows, Dataset<?> dataset, String column) {
    this.axis = axis;
    this.rows = rows;
    this.dataset = dataset;
    this.column = column;
  }

  /** The spectra of {@code column} in {@code dataset} (the column's type is checked). */
  static SpectraInput of(Dataset<?> dataset, String column) {
    EnergyAxis axis = SharedParams.spectraAxis(dataset, column);
    PixelRows rows = new PixelRows(dataset.schema(), column, axis.channels(), true, "input dataset");
    return new SpectraInput(axis, rows, dataset, column);
  }

  /** The energy axis of the spectra. */
  EnergyAxis axis() {
    return axis;
  }

  /** Reads spectra (non-negative counts) out of the binary rows. */
  PixelRows rows() {
    return rows;
  }

  /** The dataset the spectra are a column of. */
  Dataset<?> dataset() {
    return dataset;
  }

  /** The spectrum column. */
  String column() {
    return column;
  }

  /** The dataset's binary rows (planned on the first call). */
  JavaRDD<InternalRow> pixels() {
    if (pixels == null) {
      pixels = PixelRows.of(dataset);
    }
    return pixels;
  }

  /** The session's Spark context, without planning the rows. */
  JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
  }

  /**
   * The same pixels read from the Parquet pages ({@link StoreScan}: same partitions, same order, a faster decoder),
   * when the dataset is a plain scan of a store's pixel table whose files that reader handles; else empty.
   */
  Optional<StoreScan> pageScan() {
    return StoreScan.of(dataset, column);
  }

  int channels() {
    return axis.channels();
  }

  /** Mean, second moment and power of all spectra, aggregated over partitions. */
  SpectralMoments moments() {
    int channels = channels();
    return aggregate(() -> new SpectralMoments(channels), (m, y) -> m.add(y, 0), SpectralMoments::merge);
  }

  /**
   * One accumulator per partition ({@code make}, on the executor), fed every spectrum in turn ({@code add}: the
   * buffer is reused; read from the Parquet pages when {@link #pageScan} can, in the same partitions and order),
   * then merged over partitions in partition order ({@link OrderedMerge}: the same bits from run to run): the driver
   * receives accumulators, never pixels.
   */
  <A> A aggregate(Function0<A> make, VoidFunction2<A, float[]> add, Function2<A, A, A> merge) {
    int channels = channels();
    PixelRows reader = rows;
    Optional<StoreScan> pages = pageScan();
    if (pages.isPresent()) { // same partitions, same pixel order: the same accumulators
      return OrderedMerge.reduce(pages.get().fold(context(), reader, make,
          (A acc, float[] chunk, org.eelsunmix.core.PixelKey[] keys, int n) -> {
            float[] y = new float[channels];
            for (int p = 0; p < n; p++) {
              System.arraycopy(chunk, p * channels, y, 0, channels);
              add.call(acc, y);
            }
          }), merge);
    }
    return OrderedMerge.reduce(pixels().mapPartitions((Iterator<InternalRow> it) -> {
      A acc = make.call();
      float[] y = new float[channels];
      while (it.hasNext()) {
        reader.spectrum(it.next(), y);
        add.call(acc, y);
      }
      return Collections.singletonList(acc).iterator();
    }), merge);
  }
}
