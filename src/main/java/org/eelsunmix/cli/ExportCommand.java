package org.eelsunmix.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.io.Msa;
import org.eelsunmix.io.MsaSpectrum;
import org.eelsunmix.io.NpyAcquisition;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.AcquisitionMaps;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.ml.UnmixingModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code export}: turns one acquisition's unmixing results into files NumPy/HyperSpy users open directly:
 * {@code abundances.npy} (rows × cols × R, float64), {@code endmembers.npy} (R × channels, float64),
 * {@code energy.npy} and one EMSA/MSA spectrum per endmember; where the results carry uncertainties (BLU),
 * also {@code abundances_std.npy} and each endmember's bands ({@code endmember-NN-lower.msa}, {@code -upper.msa}). The abundance rows stream to the driver in raster
 * order (one map, not the spectra); the folder appears complete or not at all.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export abundance maps and endmembers of one acquisition to .npy and .msa files.")
final class ExportCommand extends SparkCommand {
  @Option(names = "--results", required = true, description = "output folder of unmix")
  String results;

  @Option(names = "--store", required = true, description = "series store the results were computed from (for "
      + "the map geometry)")
  String store;

  @Option(names = "--acquisition", paramLabel = "ID", description = "acquisition to export (default: the only one "
      + "in the results)")
  String acquisition;

  @Option(names = "--to", required = true, description = "local folder to write")
  Path to;

  @Option(names = "--overwrite", description = "replace an existing folder")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = spark();
    if (Files.exists(to) && !overwrite) {
      throw new BadInputException(to.toString(), "already exists (give --overwrite to replace it)");
    }
    UnmixingModel<?> model = UnmixingModel.load(spark, results + "/model");
    Endmembers endmembers = model.endmembers();
    boolean withStd = java.util.Arrays.asList(spark.read().parquet(results + "/abundances").columns())
        .contains(PixelSchema.ABUNDANCES_STD);
    var table = spark.read().schema(withStd ? PixelSchema.ABUNDANCES.add(PixelSchema.ABUNDANCES_STD,
        PixelSchema.VALUES_TYPE, true) : PixelSchema.ABUNDANCES).parquet(results + "/abundances");
    String id = acquisition;
    if (id == null) {
      List<Row> ids = table.select(PixelSchema.ACQUISITION_ID).distinct().limit(2).collectAsList();
      if (ids.size() != 1) {
        throw new BadInputException("--acquisition", ids.isEmpty() ? "the results hold no abundances"
            : "the results hold several acquisitions: name one");
      }
      id = ids.get(0).getString(0);
    }
    Acquisition acq = new SeriesStore(spark, store).acquisition(id);
    int r = endmembers.count();
    int h = acq.height();
    int w = acq.width();
    describe("export: " + id);
    Abundances maps = AcquisitionMaps.read(table, results, acq, PixelSchema.ABUNDANCES_COL, r);
    Abundances std = withStd ? AcquisitionMaps.read(table, results, acq, PixelSchema.ABUNDANCES_STD, r) : null;
    String name = id; // the writer below needs an effectively final copy
    String at = to.toAbsolutePath().toUri().toString(); // a local folder, whatever the default file system
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), at, true, tmpUri -> {
      Path tmp = Files.createDirectories(Path.of(new org.apache.hadoop.fs.Path(tmpUri).toUri()));
      NpyAcquisition.writeAbundances(tmp.resolve("abundances.npy"), maps);
      if (std != null) {
        NpyAcquisition.writeAbundances(tmp.resolve("abundances_std.npy"), std);
      }
      NpyAcquisition.writeEndmembers(tmp.resolve("endmembers.npy"), endmembers);
      org.eelsunmix.io.NpyWriter.write(tmp.resolve("energy.npy"), new int[] {endmembers.channels()},
          endmembers.axis().energies());
      for (int k = 0; k < r; k++) {
        Msa.write(tmp.resolve(String.format("endmember-%02d.msa", k)), new MsaSpectrum(
            name + " endmember " + k + " (" + endmembers.names().get(k) + ")", endmembers.axis(),
            endmembers.spectrum(k)));
        for (var band : model.endmemberBands().entrySet()) {
          Msa.write(tmp.resolve(String.format("endmember-%02d-%s.msa", k, band.getKey())), new MsaSpectrum(
              name + " endmember " + k + " " + band.getKey() + " band", endmembers.axis(),
              band.getValue().spectrum(k)));
        }
      }
    });
    System.out.printf("exported %s: abundances.npy (%d x %d x %d), endmembers.npy (%d x %d), %d MSA spectra -> %s%n",
        id, h, w, r, r, endmembers.channels(), r, to);
    return 0;
  }
}
