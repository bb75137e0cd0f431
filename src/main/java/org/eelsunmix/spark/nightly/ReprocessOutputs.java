package org.eelsunmix.spark.nightly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.report.AcquisitionProducts;
import org.eelsunmix.report.AcquisitionSummary;
import org.eelsunmix.report.MapImages;
import org.eelsunmix.report.ReprocessReport;
import org.eelsunmix.report.SpectrumPlot;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.AcquisitionMaps;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ProcessedLedger;
import org.eelsunmix.spark.ResultFiles;

/**
 * The files a reprocessing output folder shows people: per acquisition {@code acquisitions/<id>/} (endmember
 * spectra, 16-bit TIFF and PNG maps, profiles, spectra plot, summary) and {@code report/} (index.html and the
 * model's endmember plot), each committed atomically.
 */
final class ReprocessOutputs {
  private final SparkSession spark;
  private final Configuration conf;
  private final String out;
  private final String modelDescription;
  private final Endmembers endmembers;
  private final java.util.Map<String, Endmembers> bands;
  private final Instant modelSavedAt;

  /**
   * @param bands the model's per-channel bands by name ({@code lower}, {@code upper}: drawn shaded around each
   *     endmember in the report's plot), empty when the model has none
   * @param modelSavedAt when the model was saved: every acquisition's endmember files carry it (null: now)
   */
  ReprocessOutputs(SparkSession spark, String out, String modelDescription, Endmembers endmembers,
      java.util.Map<String, Endmembers> bands, Instant modelSavedAt) {
    this.spark = spark;
    this.conf = spark.sparkContext().hadoopConfiguration();
    this.out = out;
    this.modelDescription = modelDescription;
    this.endmembers = endmembers;
    this.bands = bands;
    this.modelSavedAt = modelSavedAt;
  }

  /** What {@link #write} committed: the folder, its summary, and the maps and RMSE it drew them from. */
  record Written(String folder, AcquisitionSummary summary, Abundances maps, double[] rmse) {}

  /**
   * One acquisition's results on the driver, in raster order.
   *
   * @param std the abundances' standard deviations, or null when the model gives none
   * @param rmse per-pixel RMSE, row-major
   */
  record Results(Abundances maps, Abundances std, double[] rmse) {}

  /**
   * The acquisition's rows of a results table (the abundances table as written): R + 1 numbers per pixel, not its
   * spectra, come to the driver for the maps; the standard deviations too when the model gave them (BLU).
   *
   * @param name the table as messages name it
   */
  Results read(Acquisition acquisition, Dataset<Row> table, String name) {
    int r = endmembers.count();
    boolean withStd = java.util.Arrays.asList(table.columns()).contains(PixelSchema.ABUNDANCES_STD);
    Abundances maps = AcquisitionMaps.read(table, name, acquisition, PixelSchema.ABUNDANCES_COL, r);
    Abundances std = withStd ? AcquisitionMaps.read(table, name, acquisition, PixelSchema.ABUNDANCES_STD, r) : null;
    return new Results(maps, std, AcquisitionMaps.readScalar(table, acquisition, PixelSchema.RMSE));
  }

  /** As {@link #write(Acquisition, double, String, Results)} from the rows of the abundances table. */
  Written write(Acquisition acquisition, double pixelSize, String pixelUnits, String abundancesPath,
      StepTimes times) {
    Results results = read(acquisition, spark.read().parquet(abundancesPath), abundancesPath);
    times.lap("abundances read back");
    Written w = write(acquisition, pixelSize, pixelUnits, results);
    times.lap("maps, tiff, png, msa, commit");
    return w;
  }

