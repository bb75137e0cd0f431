package org.eelsunmix.spark.ml;

import org.eelsunmix.core.Unmixing;
import org.eelsunmix.core.SpectrumImage;
import java.util.Arrays;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.Nmf;
import org.eelsunmix.unmix.NmfInitialisation;
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
public final class NmfEstimator extends UnmixingEstimator<NmfEstimator, NmfModel> {
  private static final long serialVersionUID = 1L;
  private final Param<String> solver;
  private final Param<String> init;
  private final DoubleParam tol;
  private final IntParam maxIter;
  private final BooleanParam sumToOne;

  public NmfEstimator() {
    this(Identifiable$.MODULE$.randomUID("nmf"));
  }

  public NmfEstimator(String uid) {
    super(uid);
    solver = NmfParams.solver(this);
    init = NmfParams.init(this);
    tol = NmfParams.tol(this);
    maxIter = NmfParams.maxIter(this);
    sumToOne = NmfParams.sumToOne(this);
    NmfParams.setDefaults(this, solver, init, tol, maxIter, sumToOne);
  }

  @Override
  public String method() {
    return NmfModel.METHOD;
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

  public NmfEstimator setSolver(String value) {
    return with(solver, value);
  }

  public NmfEstimator setInit(String value) {
    return with(init, value);
  }

  public NmfEstimator setTol(double value) {
    return with(tol, value);
  }

  public NmfEstimator setMaxIter(int value) {
    return with(maxIter, value);
  }

  public NmfEstimator setSumToOne(boolean value) {
    return with(sumToOne, value);
  }

  /** Every option of the fit as the in-memory kernel takes them (validated there too). */
  public Nmf.Options options() {
    return new Nmf.Options(getNumEndmembers(), $(init), $(solver), (Double) $(tol), (Integer) $(maxIter),
        getSeed(), (Boolean) $(sumToOne));
  }

  @Override
  public void validateParams() {
    options();
  }

  /**
   * NMF in memory ({@link Nmf#fit}). With {@code sumToOne} each pixel's abundances are the fractions of its fitted
   * counts; the endmembers then have unit sum and are multiplied by the image's mean counts per pixel, so that
   * abundances × endmembers stays on the scale of the counts (the RMSE is that of a sum-to-one model, not NMF's raw
   * fit). Without it, NMF's own scale is kept.
   */
  @Override
  protected Unmixing trainInMemory(SpectrumImage image) {
    Nmf.Options o = options();
    Unmixing u = Nmf.fit(image, o).unmixing();
    if (!o.sumToOne()) {
      return u;
    }
    double total = 0;
    for (float v : image.data()) {
      total += v;
    }
    return new Unmixing(u.endmembers().scaled(total / image.pixels()), u.abundances());
  }

  @Override
  protected NmfModel train(Dataset<?> dataset) {
    Nmf.Options o = options();
    SpectraInput input = SpectraInput.of(dataset, getInputCol());
    EnergyAxis axis = input.axis();
    requireEndmembersFit(axis.channels());
    int r = o.components();
    // Any init but random resolves to an NNDSVD start once there are at least R pixels: its moments then come with
    // the first pass (with fewer pixels, a few wasted B² sums).
    boolean nndsvd = !NmfInitialisation.RANDOM.equals(o.resolvedInit(Long.MAX_VALUE, axis.channels()));
    try (PartitionedNmfPixels pixels = new PartitionedNmfPixels(input, r, nndsvd)) {
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
      return new NmfModel(uid(), new Endmembers(spectra, null, axis), summary);
    }
  }

  public static MLReader<NmfEstimator> read() {
    return MlPersistence.paramsOnlyReader(NmfEstimator.class);
  }

  public static NmfEstimator load(String path) {
    return read().load(path);
  }
}
