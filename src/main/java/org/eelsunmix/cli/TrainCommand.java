package org.eelsunmix.cli;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.ml.UnmixingEstimator;
import org.eelsunmix.spark.ml.UnmixingMethods;
import org.eelsunmix.spark.ml.UnmixingModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train}: fits a model of any registered method (default the DAEU autoencoder) on one acquisition of a
 * series store and writes, atomically: {@code model/} (the saved model: metadata, endmember Parquet, and for the
 * autoencoders the DL4J network), {@code endmembers/NN-name.msa} and {@code _config.properties}. Apply it to other
 * acquisitions with {@code apply} or {@code reprocess}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Fit a model (any method; default daeu) on one acquisition of a series store, to apply to others.")
final class TrainCommand extends SparkCommand {
  @Option(names = "--store", required = true, description = "series store")
  String store;

  @Option(names = "--acquisition", required = true, paramLabel = "ID", description = "the acquisition to train on")
  String acquisition;

  @Option(names = "--method", defaultValue = "daeu", completionCandidates = UnmixingMethods.Names.class,
      description = "method: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); 'eels-unmix methods' describes "
      + "each and its options")
  String method;

  @Option(names = {"-R", "--endmembers"}, defaultValue = "3", description = "number of endmembers R (default 3)")
  int endmembers;

  @Option(names = "--seed", defaultValue = "0", description = "random seed (autoencoders: of the sample and of "
      + "restart 0; default 0)")
  long seed;

  @Mixin
  MethodOptions options;

  @Option(names = "--out", required = true, description = "output folder")
  String out;

  @Option(names = "--overwrite", description = "replace an existing output folder")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    UnmixingEstimator<?, ?> estimator = options.estimator(method, endmembers, seed); // validates every option
    SparkSession spark = spark();
    Dataset<Row> pixels = new SeriesStore(spark, store).pixels(List.of(acquisition));
    long t0 = System.nanoTime();
    describe("train: " + estimator.method() + " on " + acquisition);
    UnmixingModel<?> model = estimator.fit(pixels);
    double seconds = (System.nanoTime() - t0) / 1e9;
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      model.write().save(tmp + "/model");
      ResultFiles.writeMsa(spark, model.endmembers(), tmp + "/endmembers");
      writeConfig(tmp);
    });
    System.out.printf("%s: %s; fitted in %.1f s%n", model.method(), model.summaryLine(), seconds);
    System.out.println("wrote " + out + " (model/, endmembers/*.msa)");
    return 0;
  }
}
