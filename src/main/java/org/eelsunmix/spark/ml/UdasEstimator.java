package org.eelsunmix.spark.ml;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Unmixing;
import org.eelsunmix.core.SpectrumImage;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.Udas;
import org.eelsunmix.unmix.Vca;
import org.eelsunmix.unmix.UdasEncoder;
import org.eelsunmix.unmix.UdasFit;

/**
 * uDAS (Qu &amp; Qi, IEEE TGRS 57(3), 2019; the method and its deviations from the authors' code are in
 * {@link Udas}) as a Spark ML estimator over pixel rows. {@link #fit} runs the in-memory fit's driver loop
 * ({@link UdasFit}) with its passes as Spark jobs ({@link PartitionedUdasPixels}):
 *
 * <ol>
 *   <li>one {@code treeAggregate} of the (B + 1)² scatter → the 12 mSDA layers on the driver;</li>
 *   <li>the normalised input kept in the partitions, VCA's searches, FCLS and the NMF pass (per-pixel abundances
 *   kept in the partitions, R × (B + 1) sums to the driver, the noise model {@link org.eelsunmix.unmix.UdasNoise}
 *   from them);</li>
 *   <li>per outer iteration one abundance pass (the noise-weighted step per pixel, its R × (B + 1) sums to the
 *   driver), the decoder step on the driver (B × R) and the encoder's proximal steps, each one
 *   {@code treeAggregate} of the R × B gradient and R × (B + 1) sums.</li>
 * </ol>
 *
 * No pixel is collected. Same seed and params give the in-memory result bit for bit whatever the partitioning
 * (fixed-point sums; see the README's uDAS section). The resulting {@link UdasModel} applies the trained encoder to any pixel table.
 */
public final class UdasEstimator extends UnmixingEstimator<UdasEstimator, UdasModel> {
  private static final long serialVersionUID = 1L;
  private final IntParam udasLayers;
  private final DoubleParam corruption;
  private final DoubleParam ridge;
  private final DoubleParam gamma;
  private final DoubleParam delta;
  private final IntParam outerIterations;
  private final IntParam encoderSteps;
  private final DoubleParam l21Weight;
  private final DoubleParam dropRatio;
  private final IntParam restarts;

  public UdasEstimator() {
    this(Identifiable$.MODULE$.randomUID("udas"));
  }

  public UdasEstimator(String uid) {
    super(uid);
    udasLayers = new IntParam(this, "udasLayers", "stacked mSDA layers (>= 1)", ParamValidators.gtEq(1));
    corruption = new DoubleParam(this, "corruption", "mSDA corruption probability, in (0, 1)",
        ParamValidators.inRange(0, 1, false, false));
    ridge = new DoubleParam(this, "ridge", "mSDA ridge (> 0)", ParamValidators.gt(0));
    gamma = new DoubleParam(this, "gamma", "weight of the decoder's denoising term (> 0)", ParamValidators.gt(0));
    delta = new DoubleParam(this, "delta", "weight of the sum-to-one row (> 0)", ParamValidators.gt(0));
    outerIterations = new IntParam(this, "outerIterations", "decoder/encoder rounds (>= 1)",
        ParamValidators.gtEq(1));
    encoderSteps = new IntParam(this, "encoderSteps", "proximal steps per encoder step (>= 1)",
        ParamValidators.gtEq(1));
    l21Weight = new DoubleParam(this, "l21Weight", "weight of the encoder's l2,1 row penalty (> 0); NaN: the "
        + "paper's 1e-6 sqrt(pixels/1000)");
    dropRatio = new DoubleParam(this, "dropRatio", "an endmember whose significance in the decoder rounds is below "
        + "this many times the noise's strongest direction is dropped as superfluous (>= 0; 0: never)",
        ParamValidators.gtEq(0));
    setDefault(udasLayers, Udas.DEFAULT_LAYERS);
    setDefault(corruption, Udas.DEFAULT_CORRUPTION);
    setDefault(ridge, Udas.DEFAULT_RIDGE);
    setDefault(gamma, Udas.DEFAULT_GAMMA);
    setDefault(delta, Udas.DEFAULT_DELTA);
    setDefault(outerIterations, Udas.DEFAULT_OUTER_ITERATIONS);
    setDefault(encoderSteps, Udas.DEFAULT_ENCODER_STEPS);
    setDefault(l21Weight, Double.NaN);
    setDefault(dropRatio, Udas.DEFAULT_DROP_RATIO);
    restarts = VcaFcls.restartsParam(this);
    setDefault(restarts, Vca.DEFAULT_RESTARTS);
  }

