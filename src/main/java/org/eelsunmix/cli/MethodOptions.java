package org.eelsunmix.cli;

import java.util.List;
import org.eelsunmix.spark.ml.AutoencoderEstimator;
import org.eelsunmix.spark.ml.MethodParams;
import org.eelsunmix.spark.ml.UnmixingEstimator;
import org.eelsunmix.spark.ml.UnmixingMethod;
import org.eelsunmix.spark.ml.UnmixingMethods;
import org.eelsunmix.unmix.Vca;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The method options of {@code unmix} and {@code train}, mapped onto the chosen method's Spark ML params by
 * {@link MethodParams} (the same mapping the study files use): an option
 * {@code --foo-bar} sets the param {@code fooBar} of the estimator the registry ({@link UnmixingMethods}) makes
 * ({@code --nmf-solver} and {@code --nmf-init} set NMF's {@code solver} and {@code init}, {@code --ica-domain} ICA's
 * {@code domain}, {@code --vca-restarts} the {@code restarts} of the VCA start of VCA-FCLS, BLU and uDAS). An
 * option the method has no param for is refused, naming the methods it applies to; a value the param's validator refuses names the option. Options left
 * out keep the method's own defaults (its reference schedule), except {@code --sum-to-one}, on by default here so
 * NMF's maps compare with the other methods'.
 */
final class MethodOptions {
  @Spec(Spec.Target.SELF)
  CommandSpec spec;

  @Option(names = "--snr-db", description = "vca-fcls: SNR in dB choosing VCA's projection (default: estimated)")
  Double snrDb;

  @Option(names = "--vca-restarts", description = "vca-fcls, blu, udas: VCA searches with seeds seed, seed+1, ... sharing the "
      + "passes over the pixels; the set with the lowest mean FCLS residual is kept (default " + Vca.DEFAULT_RESTARTS
      + "; 1 = one VCA)")
  Integer vcaRestarts;

  @Option(names = "--nmf-solver", description = "nmf: cd (coordinate descent, default) or mu (multiplicative "
      + "update)")
  String nmfSolver;

  @Option(names = "--nmf-init", description = "nmf start: auto (default: nndsvda, or random when R > channels), "
      + "nndsvd, nndsvda, nndsvdar or random")
  String nmfInit;

  @Option(names = "--max-iter", description = "nmf, ica: iteration cap (default 200)")
  Integer maxIter;

  @Option(names = "--tol", description = "nmf, ica: stopping tolerance (default 1e-4; ica on factors 1e-10, "
      + "HyperSpy's; nmf: 0 runs --max-iter iterations)")
  Double tol;

  @Option(names = "--ica-domain", description = "ica: factors (default: HyperSpy's blind_source_separation, FastICA "
      + "on the SVD factors differentiated along energy) or pixels (FastICA on the spectra)")
  String icaDomain;

  @Option(names = "--sum-to-one", negatable = true, description = "nmf: abundances as fractions of each pixel's "
      + "fitted counts, summing to one (default); --no-sum-to-one writes NMF's raw coefficients")
  Boolean sumToOne;

  @Option(names = "--restarts", description = "autoencoders: trainings with seeds seed, seed+1, ... (parallel "
      + "Spark tasks); the lowest reconstruction loss is kept (default " + AutoencoderEstimator.DEFAULT_RESTARTS
      + ")")
  Integer restarts;

  @Option(names = "--spark-training", description = "autoencoders: train by parameter averaging over the "
      + "executors (one barrier job: each worker fits --averaging-frequency mini-batches, then parameters and "
      + "optimiser state are averaged) instead of in memory inside one task")
  Boolean sparkTraining;

  @Option(names = "--workers", description = "autoencoders, --spark-training: parallel workers (default 2)")
  Integer workers;

  @Option(names = "--averaging-frequency", description = "autoencoders, --spark-training: mini-batches per worker "
      + "between two parameter averagings (default 5)")
  Integer averagingFrequency;

  @Option(names = "--epochs", description = "autoencoders: passes over the sample (default: the method's "
      + "reference, daeu 40, mtaeu 60, cnnaeu 320)")
  Integer epochs;

