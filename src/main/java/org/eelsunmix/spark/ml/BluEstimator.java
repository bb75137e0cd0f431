package org.eelsunmix.spark.ml;

import org.eelsunmix.core.Unmixing;
import org.eelsunmix.core.SpectrumImage;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.Blu;
import org.eelsunmix.unmix.Vca;

/**
 * Bayesian linear unmixing (Dobigeon, Moussaoui, Coulon, Tourneret &amp; Hero, IEEE TSP 57(11), 2009) of a pixel
 * table as a Spark ML estimator: {@link #fit} runs the in-memory kernel's driver loop ({@link Blu#run}) over
 * partitioned pixels ({@link PartitionedBluPixels}). Given M and σ² the pixels are independent, so each sweep draws
 * every pixel's abundances inside its partition and brings back only {@code Z Aᵀ} (K × R) and {@code A Aᵀ}
 * (R × R), order-independent fixed-point sums; the endmember and noise draws run on the driver. Streams are keyed
 * by (seed, chain, sweep, pixel address), so the chain — and the model — is bit-identical to the in-memory fit for
 * any partitioning.
 *
 * <p>Params besides the shared ones: {@code sweeps} (100), {@code burnIn} (33), {@code chains} (1), {@code restarts}
 * (VCA searches of the start, 5), and the
 * model's {@code stdCol} ({@code abundances_std}). The {@link BluModel} holds the posterior mean endmembers, their
 * per-channel standard deviations, σ² and the chain's traces; its {@code transform} samples the abundances of any
 * pixel with M and σ² fixed.
 */
public final class BluEstimator extends UnmixingEstimator<BluEstimator, BluModel> {
  private static final long serialVersionUID = 1L;
  private final IntParam sweeps;
  private final IntParam burnIn;
  private final IntParam chains;
  private final Param<String> stdCol;
  private final IntParam restarts;

  public BluEstimator() {
    this(Identifiable$.MODULE$.randomUID("blu"));
  }

  public BluEstimator(String uid) {
    super(uid);
    sweeps = BluParams.sweeps(this);
    burnIn = BluParams.burnIn(this);
    chains = BluParams.chains(this);
    stdCol = BluParams.stdCol(this);
    BluParams.setDefaults(this, sweeps, burnIn, chains, stdCol);
    restarts = VcaFcls.restartsParam(this);
    setDefault(restarts, Vca.DEFAULT_RESTARTS);
  }

  @Override
  public String method() {
    return BluModel.METHOD;
  }

  public IntParam sweeps() {
    return sweeps;
  }

  public IntParam burnIn() {
    return burnIn;
  }

  public IntParam chains() {
    return chains;
  }

  public Param<String> stdCol() {
    return stdCol;
  }

  /** VCA searches of the start (the set with the lowest FCLS residual is kept; {@code --vca-restarts}). */
  public IntParam restarts() {
    return restarts;
  }

  public BluEstimator setRestarts(int value) {
    return with(restarts, value);
  }

  public BluEstimator setSweeps(int value) {
    return with(sweeps, value);
  }

  public BluEstimator setBurnIn(int value) {
    return with(burnIn, value);
  }

  public BluEstimator setChains(int value) {
    return with(chains, value);
  }

  public BluEstimator setStdCol(String value) {
    return with(stdCol, value);
  }

  /** The fit's options as the kernel takes them (and checks them: R ≥ 2, burn-in below the sweeps). */
  public Blu.Options options() {
    return new Blu.Options(getNumEndmembers(), getSeed(), (Integer) $(sweeps), (Integer) $(burnIn),
        (Integer) $(chains)).withVcaRestarts((Integer) $(restarts));
  }

  @Override
  public void validateParams() {
    options();
  }

  /** BLU in memory ({@link Blu#fit}): posterior mean endmembers and abundances. */
  @Override
  protected Unmixing trainInMemory(SpectrumImage image) {
    return Blu.fit(image, options()).unmixing();
  }

  @Override
  protected BluModel train(Dataset<?> dataset) {
    Blu.Options o = options();
    SpectraInput input = SpectraInput.of(dataset, getInputCol());
    o.requireChannels(input.channels());
    try (PartitionedBluPixels pixels = new PartitionedBluPixels(input)) {
      Blu.Outcome out = Blu.run(pixels, o);
      return new BluModel(uid(), new Endmembers(out.endmembers(), null, input.axis()), getSeed(),
          BluModel.Posterior.of(out));
    }
  }

  public static MLReader<BluEstimator> read() {
    return MlPersistence.paramsOnlyReader(BluEstimator.class);
  }

  public static BluEstimator load(String path) {
    return read().load(path);
  }
}
