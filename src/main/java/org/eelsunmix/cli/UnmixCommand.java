package org.eelsunmix.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.ml.UnmixingEstimator;
import org.eelsunmix.spark.ml.UnmixingMethods;
import org.eelsunmix.spark.ml.UnmixingModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unmix}: fits an unmixing model on acquisitions of a series store and writes, atomically into one output
 * folder: {@code model/} (the saved Spark ML model), {@code abundances/} (Parquet, partitioned by acquisition:
 * x, y, abundances, rmse), {@code endmembers/NN-name.msa} (EMSA spectra with the energy axis) and
 * {@code _config.properties}.
 */
@Command(name = "unmix", mixinStandardHelpOptions = true,
    description = "Find endmembers and abundance maps in acquisitions of a series store.")
final class UnmixCommand extends SparkCommand {
  @Option(names = "--store", required = true, description = "series store (written by generate or import-npy)")
  String store;

  @Option(names = "--acquisition", paramLabel = "ID", description = "acquisition(s) to unmix together (repeatable; "
      + "default: all in the store)")
  List<String> acquisitions = new ArrayList<>();

  @Option(names = "--method", defaultValue = "vca-fcls", completionCandidates = UnmixingMethods.Names.class,
      description = "unmixing method: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); 'eels-unmix methods' "
      + "describes each and its options")
  String method;

  @Option(names = {"-R", "--endmembers"}, defaultValue = "3", description = "number of endmembers R (default 3)")
  int endmembers;

  @Option(names = "--seed", defaultValue = "0", description = "random seed (default 0)")
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
    if (estimator instanceof org.eelsunmix.spark.ml.AutoencoderEstimator) {
      org.eelsunmix.autoencoder.NativeWarmUp.start(); // ND4J's native load overlaps the session's start
    }
    SparkSession spark = spark();
    if ("vca-fcls".equals(estimator.method()) && spark.sparkContext().isLocal()
        && !"false".equalsIgnoreCase(System.getProperty("eelsunmix.warmUp", "true"))) {
      // Local mode runs the tasks in this JVM: VCA's and FCLS's kernels compile while the driver reads the store
      // (KernelWarmUp: measured a gain for vca-fcls, a loss for NMF, whose kernels it does not run).
      org.eelsunmix.unmix.KernelWarmUp.start();
    }
    StartupTimings.phase("reading the store (tables, schema)");
    describe("unmix: reading the store");
    SeriesStore series = new SeriesStore(spark, store);
    Dataset<Row> pixels = series.pixels(acquisitions);
    int channels = org.eelsunmix.spark.SpectrumColumn.axisOf(pixels.schema(), PixelSchema.SPECTRUM).channels();
    if (endmembers > channels) {
      throw new BadInputException("--endmembers", "asked for " + endmembers + " endmembers but the spectra have only "
          + channels + " channels");
    }
    long t0 = System.nanoTime();
    StartupTimings.phase("the fit");
    describe("unmix: fitting " + estimator.method());
    UnmixingModel<?> model = estimator.fit(pixels);
    double fitSeconds = (System.nanoTime() - t0) / 1e9;
    StartupTimings.phase("output folder: temporary sibling, stale temporaries");
    ResultFiles.Summary[] written = new ResultFiles.Summary[1];
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      StartupTimings.phase("model save (metadata, data/)");
      model.write().save(tmp + "/model");
      StartupTimings.phase("abundances (transform, Parquet write)");
      describe("unmix: abundances (" + model.method() + ")");
      written[0] = ResultFiles.writeAbundances(spark, model.results(pixels), tmp + "/abundances");
      StartupTimings.phase("endmember MSA files, _config.properties");
      ResultFiles.writeMsa(spark, model.endmembers(), tmp + "/endmembers");
      writeConfig(tmp);
      StartupTimings.phase("commit (renames)");
    });
    StartupTimings.phase("summary line (counted by the writer, or the abundances read back)");
    describe("unmix: summary");
    System.out.printf("%s: %d endmembers, %s, fitted in %.1f s; %s%n", model.method(), model.endmembers().count(),
        model.summaryLine(), fitSeconds, ResultFiles.summaryLine(spark, written[0], out + "/abundances"));
    System.out.println("wrote " + out + " (model/, abundances/, endmembers/*.msa)");
    return 0;
  }
}