  /** Commits {@code <out>/acquisitions/<id>/} from the acquisition's results; returns that folder and what it holds. */
  Written write(Acquisition acquisition, double pixelSize, String pixelUnits, Results results) {
    String id = acquisition.id();
    int h = acquisition.height();
    int wd = acquisition.width();
    int r = endmembers.count();
    Abundances maps = results.maps();
    Abundances std = results.std();
    double[] rmse = results.rmse();
    double[] means = new double[r];
    double[] values = maps.values();
    for (int p = 0; p < h * wd; p++) {
      for (int k = 0; k < r; k++) {
        means[k] += values[p * r + k];
      }
    }
    double rmseSum = 0;
    double rmseMax = 0;
    for (double e : rmse) {
      rmseSum += e;
      rmseMax = Math.max(rmseMax, e);
    }
    for (int k = 0; k < r; k++) {
      means[k] /= h * wd;
    }
    AcquisitionSummary summary = new AcquisitionSummary(id, acquisition.sourcePath(), acquisition.format(),
        acquisition.checksum(), h, wd, acquisition.axis(), pixelSize, pixelUnits, endmembers.names(), means,
        rmseSum / (h * wd), rmseMax, modelDescription, Instant.now());
    String folder = out + "/acquisitions/" + id;
    AtomicOutput.commit(conf, folder, true, tmp -> {
      ResultFiles.writeMsa(spark, endmembers, tmp + "/endmembers", modelSavedAt);
      FileSystem fs = new Path(tmp).getFileSystem(conf);
      AcquisitionProducts.write(maps, std, rmse, endmembers, summary,
          rel -> fs.create(new Path(tmp, rel), true));
    });
    return new Written(folder, summary, maps, rmse);
  }

  /**
   * Rebuilds {@code <out>/report/} (index.html and the model's endmember plot) from the acquisition folders and the
   * ledger.
   */
  void writeReport() throws IOException {
    Path acquisitions = new Path(out, "acquisitions");
    FileSystem fs = acquisitions.getFileSystem(conf);
    List<AcquisitionSummary> summaries = new ArrayList<>();
    if (fs.exists(acquisitions)) {
      for (FileStatus s : fs.listStatus(acquisitions)) {
        Path p = new Path(s.getPath(), "summary.properties");
        if (s.isDirectory() && !s.getPath().getName().startsWith(".") && fs.exists(p)) {
          try (InputStream in = fs.open(p)) {
            summaries.add(AcquisitionSummary.load(in));
          }
        }
      }
    }
    summaries.sort(Comparator.comparing(AcquisitionSummary::id));
    Map<String, ProcessedLedger.Entry> latest = new LinkedHashMap<>();
    for (ProcessedLedger.Entry k : new ProcessedLedger(conf, out).entries()) {
      latest.put(k.path(), k);
    }
    List<ReprocessReport.Skipped> skipped = new ArrayList<>();
    for (ProcessedLedger.Entry k : latest.values()) {
      if (!k.processed()) {
        skipped.add(new ReprocessReport.Skipped(k.path(), k.reason(), k.processedAt()));
      }
    }
    String html = ReprocessReport.html(modelDescription, "endmembers.png", summaries, skipped, Instant.now());
    AtomicOutput.commit(conf, out + "/report", true, tmp -> {
      FileSystem tfs = new Path(tmp).getFileSystem(conf);
      List<SpectrumPlot.Curve> curves = new ArrayList<>();
      List<SpectrumPlot.Band> shaded = new ArrayList<>();
      Endmembers lower = bands.get("lower");
      Endmembers upper = bands.get("upper");
      for (int k = 0; k < endmembers.count(); k++) {
        curves.add(new SpectrumPlot.Curve(endmembers.names().get(k), endmembers.spectrum(k), false));
        if (lower != null && upper != null) {
          shaded.add(new SpectrumPlot.Band(k, lower.spectrum(k), upper.spectrum(k)));
        }
      }
      String title = shaded.isEmpty() ? "model endmember spectra"
          : "model endmember spectra (shaded: the model's credible bands)";
      try (OutputStream o = tfs.create(new Path(tmp, "endmembers.png"), true)) {
        MapImages.writePng(SpectrumPlot.render(endmembers.axis(), curves, shaded, title, "intensity (counts)", 900,
            440), o);
      }
      try (OutputStream o = tfs.create(new Path(tmp, "index.html"), true)) {
        o.write(html.getBytes(StandardCharsets.UTF_8));
      }
    });
  }
}