  @Option(names = "--samples", description = "autoencoders: training windows drawn: spectra (daeu, default 2000), "
      + "2x2 neighbourhoods (mtaeu, 2000) or patches (cnnaeu, 250)")
  Integer samples;

  @Option(names = "--batch-size", description = "autoencoders: windows per update (default 6 / 15 / 15)")
  Integer batchSize;

  @Option(names = "--learning-rate", description = "autoencoders: RMSprop learning rate (default 1e-3 / 1e-3 / "
      + "3e-3)")
  Double learningRate;

  @Option(names = "--patch-size", description = "cnnaeu: side of a training patch in pixels (default 40)")
  Integer patchSize;

  @Option(names = "--filters", description = "cnnaeu: filters of the first 3x3 convolution (default 48)")
  Integer filters;

  @Option(names = "--decoder-size", description = "cnnaeu: side of the decoder's kernel, odd (default 13)")
  Integer decoderSize;

  @Option(names = "--udas-layers", description = "udas: stacked mSDA denoising layers (default 12)")
  Integer udasLayers;

  @Option(names = "--corruption", description = "udas: mSDA corruption probability p (default 1e-5)")
  Double corruption;

  @Option(names = "--ridge", description = "udas: mSDA ridge (default 1)")
  Double ridge;

  @Option(names = "--gamma", description = "udas: weight of the decoder's denoising term (default 1e-4)")
  Double gamma;

  @Option(names = "--delta", description = "udas: weight of the sum-to-one row (default 20)")
  Double delta;

  @Option(names = "--outer-iterations", description = "udas: decoder/encoder rounds (default 10)")
  Integer outerIterations;

  @Option(names = "--encoder-steps", description = "udas: proximal steps per encoder round (default 5)")
  Integer encoderSteps;

  @Option(names = "--l21-weight", description = "udas: weight of the encoder's l2,1 row penalty (default "
      + "1e-6 sqrt(pixels/1000))")
  Double l21Weight;

  @Option(names = "--drop-ratio", description = "udas: drop an endmember from the decoder rounds when its "
      + "significance is below this many times what fitting noise alone gives; 0 never drops (default 10)")
  Double dropRatio;

  @Option(names = "--sweeps", description = "blu: Gibbs sweeps per chain (default 100)")
  Integer sweeps;

  @Option(names = "--burn-in", description = "blu: sweeps discarded at the start of each chain (default 33)")
  Integer burnIn;

  @Option(names = "--chains", description = "blu: independent chains from the same start, pooled; 2 or more "
      + "give a split-R-hat over them (default 1)")
  Integer chains;

  /**
   * The estimator of {@code method} with R, the seed and every given option set, its params checked together:
   * all before any Spark work. Errors name the option. The option → param mapping is {@link MethodParams}'s.
   */
  UnmixingEstimator<?, ?> estimator(String method, int endmembers, long seed) {
    UnmixingMethod m = UnmixingMethods.byName(method);
    UnmixingEstimator<?, ?> e = m.newEstimator();
    MethodParams.set(e, "--endmembers", e.numEndmembers(), endmembers);
    MethodParams.set(e, "--seed", e.seed(), seed);
    MethodParams.setDefaults(e);
    for (OptionSpec o : spec.options()) {
      if (o.getValue() != null) {
        MethodParams.setOption(e, o.longestName(), o.getValue(), o.longestName());
      }
    }
    e.validateParams();
    return e;
  }

  /** The default the command line gives {@code param}: its own where it differs, else the estimator's. */
  static Object defaultOf(UnmixingEstimator<?, ?> e, String param) {
    return MethodParams.defaultOf(e, param);
  }

  /** The param an option sets. */
  static String paramName(OptionSpec o) {
    return MethodParams.paramName(o.longestName());
  }

  /** Whether option {@code o} sets a param of method {@code m} (estimator {@code e}); see {@link MethodParams}. */
  static boolean appliesTo(OptionSpec o, UnmixingMethod m, UnmixingEstimator<?, ?> e) {
    return MethodParams.appliesTo(o.longestName(), m.name(), e);
  }

  /** The registered methods option {@code o} applies to. */
  static List<String> methodsWith(OptionSpec o) {
    return MethodParams.methodsWith(o.longestName());
  }
}
