package org.eelsunmix.spark.ml;

import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.unmix.FastIca;
import org.eelsunmix.unmix.IcaStatistics;
import org.eelsunmix.unmix.IcaWhitening;
import org.eelsunmix.unmix.IndependentComponents;
import org.eelsunmix.unmix.SpectralMoments;

/**
 * FastICA (Hyvärinen 1999, scikit-learn's defaults; see {@link FastIca}) as a Spark ML estimator over pixel rows:
 *
 * <ol>
 *   <li>one {@code treeReduce} of {@link SpectralMoments} → the PCA whitening ({@link IcaWhitening});</li>
 *   <li>one pass whitening every pixel to n numbers, cached (n doubles per pixel, one array per partition, not the
 *   spectra);</li>
 *   <li>per FastICA iteration, one {@code treeReduce} of {@link IcaStatistics} over the cached partitions; the
 *   driver holds only n × n matrices.</li>
 * </ol>
 *
 * The returned {@link IcaModel} appends the raw sources to any pixel table of the same channel count. Sums are
 * taken in another order than in memory, so the result agrees with {@link FastIca#fit} on the same seed to
 * rounding, whatever the partitioning.
 */
public final class Ica extends Estimator<IcaModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final DoubleParam tol;
  private final IntParam maxIter;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;

  public Ica() {
    this(Identifiable$.MODULE$.randomUID("ica"));
  }

  public Ica(String uid) {
    this.uid = uid;
    numEndmembers = UnmixingParams.numEndmembers(this);
    seed = UnmixingParams.seed(this);
    tol = new DoubleParam(this, "tol", "FastICA stopping tolerance on max |1 - |diag(W_new W_old^T)|| (> 0)",
        ParamValidators.gt(0));
    maxIter = new IntParam(this, "maxIter", "FastICA iteration cap (>= 1)", ParamValidators.gtEq(1));
    inputCol = UnmixingParams.inputCol(this);
    outputCol = UnmixingParams.outputCol(this);
    rmseCol = UnmixingParams.rmseCol(this);
    setDefault(numEndmembers, 3);
    setDefault(seed, 0L);
    setDefault(tol, FastIca.DEFAULT_TOL);
    setDefault(maxIter, FastIca.DEFAULT_MAX_ITERATIONS);
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

  public DoubleParam tol() {
    return tol;
  }

  public IntParam maxIter() {
    return maxIter;
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

  public Ica setNumEndmembers(int value) {
    set(numEndmembers, value);
    return this;
  }

  public Ica setSeed(long value) {
    set(seed, value);
    return this;
  }

  public Ica setTol(double value) {
    set(tol, value);
    return this;
  }

  public Ica setMaxIter(int value) {
    set(maxIter, value);
    return this;
  }

  public Ica setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public int getNumEndmembers() {
    return (Integer) $(numEndmembers);
  }

  public long getSeed() {
    return (Long) $(seed);
  }

  public double getTol() {
    return (Double) $(tol);
  }

  public int getMaxIter() {
    return (Integer) $(maxIter);
  }

  /** The in-memory kernel's options these params stand for. */
  public FastIca.Options options() {
    return new FastIca.Options(getNumEndmembers(), getTol(), getMaxIter(), getSeed());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return UnmixingParams.outputSchema(schema, $(inputCol), $(outputCol), $(rmseCol));
  }

  @Override
  public IcaModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    SpectraInput input = SpectraInput.of(dataset, $(inputCol));
    int channels = input.channels();
    FastIca.Options o = options();
    if (o.components() > channels) {
      throw new BadInputException("numEndmembers", "asked for " + o.components() + " components but the spectra "
          + "have only " + channels + " channels");
    }
    IcaWhitening whitening = IcaWhitening.fromMoments(input.moments(), o.components());
    int n = whitening.dims();
    PixelRows rows = input.rows();
    JavaRDD<double[]> whitened = input.pixels().mapPartitions((Iterator<InternalRow> it) -> {
      float[] y = new float[channels];
      double[] z = new double[n];
      double[] block = new double[1024 * n];
      int used = 0;
      while (it.hasNext()) {
        rows.spectrum(it.next(), y);
        whitening.whiten(y, 0, z);
        if (used + n > block.length) {
          block = java.util.Arrays.copyOf(block, block.length * 2);
        }
        System.arraycopy(z, 0, block, used, n);
        used += n;
      }
      return Collections.singletonList(java.util.Arrays.copyOf(block, used)).iterator();
    }).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      IndependentComponents ic = FastIca.iterate(whitening, o, w -> whitened.map(block -> {
        IcaStatistics s = new IcaStatistics(w, n);
        for (int p = 0; p < block.length; p += n) {
          s.add(block, p);
        }
        return s;
      }).treeReduce(IcaStatistics::merge, 2));
      IcaModel model = new IcaModel(uid, ic, input.axis());
      copyValues(model, extractParamMap());
      return model.setParent(this);
    } finally {
      whitened.unpersist(false);
    }
  }

  @Override
  public Ica copy(ParamMap extra) {
    return (Ica) defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new StageWriter(this, null, null);
  }

  public static MLReader<Ica> read() {
    return MlPersistence.paramsOnlyReader(Ica.class, Ica::new);
  }

  public static Ica load(String path) {
    return read().load(path);
  }
}
