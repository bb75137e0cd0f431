package org.eelsunmix.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.ElementalMaps;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.unmix.EnergyWindow;
import org.eelsunmix.unmix.PowerLawBackground;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bs}: the classic elemental map of an ionisation edge by power-law background subtraction
 * ({@link PowerLawBackground}, Egerton §4.4), pixel by pixel over acquisitions of a series store. Writes,
 * atomically into one output folder: {@code maps/} (Parquet, partitioned by acquisition:
 * {@link PixelSchema#ELEMENTAL_MAP}), {@code summary.csv} (per acquisition: pixels, negative and NaN signals, mean
 * signal and exponent; also printed) and {@code _config.properties}.
 */
@Command(name = "bs", mixinStandardHelpOptions = true,
    description = "Elemental maps by power-law background subtraction (pre-edge fit, integrated edge signal).")
final class BsCommand extends SparkCommand {
  @Option(names = "--store", required = true, description = "series store (written by generate, import-npy or "
      + "ingest)")
  String store;

  @Option(names = "--acquisition", paramLabel = "ID", description = "acquisition(s) to map (repeatable; default: "
      + "all in the store; they must share one energy axis)")
  List<String> acquisitions = new ArrayList<>();

  @Option(names = "--pre-edge", required = true, paramLabel = "E1:E2", description = "window where the power-law "
      + "background A·E^-r is fitted, eV (e.g. 250:280)")
  String preEdge;

  @Option(names = "--signal", required = true, paramLabel = "E3:E4", description = "window above the pre-edge "
      + "where counts minus background are summed, eV (e.g. 284:334)")
  String signal;

  @Option(names = "--name", defaultValue = "edge", description = "label of the map, e.g. the element and edge "
      + "(C-K); default edge")
  String name;

  @Option(names = "--out", required = true, description = "output folder")
  String out;

  @Option(names = "--overwrite", description = "replace an existing output folder")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    EnergyWindow pre = EnergyWindow.parse("--pre-edge", preEdge);
    EnergyWindow sig = EnergyWindow.parse("--signal", signal);
    SparkSession spark = spark();
    SeriesStore series = new SeriesStore(spark, store);
    Dataset<Row> pixels = series.pixels(acquisitions);
    EnergyAxis axis = SpectrumColumn.axisOf(pixels.schema(), PixelSchema.SPECTRUM);
    PowerLawBackground kernel = new PowerLawBackground(axis, pre, sig);
    List<Row> summary = new ArrayList<>();
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      describe("bs: " + name + " map");
      SeriesStore.writePartitioned(ElementalMaps.compute(pixels, kernel, series.path(SeriesStore.PIXELS)),
          tmp + "/maps", spark);
      describe("bs: summary");
      Dataset<Row> labelled = ElementalMaps.summary(spark.read().schema(PixelSchema.ELEMENTAL_MAP)
          .parquet(tmp + "/maps")).select(functions.lit(name).as("name"), functions.col("*"));
      summary.addAll(labelled.collectAsList());
      ResultFiles.writeCsv(spark, tmp + "/summary.csv", labelled.schema().fieldNames(), summary.iterator());
      writeConfig(tmp);
    });
    System.out.println(name + ": " + kernel);
    System.out.print(table(summary));
    System.out.println("wrote " + out + " (maps/, summary.csv)");
    return 0;
  }

  /** The printed summary: one line per acquisition (rows: name, then the columns of {@link ElementalMaps#summary}). */
  static String table(List<Row> summary) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %9s %9s %9s %14s %8s%n", "acquisition",
        "pixels", "negative", "NaN", "mean signal", "mean r"));
    for (Row r : summary) {
      sb.append(String.format(Locale.ROOT, "%-24s %9d %9d %9d %14.6g %8.4g%n", r.getString(1), r.getLong(2),
          r.getLong(3), r.getLong(4), r.isNullAt(5) ? Double.NaN : r.getDouble(5),
          r.isNullAt(6) ? Double.NaN : r.getDouble(6)));
    }
    return sb.toString();
  }
}
