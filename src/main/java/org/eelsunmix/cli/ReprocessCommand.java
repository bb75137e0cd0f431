package org.eelsunmix.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.io.CsvLine;
import org.eelsunmix.io.SpectralFile;
import org.eelsunmix.report.AcquisitionProducts;
import org.eelsunmix.report.AcquisitionSummary;
import org.eelsunmix.report.MapImages;
import org.eelsunmix.report.ReprocessReport;
import org.eelsunmix.report.SpectrumPlot;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.AcquisitionArchive;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ProcessedLedger;
import org.eelsunmix.spark.ProgressLine;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.ml.UnmixingModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reprocess}: the nightly job. Applies a saved model to every acquisition of an archive folder that the
 * output folder does not hold yet, and keeps a summary report up to date.
 *
 * <p>Which files are new: the output folder's {@link ProcessedLedger} ({@code _ledger/}) lists every file handled,
 * keyed by path and SHA-256 (size and modification time as a cheap pre-filter), so a changed file is processed again
 * and an unchanged one never. The new acquisitions are ingested into {@code <out>/store} (a series store, one Spark
 * task per file) and unmixed into {@code <out>/abundances} (Parquet), both with dynamic partition overwrite of just
 * their {@code acquisition_id}s; then, one acquisition at a time, its files ({@code endmembers/*.msa}, maps as
 * 16-bit TIFF and PNG, profiles, spectra plot, summary) are committed atomically as {@code <out>/acquisitions/<id>/}
 * and only then its ledger entry is appended. Every step rewrites the same places for the same acquisition, so a
 * job killed anywhere and run again leaves each file processed exactly once. {@code <out>/report/index.html} is
 * rebuilt after a run that did something; a run with nothing new writes nothing.
 *
 * <p>A file whose energy axis (channel count, offset, dispersion) differs from the model's is refused with both
 * named: spectra are not resampled onto the model's axis. Strict (default): any bad new file fails the run before
 * anything is written. Lenient: bad files are skipped, listed in {@code <out>/_rejected.csv} for that run and in
 * the ledger (not retried until they change).
 *
 * <p>Test hook: system property {@code eelsunmix.reprocess.crash=STAGE:N} throws, to simulate a killed job, after
 * the abundances of the run are written ({@code abundances:1}) or after the N-th acquisition's files are committed
 * ({@code outputs:N}) or its ledger entry appended ({@code ledger:N}).
 */
@Command(name = "reprocess", mixinStandardHelpOptions = true,
    description = "Apply a saved model to the new or changed acquisitions of an archive folder (nightly job).")
final class ReprocessCommand extends SparkCommand {
  static final String CRASH_PROPERTY = "eelsunmix.reprocess.crash";

  @Option(names = "--archive", required = true, paramLabel = "DIR", description = "folder of acquisition files "
      + "(.dm3, .dm4, .hspy, .rpl + .raw), searched recursively; local or any Hadoop file system URI")
  String archive;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "a saved model: an unmix output "
      + "folder or its model/ subfolder")
  String modelDir;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created; reused by "
      + "later runs)")
  String out;

  @Option(names = "--stringency", defaultValue = "strict", description = "strict (default): any bad new file fails "
      + "the run before anything is written; lenient: bad files are skipped and listed")
  String stringency;

  @Option(names = "--dry-run", description = "list what would be processed or skipped, write nothing")
  boolean dryRun;

  /** A new or changed archive file to process, with what was learnt checking it. */
  private record Work(AcquisitionArchive.Entry entry, Acquisition acquisition, boolean changed, double pixelSize,
      String pixelUnits) {}

  @Override
  public Integer call() throws Exception {
    boolean lenient = Stringency.isLenient(stringency);
    SparkSession spark = spark();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    UnmixingModel<?> model = UnmixingModel.load(spark, modelDir);
    AcquisitionArchive files = new AcquisitionArchive(conf, archive);
    List<AcquisitionArchive.Entry> entries = files.list();
    ProcessedLedger ledger = new ProcessedLedger(conf, out);
    List<ProcessedLedger.Entry> known = ledger.entries();
    for (ProcessedLedger.Entry k : known) {
      if (k.processed() && !k.model().equals(model.uid())) {
        throw new BadInputException("--out", out + " holds results of model " + k.model() + ", not of "
            + model.describe() + "; give another --out for another model");
      }
    }

    List<Work> work = new ArrayList<>();
    List<ProcessedLedger.Entry> rejected = new ArrayList<>();
    Map<String, String> idOwner = new HashMap<>();
    for (ProcessedLedger.Entry k : known) {
      if (k.processed()) {
        idOwner.putIfAbsent(k.acquisitionId(), k.path());
      }
    }
    int upToDate = 0;
    Instant now = Instant.now();
    // Which files are new or changed: the ledger's size and mtime first, the checksum only for a known path
    // whose size or mtime moved.
    List<AcquisitionArchive.Entry> candidates = new ArrayList<>();
    List<String> knownSums = new ArrayList<>();
    for (AcquisitionArchive.Entry e : entries) {
      String[] sum = new String[1];
      ProcessedLedger.Entry done = ProcessedLedger.find(known, e.path(), e.size(), e.modified(),
          () -> sum[0] = files.checksum(e));
      if (done != null) {
        upToDate++;
        continue;
      }
      candidates.add(e);
      knownSums.add(sum[0]);
    }
    // Each candidate is checksummed, read and checked against the model on the executors, one task per file:
    // the driver gets back one small survey per file, never the spectra.
    List<Survey> surveys = survey(spark, files, candidates, knownSums, model.endmembers().axis(),
        model.describe());
    for (int i = 0; i < candidates.size(); i++) {
      AcquisitionArchive.Entry e = candidates.get(i);
      Survey v = surveys.get(i);
      boolean changed = known.stream().anyMatch(k -> k.path().equals(e.path()));
      try {
        String owner = idOwner.putIfAbsent(e.acquisitionId(), e.path());
        if (owner != null && !owner.equals(e.path())) {
          throw new BadInputException(e.path(), "gives acquisition id '" + e.acquisitionId() + "', already used by "
              + owner + " (rename one of them)");
        }
        if (v.failure() != null) {
          throw v.failure();
        }
        work.add(new Work(e, v.acquisition(), changed, v.pixelSize(), v.pixelUnits()));
      } catch (BadInputException | UncheckedIOException | IllegalArgumentException ex) {
        if (!lenient) {
          throw ex instanceof BadInputException b ? b : new BadInputException(e.path(), ex.getMessage(), ex);
        }
        rejected.add(new ProcessedLedger.Entry(e.path(), e.size(), e.modified(), v.checksum(), e.acquisitionId(),
            ProcessedLedger.REJECTED, now, "", model.uid(), ex.getMessage()));
      }
    }

    if (dryRun) {
      for (Work w : work) {
        System.out.printf("would process %s as %s (%s)%n", w.entry().relativePath(), w.entry().acquisitionId(),
            w.changed() ? "changed" : "new");
      }
      for (ProcessedLedger.Entry r : rejected) {
        System.out.println("would skip " + r.reason());
      }
      System.out.printf("dry run: %d to process, %d to skip, %d up to date (model %s)%n", work.size(),
          rejected.size(), upToDate, model.describe());
      return 0;
    }
    if (work.isEmpty() && rejected.isEmpty()) {
      System.out.printf("nothing new in %s: %d file(s) up to date%n", archive, upToDate);
      return 0;
    }

    for (ProcessedLedger.Entry r : rejected) {
      ledger.append(r);
    }
    writeRejected(conf, rejected);
    if (!work.isEmpty()) {
      process(spark, files, model, ledger, work);
    }
    writeReport(spark, model);
    writeConfig(out);
    for (Work w : work) {
      System.out.printf("processed %s as %s (%s)%n", w.entry().relativePath(), w.entry().acquisitionId(),
          w.changed() ? "changed" : "new");
    }
    for (ProcessedLedger.Entry r : rejected) {
      System.out.println("skipped " + r.reason());
    }
    System.out.printf("%d processed, %d skipped%s, %d up to date; report: %s%n", work.size(), rejected.size(),
        rejected.isEmpty() ? "" : " (listed in " + out + "/_rejected.csv)", upToDate, out + "/report/index.html");
    return 0;
  }

  /**
   * What an executor found in one new or changed file: its checksum and acquisitions-table row, or the failure that
   * refuses it (with the checksum still, for the ledger).
   */
  private record Survey(String checksum, Acquisition acquisition, double pixelSize, String pixelUnits,
      RuntimeException failure) implements java.io.Serializable {}

  /** Surveys {@code candidates} in one Spark job, a task per file; results in the candidates' order. */
  private static List<Survey> survey(SparkSession spark, AcquisitionArchive files,
      List<AcquisitionArchive.Entry> candidates, List<String> knownSums, EnergyAxis want, String modelDescription) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<Integer> index = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      index.add(i);
    }
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(index, candidates.size())
        .map(i -> {
          AcquisitionArchive.Entry e = candidates.get(i);
          String checksum = knownSums.get(i) != null ? knownSums.get(i) : files.checksum(e);
          try {
            SpectralFile f = files.read(e);
            check(f, want, modelDescription);
            Acquisition row = new Acquisition(e.acquisitionId(), e.path(), checksum, f.image().width(),
                f.image().height(), f.image().axis(), null, f.format(), f.dtype(), f.metadata());
            return new Survey(checksum, row, f.navigationScale(), f.navigationUnits(), null);
          } catch (BadInputException | UncheckedIOException | IllegalArgumentException ex) {
            return new Survey(checksum, null, Double.NaN, "", ex);
          }
        }).collect();
  }

  /** Refuses what the model cannot be applied to: another energy axis, negative counts. */
  private static void check(SpectralFile f, EnergyAxis want, String modelDescription) {
    EnergyAxis got = f.image().axis();
    if (!got.sameAs(want, 1e-6)) {
      throw new BadInputException(f.path(), "energy axis (" + got + ") differs from that of the "
          + modelDescription + " (" + want + "); spectra are not resampled: unmix these with a model fitted on "
          + "their own axis");
    }
    f.image().requireNonNegative(f.path());
  }

  /**
   * Ingests the new acquisitions into {@code <out>/store} (one Spark task per file) and unmixes them into
   * {@code <out>/abundances}, both with dynamic partition overwrite of just their ids; then, one acquisition at a
   * time, commits its files and appends its ledger entry.
   */
  private void process(SparkSession spark, AcquisitionArchive files, UnmixingModel<?> model,
      ProcessedLedger ledger, List<Work> work) throws IOException {
    List<AcquisitionArchive.Entry> entries = work.stream().map(Work::entry).toList();
    List<String> ids = entries.stream().map(AcquisitionArchive.Entry::acquisitionId).toList();
    describe("reprocess: ingest " + ids.size() + " file(s)");
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(entries, entries.size()).flatMap(x -> ImageRows.pixels(files.read(x).image()));
    SeriesStore store = new SeriesStore(spark, out + "/store");
    store.write(spark.createDataFrame(rows, PixelSchema.PIXELS), spark.createDataFrame(
        work.stream().map(w -> w.acquisition().toRow()).toList(), PixelSchema.ACQUISITIONS), null, null);

    describe("reprocess: unmix " + ids.size() + " acquisition(s)");
    String abundancesPath = out + "/abundances";
    // The files were checked against the model's axis: read their rows straight back with that axis attached
    // (SeriesStore.pixels would list and check the whole acquisitions table again).
    Dataset<Row> stored = spark.read().schema(PixelSchema.PIXELS).parquet(store.path(SeriesStore.PIXELS))
        .where(functions.col(PixelSchema.ACQUISITION_ID).isin(ids.toArray()));
    Dataset<Row> pixels = stored.select(functions.col(PixelSchema.ACQUISITION_ID), functions.col(PixelSchema.X),
        functions.col(PixelSchema.Y), SpectrumColumn.withAxis(stored, PixelSchema.SPECTRUM, model.endmembers().axis()));
    SeriesStore.writePartitioned(model.transform(pixels).select(
        functions.col(PixelSchema.ACQUISITION_ID), functions.col(PixelSchema.X), functions.col(PixelSchema.Y),
        functions.col(PixelSchema.ABUNDANCES_COL), functions.col(PixelSchema.RMSE)), abundancesPath, spark);
    crashHook("abundances", 1);

    ProgressLine progress = new ProgressLine(System.out);
    progress.update("reprocess: maps and reports", 0, work.size(), true);
    for (int i = 0; i < work.size(); i++) {
      writeOutputs(spark, model, work.get(i), abundancesPath);
      crashHook("outputs", i + 1);
      Work w = work.get(i);
      AcquisitionArchive.Entry e = w.entry();
      ledger.append(new ProcessedLedger.Entry(e.path(), e.size(), e.modified(), w.acquisition().checksum(),
          e.acquisitionId(), ProcessedLedger.PROCESSED, Instant.now(), folderOf(e.acquisitionId()), model.uid(), ""));
      crashHook("ledger", i + 1);
      progress.update("reprocess: maps and reports", i + 1, work.size(), true);
    }
    progress.finish();
  }

  private String folderOf(String id) {
    return out + "/acquisitions/" + id;
  }

  /** Commits {@code <out>/acquisitions/<id>/}: endmember spectra, maps, profiles, plot, summary. */
  private void writeOutputs(SparkSession spark, UnmixingModel<?> model, Work w, String abundancesPath) {
    Acquisition acquisition = w.acquisition();
    String id = acquisition.id();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    describe("reprocess: maps of " + id);
    int h = acquisition.height();
    int wd = acquisition.width();
    int r = model.endmembers().count();
    double[] values = new double[h * wd * r];
    double[] rmse = new double[h * wd];
    // One acquisition's abundance rows (R + 1 numbers per pixel, not its spectra) come to the driver for the maps.
    Iterator<Row> it = spark.read().schema(PixelSchema.ABUNDANCES).parquet(abundancesPath)
        .where(functions.col(PixelSchema.ACQUISITION_ID).equalTo(id))
        .select(PixelSchema.X, PixelSchema.Y, PixelSchema.ABUNDANCES_COL, PixelSchema.RMSE).toLocalIterator();
    double[] means = new double[r];
    double rmseSum = 0;
    double rmseMax = 0;
    while (it.hasNext()) {
      Row row = it.next();
      int p = row.getInt(1) * wd + row.getInt(0);
      List<Double> a = row.getList(2);
      for (int k = 0; k < r; k++) {
        values[p * r + k] = a.get(k);
        means[k] += a.get(k);
      }
      rmse[p] = row.getDouble(3);
      rmseSum += rmse[p];
      rmseMax = Math.max(rmseMax, rmse[p]);
    }
    for (int k = 0; k < r; k++) {
      means[k] /= h * wd;
    }
    AcquisitionSummary summary = new AcquisitionSummary(id, acquisition.sourcePath(), acquisition.format(),
        acquisition.checksum(), h, wd, acquisition.axis(), w.pixelSize(), w.pixelUnits(), model.endmembers().names(),
        means, rmseSum / (h * wd), rmseMax, model.describe(), Instant.now());
    AtomicOutput.commit(conf, folderOf(id), true, tmp -> {
      UnmixCommand.writeMsa(spark, model.endmembers(), tmp + "/endmembers");
      FileSystem fs = new Path(tmp).getFileSystem(conf);
      AcquisitionProducts.write(new Abundances(h, wd, r, values), rmse, model.endmembers(), summary,
          rel -> fs.create(new Path(tmp, rel), true));
    });
  }

  private static void crashHook(String stage, int n) {
    String spec = System.getProperty(CRASH_PROPERTY);
    if (spec != null && spec.equals(stage + ":" + n)) {
      throw new IllegalStateException("test hook " + CRASH_PROPERTY + "=" + spec + ": simulated crash");
    }
  }

  /** {@code <out>/_rejected.csv}: the files this run skipped (removed when it skipped none). */
  private void writeRejected(Configuration conf, List<ProcessedLedger.Entry> rejected) throws IOException {
    Path file = new Path(out, "_rejected.csv");
    FileSystem fs = file.getFileSystem(conf);
    if (rejected.isEmpty()) {
      fs.delete(file, false);
      return;
    }
    StringBuilder sb = new StringBuilder(CsvLine.format(List.of("path", "reason"))).append('\n');
    for (ProcessedLedger.Entry r : rejected) {
      sb.append(CsvLine.format(List.of(r.path(), r.reason()))).append('\n');
    }
    try (OutputStream o = fs.create(file, true)) {
      o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Rebuilds {@code <out>/report/} (index.html and the model's endmember plot) from the acquisition folders and the
   * ledger, atomically.
   */
  private void writeReport(SparkSession spark, UnmixingModel<?> model) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
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
    summaries.sort(java.util.Comparator.comparing(AcquisitionSummary::id));
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
    String html = ReprocessReport.html(model.describe(), "endmembers.png", summaries, skipped, Instant.now());
    AtomicOutput.commit(conf, out + "/report", true, tmp -> {
      FileSystem tfs = new Path(tmp).getFileSystem(conf);
      List<SpectrumPlot.Curve> curves = new ArrayList<>();
      for (int k = 0; k < model.endmembers().count(); k++) {
        curves.add(new SpectrumPlot.Curve(model.endmembers().names().get(k), model.endmembers().spectrum(k), false));
      }
      try (OutputStream o = tfs.create(new Path(tmp, "endmembers.png"), true)) {
        MapImages.writePng(SpectrumPlot.render(model.endmembers().axis(), curves, "model endmember spectra",
            "intensity (counts)", 900, 440), o);
      }
      try (OutputStream o = tfs.create(new Path(tmp, "index.html"), true)) {
        o.write(html.getBytes(StandardCharsets.UTF_8));
      }
    });
  }
}
