package org.eelsunmix.spark.ml;

import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.unmix.SpectralMoments;
import org.eelsunmix.unmix.Vca;
import org.eelsunmix.unmix.VcaCandidate;
import org.eelsunmix.unmix.VcaProjection;
import org.eelsunmix.unmix.VcaSearch;

/**
 * VCA endmember extraction + FCLS abundances as a Spark ML estimator over pixel rows (Nascimento &amp;
 * Bioucas-Dias 2005; Heinz &amp; Chang 2001). {@link #fit} runs the same kernels as {@link Vca#fit}:
 *
 * <ol>
 *   <li>one {@code treeAggregate} of {@link SpectralMoments} (B×B, never the pixels) → {@link VcaProjection};</li>
 *   <li>one pass projecting every pixel to R numbers, kept (R doubles per pixel, not the spectra);</li>
 *   <li>R reductions of {@link VcaCandidate#better} along {@link VcaSearch}'s directions.</li>
 * </ol>
 *
 * The resulting {@link VcaFclsModel} unmixes any pixel table with FCLS inside partitions. Partitioning does not
 * change the chosen pixels (ties go to raster order); the moments are summed in another order, so endmembers agree
 * with the in-memory fit to rounding (relative 1e-12 or so), not bit for bit.
 */
public final class VcaFcls extends UnmixingEstimator<VcaFcls, VcaFclsModel> {
  private static final long serialVersionUID = 1L;
  private final DoubleParam snrDb;

  public VcaFcls() {
    this(Identifiable$.MODULE$.randomUID("vcaFcls"));
  }

  public VcaFcls(String uid) {
    super(uid);
    snrDb = new DoubleParam(this, "snrDb", "SNR in dB that selects VCA's projection; NaN estimates it (default)");
    setDefault(snrDb, Double.NaN);
  }

  @Override
  public String method() {
    return VcaFclsModel.METHOD;
  }

  public DoubleParam snrDb() {
    return snrDb;
  }

  public VcaFcls setSnrDb(double value) {
    return with(snrDb, value);
  }

  public double getSnrDb() {
    return (Double) $(snrDb);
  }

  /** A pixel's address with its VCA projection; kept between the search passes. */
  private record Projected(PixelKey key, double[] x) implements Serializable {}

  @Override
  protected VcaFclsModel train(Dataset<?> dataset) {
    int r = getNumEndmembers();
    SpectraInput input = SpectraInput.of(dataset, getInputCol());
    EnergyAxis axis = input.axis();
    int channels = input.channels();
    requireEndmembersFit(channels);
    PixelRows rows = input.rows();
    JavaRDD<InternalRow> pixels = input.pixels();
    SpectralMoments moments = input.moments();
    if (moments.count() < r) {
      throw new BadInputException("input dataset", "has " + moments.count() + " pixels, fewer than the " + r
          + " endmembers asked for");
    }
    VcaProjection projection = VcaProjection.fromMoments(moments, r, getSnrDb());

    JavaRDD<Projected> projected = pixels.mapPartitions((Iterator<InternalRow> it) -> {
      float[] y = new float[channels];
      return new Iterator<Projected>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Projected next() {
          InternalRow row = it.next();
          rows.spectrum(row, y);
          double[] x = new double[projection.dims()];
          projection.project(y, 0, x);
          return new Projected(rows.key(row), x);
        }
      };
    }).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      double lift = projection.projective()
          ? Math.sqrt(projected.map(p -> projection.normSquared(p.x())).reduce(Math::max)) : 0;
      VcaSearch search = new VcaSearch(r, getSeed());
      double[][] spectra = new double[r][];
      double[] point = new double[r];
      while (search.found() < r) {
        double[] f = search.nextDirection();
        VcaCandidate best = projected.mapPartitions((Iterator<Projected> it) -> {
          VcaCandidate b = null;
          while (it.hasNext()) {
            Projected p = it.next();
            double s = projection.score(f, p.x(), lift);
            if (b == null || s > b.score() || (s == b.score() && p.key().compareTo(b.key()) < 0)) {
              b = new VcaCandidate(s, p.key(), p.x());
            }
          }
          return b == null ? Collections.<VcaCandidate>emptyIterator() : Collections.singletonList(b).iterator();
        }).reduce(VcaCandidate::better);
        projection.simplexPoint(best.projection(), lift, point);
        search.accept(point);
        spectra[search.found() - 1] = projection.spectrum(best.projection());
      }
      return new VcaFclsModel(uid(), new Endmembers(spectra, null, axis), projection.snrDb());
    } finally {
      projected.unpersist(false);
    }
  }

  public static MLReader<VcaFcls> read() {
    return MlPersistence.paramsOnlyReader(VcaFcls.class);
  }

  public static VcaFcls load(String path) {
    return read().load(path);
  }
}
