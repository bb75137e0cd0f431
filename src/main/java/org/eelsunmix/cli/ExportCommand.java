package org.eelsunmix.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.io.Msa;
import org.eelsunmix.io.MsaSpectrum;
import org.eelsunmix.io.NpyAcquisition;
import org.eelsunmix.spark.Acquisition;
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
    double[] values = new double[h * w * r];
    double[] std = withStd ? new double[h * w * r] : null;
    boolean[] seen = new boolean[h * w];
    describe("export: " + id);
    Iterator<Row> rows = table.where(functions.col(PixelSchema.ACQUISITION_ID).equalTo(id))
        .select(PixelSchema.X, PixelSchema.Y, PixelSchema.ABUNDANCES_COL, withStd ? PixelSchema.ABUNDANCES_STD
            : PixelSchema.ABUNDANCES_COL).toLocalIterator();
    long count = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      int x = row.getInt(0);
      int y = row.getInt(1);
      List<Object> a = row.getList(2);
      if (x < 0 || x >= w || y < 0 || y >= h || a.size() != r) {
        throw new BadInputException(results, "abundance row (y=" + y + ", x=" + x + ") with " + a.size()
            + " values does not fit " + id + " (" + h + " x " + w + ", R = " + r + ")");
      }
      if (seen[y * w + x]) {
        throw new BadInputException(results, "pixel (y=" + y + ", x=" + x + ") of " + id + " appears twice");
      }
      seen[y * w + x] = true;
      for (int k = 0; k < r; k++) {
        values[(y * w + x) * r + k] = ((Number) a.get(k)).doubleValue();
      }
      if (std != null) {
        List<Object> sd = row.getList(3);
        for (int k = 0; k < r; k++) {
          std[(y * w + x) * r + k] = ((Number) sd.get(k)).doubleValue();
        }
      }
      count++;
    }
    if (count != (long) h * w) {
      throw new BadInputException(results, "has " + count + " abundance rows for " + id + ", expected " + h * w);
    }
    String name = id; // the writer below needs an effectively final copy
    String at = to.toAbsolutePath().toUri().toString(); // a local folder, whatever the default file system
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), at, true, tmpUri -> {
      Path tmp = Files.createDirectories(Path.of(new org.apache.hadoop.fs.Path(tmpUri).toUri()));
      NpyAcquisition.writeAbundances(tmp.resolve("abundances.npy"), new Abundances(h, w, r, values));
      if (std != null) {
        NpyAcquisition.writeAbundances(tmp.resolve("abundances_std.npy"), new Abundances(h, w, r, std));
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
