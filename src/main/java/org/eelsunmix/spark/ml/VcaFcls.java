package org.eelsunmix.spark.ml;

import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
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
public final class VcaFcls extends Estimator<VcaFclsModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final DoubleParam snrDb;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;

  public VcaFcls() {
    this(Identifiable$.MODULE$.randomUID("vcaFcls"));
  }

  public VcaFcls(String uid) {
    this.uid = uid;
    numEndmembers = UnmixingParams.numEndmembers(this);
    seed = UnmixingParams.seed(this);
    snrDb = new DoubleParam(this, "snrDb", "SNR in dB that selects VCA's projection; NaN estimates it (default)");
    inputCol = UnmixingParams.inputCol(this);
    outputCol = UnmixingParams.outputCol(this);
    rmseCol = UnmixingParams.rmseCol(this);
    setDefault(numEndmembers, 3);
    setDefault(seed, 0L);
    setDefault(snrDb, Double.NaN);
    setDefault(inputCol, "spectrum");
    setDefault(outputCol, "abundances");
    setDefault(rmseCol, "rmse");
  }

  @Override
  public String uid() {
    return uid;
  }

  public IntParam numEndmembers() {
    return numEndmembers;
  }

  public LongParam seed() {
    return seed;
  }

  public DoubleParam snrDb() {
    return snrDb;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> rmseCol() {
    return rmseCol;
  }

  public VcaFcls setNumEndmembers(int value) {
    set(numEndmembers, value);
    return this;
  }

  public VcaFcls setSeed(long value) {
    set(seed, value);
    return this;
  }

  public VcaFcls setSnrDb(double value) {
    set(snrDb, value);
    return this;
  }

  public VcaFcls setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public VcaFcls setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  public int getNumEndmembers() {
    return (Integer) $(numEndmembers);
  }

  public long getSeed() {
    return (Long) $(seed);
  }

  public double getSnrDb() {
    return (Double) $(snrDb);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return UnmixingParams.outputSchema(schema, $(inputCol), $(outputCol), $(rmseCol));
  }

  /** A pixel's address with its VCA projection; kept between the search passes. */
  private record Projected(PixelKey key, double[] x) implements Serializable {}

  @Override
  public VcaFclsModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String column = $(inputCol);
    int r = getNumEndmembers();
    SpectraInput input = SpectraInput.of(dataset, column);
    EnergyAxis axis = input.axis();
    int channels = input.channels();
    if (r > channels) {
      throw new BadInputException("numEndmembers", "asked for " + r + " endmembers but the spectra have only "
          + channels + " channels");
    }
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
      Endmembers endmembers = new Endmembers(spectra, null, axis);
      VcaFclsModel model = new VcaFclsModel(uid, endmembers, projection.snrDb());
      copyValues(model, extractParamMap());
      return model.setParent(this);
    } finally {
      projected.unpersist(false);
    }
  }

  @Override
  public VcaFcls copy(ParamMap extra) {
    return (VcaFcls) defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new StageWriter(this, null, null);
  }

  public static MLReader<VcaFcls> read() {
    return MlPersistence.paramsOnlyReader(VcaFcls.class, VcaFcls::new);
  }

  public static VcaFcls load(String path) {
    return read().load(path);
  }
}
