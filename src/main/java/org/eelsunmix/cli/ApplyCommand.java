package org.eelsunmix.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.ml.UnmixingModel;
import org.eelsunmix.spark.nightly.SeriesApply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apply}: runs a saved model of any method ({@code unmix}, {@code train} or {@code apply} output) over
 * acquisitions of a series store and writes, atomically, what {@code unmix} writes: {@code abundances/} (Parquet
 * partitioned by acquisition: x, y, abundances, rmse), {@code model/} (the model applied, so {@code export},
 * {@code apply} and {@code reprocess} take this folder as they take {@code unmix}'s), {@code endmembers/*.msa} and
 * {@code _config.properties}. Spectra on another energy axis than the model's are refused. With
 * {@code --per-acquisition} (archive series) each acquisition is its own job and its own commit
 * ({@link SeriesApply}), progress counted in acquisitions.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Apply a saved model (unmix, train or apply output; any method) to acquisitions of a series store.")
final class ApplyCommand extends SparkCommand {
  @Option(names = "--model", required = true, description = "model folder (train or unmix --out, or its model/)")
  String model;

  @Option(names = "--store", required = true, description = "series store")
  String store;

  @Option(names = "--acquisition", paramLabel = "ID", description = "acquisition(s) to unmix (repeatable; default: "
      + "all in the store)")
  List<String> acquisitions = new ArrayList<>();

  @Option(names = {"-R", "--endmembers"}, description = "expected number of endmembers (checked against the model)")
  Integer endmembers;

  @Option(names = "--out", required = true, description = "output folder")
  String out;

  @Option(names = "--overwrite", description = "replace an existing output folder")
  boolean overwrite;

  @Option(names = "--per-acquisition", description = "one job and one commit per acquisition, progress by "
      + "acquisitions done (series of many small acquisitions)")
  boolean perAcquisition;

  @Option(names = "--concurrent-jobs", defaultValue = "4", description = "with --per-acquisition: jobs in flight at "
      + "once (default 4)")
  int concurrentJobs;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = spark();
    UnmixingModel<?> m = UnmixingModel.load(spark, model);
    if (endmembers != null && endmembers != m.endmembers().count()) {
      throw new BadInputException("--endmembers", "asked for " + endmembers + " endmembers but " + m.describe()
          + " has " + m.endmembers().count());
    }
    if (concurrentJobs < 1) {
      throw new BadInputException("--concurrent-jobs", "must be >= 1, got " + concurrentJobs);
    }
    SeriesStore series = new SeriesStore(spark, store);
    Dataset<Row> pixels = series.pixels(acquisitions);
    m.requireAxis(SpectrumColumn.axisOf(pixels.schema(), PixelSchema.SPECTRUM), series.path(SeriesStore.PIXELS));
    describe("apply: " + m.describe());
    if (perAcquisition) {
      return perAcquisition(spark, m, series, pixels);
    }
    ResultFiles.Summary[] written = new ResultFiles.Summary[1];
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      m.write().save(tmp + "/model");
      written[0] = ResultFiles.writeAbundances(spark, m.results(pixels), tmp + "/abundances");
      ResultFiles.writeMsa(spark, m.endmembers(), tmp + "/endmembers", m.savedAt().orElse(null));
      writeConfig(tmp);
    });
    System.out.println("applied " + m.describe() + ": " + ResultFiles.summaryLine(spark, written[0],
        out + "/abundances"));
    System.out.println("wrote " + out + " (model/, abundances/, endmembers/*.msa)");
    return 0;
  }

  /** The model, endmembers and config committed first, then each acquisition's abundances on their own. */
  private int perAcquisition(SparkSession spark, UnmixingModel<?> m, SeriesStore series, Dataset<Row> pixels)
      throws Exception {
    List<String> ids = acquisitions.isEmpty()
        ? series.listAcquisitions().stream().map(Acquisition::id).toList() : acquisitions;
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      m.write().save(tmp + "/model");
      ResultFiles.writeMsa(spark, m.endmembers(), tmp + "/endmembers", m.savedAt().orElse(null));
      writeConfig(tmp);
    });
    SeriesApply.Summary done = SeriesApply.run(spark, m, pixels, ids, out, concurrentJobs, System.out);
    System.out.printf("applied %s to %d acquisitions in %.1f s: %.2f acquisitions/s%n", m.describe(),
        done.acquisitions(), done.seconds(), done.perSecond());
    System.out.println("wrote " + out + " (model/, abundances/ one commit per acquisition, endmembers/*.msa)");
    return 0;
  }
}
