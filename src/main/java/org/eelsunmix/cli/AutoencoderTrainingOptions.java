package org.eelsunmix.cli;

import java.util.Locale;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.ml.AutoencoderEstimator;
import org.eelsunmix.spark.ml.CnnaeuEstimator;
import org.eelsunmix.spark.ml.DaeuEstimator;
import org.eelsunmix.spark.ml.MtaeuEstimator;
import picocli.CommandLine.Option;

/**
 * The training options of the autoencoder commands ({@code train}, {@code unmix --method daeu|mtaeu|cnnaeu}).
 * Schedule options left out take the method's reference value (DAEU 40 epochs of batches of 6 over 2000 spectra;
 * MTAEU 60 of 15 over 2000 neighbourhoods; CNNAEU 320 of 15 over 250 patches of 40×40).
 */
final class AutoencoderTrainingOptions {
  @Option(names = "--restarts", defaultValue = "" + AutoencoderEstimator.DEFAULT_RESTARTS, description = "trainings "
      + "with seeds seed, seed+1, ... (parallel Spark tasks); the lowest reconstruction loss is kept (default 4)")
  int restarts;

  @Option(names = "--spark-training", description = "train by dl4j-spark parameter averaging over the executors "
      + "instead of in memory inside one task")
  boolean sparkTraining;

  @Option(names = "--workers", defaultValue = "2", description = "--spark-training: parallel workers (default 2)")
  int workers;

  @Option(names = "--averaging-frequency", defaultValue = "5", description = "--spark-training: mini-batches per "
      + "worker between two parameter averagings (default 5)")
  int averagingFrequency;

  @Option(names = "--epochs", description = "passes over the sample (default: the method's reference, "
      + "40 / 60 / 320)")
  Integer epochs;

  @Option(names = "--samples", description = "training windows drawn: spectra (daeu, default 2000), 2x2 "
      + "neighbourhoods (mtaeu, 2000) or patches (cnnaeu, 250)")
  Integer samples;

  @Option(names = "--batch-size", description = "windows per update (default 6 / 15 / 15)")
  Integer batchSize;

  @Option(names = "--learning-rate", description = "RMSprop learning rate (default 1e-3 / 1e-3 / 3e-3)")
  Double learningRate;

  @Option(names = "--patch-size", description = "cnnaeu: side of a training patch in pixels (default 40)")
  Integer patchSize;

  @Option(names = "--filters", description = "cnnaeu: filters of the first 3x3 convolution (default 48)")
  Integer filters;

  @Option(names = "--decoder-size", description = "cnnaeu: side of the decoder's kernel, odd (default 13)")
  Integer decoderSize;

  /** Whether {@code method} names an autoencoder. */
  static boolean isAutoencoder(String method) {
    return switch (method.toLowerCase(Locale.ROOT)) {
      case "daeu", "mtaeu", "cnnaeu" -> true;
      default -> false;
    };
  }

  /** The estimator these options give for {@code method}, validated (errors name the option). */
  AutoencoderEstimator estimator(String method, int endmembers, long seed) {
    requireAtLeastOne("--restarts", restarts);
    requireAtLeastOne("--workers", workers);
    requireAtLeastOne("--averaging-frequency", averagingFrequency);
    String m = method.toLowerCase(Locale.ROOT);
    if (!m.equals("cnnaeu")) {
      String[] names = {"--patch-size", "--filters", "--decoder-size"};
      Integer[] values = {patchSize, filters, decoderSize};
      for (int i = 0; i < names.length; i++) {
        if (values[i] != null) {
          throw new BadInputException(names[i], "applies to cnnaeu only, not " + m);
        }
      }
    }
    AutoencoderEstimator e = switch (m) {
      case "daeu" -> new DaeuEstimator();
      case "mtaeu" -> new MtaeuEstimator();
      case "cnnaeu" -> new CnnaeuEstimator();
      default -> throw new BadInputException("--method", "'" + method + "' is not an autoencoder: use daeu, mtaeu "
          + "or cnnaeu");
    };
    int ep = epochs != null ? epochs : e.getEpochs();
    int bs = batchSize != null ? batchSize : e.getBatchSize();
    int n = samples != null ? samples : e.getSamples();
    double lr = learningRate != null ? learningRate : e.getLearningRate();
    // The options records validate every setting and name the option at fault, before Spark's param checks.
    switch (m) {
      case "daeu" -> new DaeuOptions(endmembers, seed, ep, bs, n, lr);
      case "mtaeu" -> new MtaeuOptions(endmembers, seed, ep, bs, n, lr);
      default -> {
        CnnaeuEstimator c = (CnnaeuEstimator) e;
        CnnaeuOptions defaults = c.options();
        int side = patchSize != null ? patchSize : defaults.patchSize();
        int f = filters != null ? filters : defaults.filters();
        int d = decoderSize != null ? decoderSize : defaults.decoderSize();
        new CnnaeuOptions(endmembers, seed, ep, bs, n, side, lr, f, d);
        c.setPatchSize(side).setFilters(f).setDecoderSize(d);
      }
    }
    e.setNumEndmembers(endmembers).setSeed(seed).setEpochs(ep).setBatchSize(bs).setSamples(n).setLearningRate(lr)
        .setRestarts(restarts).setSparkTraining(sparkTraining).setWorkers(workers)
        .setAveragingFrequency(averagingFrequency);
    return e;
  }

  private static void requireAtLeastOne(String option, int value) {
    if (value < 1) {
      throw new BadInputException(option, "must be at least 1, got " + value);
    }
  }
}
