package org.eelsunmix.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.ml.SavedUnmixingModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apply}: runs a saved model ({@code train} or {@code unmix} output) over acquisitions of a series store and
 * writes {@code abundances/} (Parquet partitioned by acquisition: x, y, abundances, rmse, as {@code unmix}) and
 * {@code _config.properties}, atomically. Spectra on another energy axis than the model's are refused.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Apply a trained model (train or unmix output) to acquisitions of a series store.")
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

  @Override
  public Integer call() throws Exception {
    SparkSession spark = spark();
    SavedUnmixingModel m = SavedUnmixingModel.load(spark, model);
    EnergyAxis own = m.endmembers().axis();
    if (endmembers != null && endmembers != m.endmembers().count()) {
      throw new BadInputException("--endmembers", "asked for " + endmembers + " endmembers but " + m.description()
          + " has " + m.endmembers().count());
    }
    SeriesStore series = new SeriesStore(spark, store);
    Dataset<Row> pixels = series.pixels(acquisitions);
    EnergyAxis axis = SpectrumColumn.axisOf(pixels.schema(), PixelSchema.SPECTRUM);
    if (axis.channels() != own.channels() || !axis.sameAs(own, 1e-9)) {
      throw new BadInputException(series.path(SeriesStore.PIXELS), "spectra are on the energy axis " + axis
          + " but " + m.description() + " takes " + own);
    }
    describe("apply: " + m.description());
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      ResultFiles.writeAbundances(spark, m.transform(pixels), tmp + "/abundances");
      writeConfig(tmp);
    });
    System.out.println("applied " + m.description() + ": " + ResultFiles.unmixedPixels(spark, out + "/abundances"));
    System.out.println("wrote " + out + " (abundances/)");
    return 0;
  }
}
