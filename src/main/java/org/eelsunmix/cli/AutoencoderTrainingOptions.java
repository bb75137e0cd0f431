package org.eelsunmix.cli;

import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.ml.DaeuEstimator;
import picocli.CommandLine.Option;

/** The training options of the autoencoder commands ({@code train}, {@code unmix --method daeu}). */
final class AutoencoderTrainingOptions {
  @Option(names = "--restarts", defaultValue = "" + DaeuEstimator.DEFAULT_RESTARTS, description = "trainings with "
      + "seeds seed, seed+1, ... (parallel Spark tasks); the lowest final loss is kept (default 4)")
  int restarts;

  @Option(names = "--spark-training", description = "train by dl4j-spark parameter averaging over the executors "
      + "instead of in memory inside one task")
  boolean sparkTraining;

  @Option(names = "--workers", defaultValue = "2", description = "--spark-training: parallel workers (default 2)")
  int workers;

  @Option(names = "--averaging-frequency", defaultValue = "5", description = "--spark-training: mini-batches per "
      + "worker between two parameter averagings (default 5)")
  int averagingFrequency;

  @Option(names = "--epochs", defaultValue = "" + DaeuOptions.DEFAULT_EPOCHS, description = "passes over the "
      + "sample (default 40)")
  int epochs;

  @Option(names = "--samples", defaultValue = "" + DaeuOptions.DEFAULT_SAMPLES, description = "spectra drawn for "
      + "training (default 2000)")
  int samples;

  @Option(names = "--batch-size", defaultValue = "" + DaeuOptions.DEFAULT_BATCH_SIZE, description = "spectra per "
      + "update (default 6)")
  int batchSize;

  /** The estimator these options give, validated (errors name the option). */
  DaeuEstimator estimator(int endmembers, long seed) {
    requireAtLeastOne("--restarts", restarts);
    requireAtLeastOne("--workers", workers);
    requireAtLeastOne("--averaging-frequency", averagingFrequency);
    new DaeuOptions(endmembers, seed, epochs, batchSize, samples, DaeuOptions.DEFAULT_LEARNING_RATE); // validates
    return new DaeuEstimator().setNumEndmembers(endmembers).setSeed(seed).setEpochs(epochs).setSamples(samples)
        .setBatchSize(batchSize).setRestarts(restarts).setSparkTraining(sparkTraining).setWorkers(workers)
        .setAveragingFrequency(averagingFrequency);
  }

  private static void requireAtLeastOne(String option, int value) {
    if (value < 1) {
      throw new BadInputException(option, "must be at least 1, got " + value);
    }
  }
}
