package org.eelsunmix.cli;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.ml.AutoencoderModel;
import org.eelsunmix.spark.ml.AutoencoderSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train}: fits an unmixing autoencoder (DAEU, MTAEU or CNNAEU) on one acquisition of a series store and
 * writes, atomically: {@code model/} (the saved {@link AutoencoderModel}: metadata, endmember Parquet, DL4J
 * network), {@code endmembers/NN-name.msa} and {@code _config.properties}. Apply it to other acquisitions with {@code apply}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train an unmixing autoencoder (daeu, mtaeu, cnnaeu) on one acquisition of a series store.")
final class TrainCommand extends SparkCommand {
  @Option(names = "--store", required = true, description = "series store")
  String store;

  @Option(names = "--acquisition", required = true, paramLabel = "ID", description = "the acquisition to train on")
  String acquisition;

  @Option(names = "--method", defaultValue = "daeu", description = "autoencoder: daeu (default), mtaeu or cnnaeu")
  String method;

  @Option(names = {"-R", "--endmembers"}, defaultValue = "3", description = "number of endmembers R (default 3)")
  int endmembers;

  @Option(names = "--seed", defaultValue = "0", description = "random seed of the sample and of restart 0 "
      + "(default 0)")
  long seed;

  @Mixin
  AutoencoderTrainingOptions training;

  @Option(names = "--out", required = true, description = "output folder")
  String out;

  @Option(names = "--overwrite", description = "replace an existing output folder")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (endmembers < 1) {
      throw new BadInputException("--endmembers", "must be at least 1, got " + endmembers);
    }
    var estimator = training.estimator(method, endmembers, seed);
    SparkSession spark = spark();
    Dataset<Row> pixels = new SeriesStore(spark, store).pixels(List.of(acquisition));
    long t0 = System.nanoTime();
    describe("train: " + method + " on " + acquisition);
    AutoencoderModel model = estimator.fit(pixels);
    double seconds = (System.nanoTime() - t0) / 1e9;
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      model.write().save(tmp + "/model");
      ResultFiles.writeMsa(spark, model.endmembers(), tmp + "/endmembers");
      writeConfig(tmp);
    });
    System.out.println(model.summary().method() + ": " + describeTraining(model.summary(), seconds));
    System.out.println("wrote " + out + " (model/, endmembers/*.msa)");
    return 0;
  }

  /** One line: how the network was trained and every restart's reconstruction loss. */
  static String describeTraining(AutoencoderSummary s, double seconds) {
    StringBuilder losses = new StringBuilder();
    for (double l : s.restartLosses()) {
      losses.append(losses.length() == 0 ? "" : ", ").append(String.format("%.4f", l));
    }
    String windows = switch (s.method()) {
      case "mtaeu" -> "2x2 neighbourhoods";
      case "cnnaeu" -> "patches";
      default -> "spectra";
    };
    return String.format("%s training on %d %s in %.1f s; reconstruction loss (mean SAD, rad) of restarts "
        + "[%s], kept restart %d (seed %d)", s.training(), s.samples(), windows, seconds, losses, s.kept(),
        s.seed() + s.kept());
  }
}