  @Override
  public String method() {
    return UdasModel.METHOD;
  }

  public IntParam udasLayers() {
    return udasLayers;
  }

  public DoubleParam corruption() {
    return corruption;
  }

  public DoubleParam ridge() {
    return ridge;
  }

  public DoubleParam gamma() {
    return gamma;
  }

  public DoubleParam delta() {
    return delta;
  }

  /** VCA searches of the start (the set with the lowest FCLS residual is kept; {@code --vca-restarts}). */
  public IntParam restarts() {
    return restarts;
  }

  public UdasEstimator setRestarts(int value) {
    return with(restarts, value);
  }

  public IntParam outerIterations() {
    return outerIterations;
  }

  public IntParam encoderSteps() {
    return encoderSteps;
  }

  public DoubleParam l21Weight() {
    return l21Weight;
  }

  public DoubleParam dropRatio() {
    return dropRatio;
  }

  public UdasEstimator setDropRatio(double value) {
    return with(dropRatio, value);
  }

  public UdasEstimator setUdasLayers(int value) {
    return with(udasLayers, value);
  }

  public UdasEstimator setOuterIterations(int value) {
    return with(outerIterations, value);
  }

  public UdasEstimator setEncoderSteps(int value) {
    return with(encoderSteps, value);
  }

  public UdasEstimator setL21Weight(double value) {
    return with(l21Weight, value);
  }

  public UdasEstimator setGamma(double value) {
    return with(gamma, value);
  }

  public UdasEstimator setDelta(double value) {
    return with(delta, value);
  }

  /** Every option of the fit as the in-memory kernel takes them (validated there, naming the param). */
  public Udas.Options options() {
    return new Udas.Options(getNumEndmembers(), getSeed(), (Integer) $(udasLayers), (Double) $(corruption),
        (Double) $(ridge), (Double) $(gamma), (Double) $(delta), (Integer) $(outerIterations),
        (Integer) $(encoderSteps), (Double) $(l21Weight)).withVcaRestarts((Integer) $(restarts))
        .withDropRatio((Double) $(dropRatio));
  }

  @Override
  public void validateParams() {
    options();
  }

  /**
   * uDAS in memory ({@link Udas#fit}). Its encoder meets the sum-to-one constraint only softly (the δ-weighted row:
   * sums within a few 1e-3 of one); the in-memory fit gives proportions like the other methods, so each pixel's
   * abundances are divided by their sum (a pixel whose encoder gives all zeros keeps zeros). The Spark model's maps
   * are the encoder's, not rescaled.
   */
  @Override
  protected Unmixing trainInMemory(SpectrumImage image) {
    Unmixing u = Udas.fit(image, options()).unmixing();
    Abundances a = u.abundances();
    double[] v = a.values().clone();
    int r = a.count();
    for (int p = 0; p < a.pixels(); p++) {
      double sum = 0;
      for (int k = 0; k < r; k++) {
        sum += v[p * r + k];
      }
      for (int k = 0; sum > 0 && k < r; k++) {
        v[p * r + k] /= sum;
      }
    }
    return new Unmixing(u.endmembers(), new Abundances(a.height(), a.width(), r, v));
  }

  @Override
  protected UdasModel train(Dataset<?> dataset) {
    Udas.Options o = options();
    SpectraInput input = SpectraInput.of(dataset, getInputCol());
    requireEndmembersFit(input.channels());
    try (PartitionedUdasPixels pixels = new PartitionedUdasPixels(input, o.endmembers())) {
      UdasFit.Outcome fit = UdasFit.run(pixels, o);
      UdasEncoder encoder = UdasEncoder.of(fit);
      return new UdasModel(uid(), new Endmembers(encoder.endmembers(), null, input.axis()), encoder,
          new UdasModel.Summary(fit.objectiveHistory(), fit.rmse(), fit.droppedAt(), fit.significance()));
    }
  }

  public static MLReader<UdasEstimator> read() {
    return MlPersistence.paramsOnlyReader(UdasEstimator.class);
  }

  public static UdasEstimator load(String path) {
    return read().load(path);
  }
}
