package org.eelsunmix.spark.ml;

import java.util.Arrays;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
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
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.unmix.Nmf;
import org.eelsunmix.unmix.NmfFit;

/**
 * Non-negative matrix factorisation {@code Y ≈ W H} of a pixel table as a Spark ML estimator: scikit-learn's
 * {@code NMF} (Frobenius loss; Pedregosa et al., JMLR 12:2825–2830, 2011) with its defaults, which is what
 * HyperSpy's {@code decomposition(algorithm="NMF")} runs. {@link #fit} runs the same iteration loop as the
 * in-memory {@link Nmf#fit} ({@link NmfFit}), its passes as Spark jobs ({@link PartitionedNmfPixels}): per
 * iteration the abundances W are updated inside the partitions (coordinate descent or multiplicative updates,
 * {@link org.eelsunmix.unmix.NmfAbundanceUpdate}) while {@code WᵀW} (R × R) and {@code WᵀY} (R × B) are summed
 * with a {@code treeAggregate}; the endmember step, the objective and the stopping rule run on the driver. The
 * NNDSVD start needs the leading singular vectors of Y: they come from the aggregated B × B Gram {@code YᵀY} and
 * one more pass. No pixel is collected.
 *
 * <p>Same seed and params give the in-memory result whatever the partitioning, to the rounding of the partial
 * sums (relative 1e-12 or so). The random draws of the {@code random} and {@code nndsvdar} starts are keyed on
 * each pixel's address (acquisition, y, x). The resulting {@link NmfModel} holds H and the fit's
 * {@link NmfSummary}; its {@code transform} computes W for any pixel table with H fixed.
 */
public final class NmfEstimator extends Estimator<NmfModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final Param<String> solver;
  private final Param<String> init;
  private final DoubleParam tol;
  private final IntParam maxIter;
  private final BooleanParam sumToOne;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;

  public NmfEstimator() {
    this(Identifiable$.MODULE$.randomUID("nmf"));
  }

  public NmfEstimator(String uid) {
    this.uid = uid;
    numEndmembers = UnmixingParams.numEndmembers(this);
    seed = UnmixingParams.seed(this);
    solver = NmfParams.solver(this);
    init = NmfParams.init(this);
    tol = NmfParams.tol(this);
    maxIter = NmfParams.maxIter(this);
    sumToOne = NmfParams.sumToOne(this);
    inputCol = UnmixingParams.inputCol(this);
    outputCol = UnmixingParams.outputCol(this);
    rmseCol = UnmixingParams.rmseCol(this);
    setDefault(numEndmembers, 3);
    setDefault(seed, 0L);
    NmfParams.setDefaults(this, solver, init, tol, maxIter, sumToOne);
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

  public Param<String> solver() {
    return solver;
  }

  public Param<String> init() {
    return init;
  }

  public DoubleParam tol() {
    return tol;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public BooleanParam sumToOne() {
    return sumToOne;
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

  public NmfEstimator setNumEndmembers(int value) {
    set(numEndmembers, value);
    return this;
  }

  public NmfEstimator setSeed(long value) {
    set(seed, value);
    return this;
  }

  public NmfEstimator setSolver(String value) {
    set(solver, value);
    return this;
  }

  public NmfEstimator setInit(String value) {
    set(init, value);
    return this;
  }

  public NmfEstimator setTol(double value) {
    set(tol, value);
    return this;
  }

  public NmfEstimator setMaxIter(int value) {
    set(maxIter, value);
    return this;
  }

  public NmfEstimator setSumToOne(boolean value) {
    set(sumToOne, value);
    return this;
  }

  public NmfEstimator setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public NmfEstimator setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  /** Every option of the fit as the in-memory kernel takes them (validated there too). */
  public Nmf.Options options() {
    return new Nmf.Options((Integer) $(numEndmembers), $(init), $(solver), (Double) $(tol), (Integer) $(maxIter),
        (Long) $(seed), (Boolean) $(sumToOne));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return UnmixingParams.outputSchema(schema, $(inputCol), $(outputCol), $(rmseCol));
  }

  @Override
  public NmfModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Nmf.Options o = options();
    String column = $(inputCol);
    EnergyAxis axis = UnmixingParams.spectraAxis(dataset, column);
    int r = o.components();
    if (r > axis.channels()) {
      throw new BadInputException("numEndmembers", "asked for " + r + " endmembers but the spectra have only "
          + axis.channels() + " channels");
    }
    PixelRows rows = new PixelRows(dataset.schema(), column, axis.channels(), true, "input dataset");
    try (PartitionedNmfPixels pixels = new PartitionedNmfPixels(PixelRows.of(dataset), rows, r)) {
      NmfFit.Outcome fit = NmfFit.run(pixels, o);
      double[] h = fit.endmembers();
      double objective = 0.5 * pixels.residualSquared(h);
      double dataNorm = fit.dataNormSquared();
      NmfSummary summary = new NmfSummary(fit.init(), fit.iterations(), fit.converged(), fit.objectiveHistory(),
          objective, dataNorm == 0 ? 0 : 2 * objective / dataNorm);
      int b = axis.channels();
      double[][] spectra = new double[r][];
      for (int t = 0; t < r; t++) {
        spectra[t] = Arrays.copyOfRange(h, t * b, (t + 1) * b);
      }
      NmfModel model = new NmfModel(uid, new Endmembers(spectra, null, axis), summary);
      copyValues(model, extractParamMap());
      return model.setParent(this);
    }
  }

  @Override
  public NmfEstimator copy(ParamMap extra) {
    return (NmfEstimator) defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new StageWriter(this, null, null);
  }

  public static MLReader<NmfEstimator> read() {
    return MlPersistence.paramsOnlyReader(NmfEstimator.class, NmfEstimator::new);
  }

  public static NmfEstimator load(String path) {
    return read().load(path);
  }
}
