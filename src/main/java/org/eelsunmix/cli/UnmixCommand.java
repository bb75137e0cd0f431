package org.eelsunmix.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.io.Msa;
import org.eelsunmix.io.MsaSpectrum;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
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
    SparkSession spark = spark();
    SeriesStore series = new SeriesStore(spark, store);
    Dataset<Row> pixels = series.pixels(acquisitions);
    int channels = org.eelsunmix.spark.SpectrumColumn.axisOf(pixels.schema(), PixelSchema.SPECTRUM).channels();
    if (endmembers > channels) {
      throw new BadInputException("--endmembers", "asked for " + endmembers + " endmembers but the spectra have only "
          + channels + " channels");
    }
    long t0 = System.nanoTime();
    describe("unmix: fitting " + estimator.method());
    UnmixingModel<?> model = estimator.fit(pixels);
    double fitSeconds = (System.nanoTime() - t0) / 1e9;
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      model.write().save(tmp + "/model");
      describe("unmix: abundances (" + model.method() + ")");
      writeAbundances(spark, model.transform(pixels), tmp + "/abundances");
      writeMsa(spark, model.endmembers(), tmp + "/endmembers");
      writeConfig(tmp);
    });
    System.out.printf("%s: %d endmembers, %s, fitted in %.1f s; %s%n", model.method(), model.endmembers().count(),
        model.summaryLine(), fitSeconds, unmixedPixels(spark, out + "/abundances"));
    System.out.println("wrote " + out + " (model/, abundances/, endmembers/*.msa)");
    return 0;
  }

  /** The result columns of a transformed pixel table, written partitioned by acquisition (dynamic overwrite). */
  static void writeAbundances(SparkSession spark, Dataset<Row> transformed, String dir) {
    Dataset<Row> abundances = transformed.select(functions.col(PixelSchema.ACQUISITION_ID),
        functions.col(PixelSchema.X), functions.col(PixelSchema.Y), functions.col(PixelSchema.ABUNDANCES_COL),
        functions.col(PixelSchema.RMSE));
    SeriesStore.writePartitioned(abundances, dir, spark);
  }

  /** "N pixels unmixed, mean RMSE r" for an abundances table as written. */
  static String unmixedPixels(SparkSession spark, String dir) {
    Row stats = spark.read().schema(PixelSchema.ABUNDANCES).parquet(dir)
        .agg(functions.count("*"), functions.avg(PixelSchema.RMSE)).first();
    return String.format("%d pixels unmixed, mean RMSE %.4g", stats.getLong(0),
        stats.isNullAt(1) ? Double.NaN : stats.getDouble(1));
  }

  /** One EMSA file per endmember, named {@code NN-name.msa}, through the Hadoop file system of {@code dir}. */
  static void writeMsa(SparkSession spark, Endmembers e, String dir) throws IOException {
    Path folder = new Path(dir);
    FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.mkdirs(folder);
    for (int r = 0; r < e.count(); r++) {
      String name = e.names().get(r);
      MsaSpectrum s = new MsaSpectrum("endmember " + r + " (" + name + ")", e.axis(), e.spectrum(r));
      Path file = new Path(folder, String.format("%02d-%s.msa", r, name.replaceAll("[^A-Za-z0-9._-]", "_")));
      try (OutputStream o = fs.create(file, true)) {
        o.write(Msa.format(s).getBytes(StandardCharsets.US_ASCII));
      }
    }
  }
}
