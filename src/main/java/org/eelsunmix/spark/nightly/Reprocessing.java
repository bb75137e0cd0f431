package org.eelsunmix.spark.nightly;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.spark.AcquisitionArchive;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ProcessedLedger;
import org.eelsunmix.spark.ProgressLine;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.ml.UnmixingModel;
import org.eelsunmix.spark.source.FileSurvey;
import org.eelsunmix.spark.source.SourceOptions;
import org.eelsunmix.spark.source.SurveyedFile;

/**
 * The nightly job: a saved model applied to every acquisition of an archive folder that the output folder does not
 * hold yet. {@link #plan} says what is new (read-only); {@link #run} writes it; the caller holds the output folder's
 * {@link ReprocessLock} around both and prints.
 *
 * <p>Which files are new: the output folder's {@link ProcessedLedger} ({@code _ledger/}) lists every file handled,
 * keyed by path and SHA-256 (size and modification time as a cheap pre-filter), so a changed file is processed again
 * and an unchanged one never. The new files are surveyed on the executors (headers and checksums, then every value
 * of those on the model's axis) and ingested through {@code format("eels")} into {@code <out>/store}, then unmixed
 * into {@code <out>/abundances}, both with dynamic partition overwrite of just their {@code acquisition_id}s; then,
 * one acquisition at a time, its files are committed atomically as {@code <out>/acquisitions/<id>/}
 * ({@link ReprocessOutputs}) and only then its ledger entry is appended. Every step rewrites the same places for the
 * same acquisition, so a job killed anywhere and run again leaves each file processed exactly once.
 *
 * <p>The live watcher runs the same steps in another order ({@link #live}): each folder is committed as soon as its
 * abundances are known, the store written after, and small local acquisitions are unmixed from the driver; the
 * files written are the same.
 *
 * <p>A file whose energy axis differs from the model's, an unreadable one and one with negative counts are refused
 * naming the file (and the model): strict, the plan fails before anything is written; lenient, they are skipped,
 * listed in {@code <out>/_rejected.csv} and in the ledger (not retried until they change).
 *
 * <p>Test hook: system property {@code eelsunmix.reprocess.crash=STAGE:N} throws, to simulate a killed job, after
 * the abundances of the run are written ({@code abundances:1}) or after the N-th acquisition's files are committed
 * ({@code outputs:N}) or its ledger entry appended ({@code ledger:N}); with {@code :hang} appended
 * ({@code outputs:2:hang}) it blocks there instead, so that a test can kill the process at that point, and with
 * {@code :pause} it waits there 3 s and goes on (a test sends a signal meanwhile).
 */
public final class Reprocessing {
  /** The system property of the crash test hook. */
  public static final String CRASH_PROPERTY = "eelsunmix.reprocess.crash";

  /**
   * A new or changed archive file to process.
   *
   * @param entry the file in the archive
   * @param file what its survey found (header, checksum)
   * @param changed whether the ledger had this path with other content
   */
  public record Work(AcquisitionArchive.Entry entry, SurveyedFile file, boolean changed) {}

  /**
   * One acquisition just committed (its folder, then its ledger entry), as {@link #run} reports it to a listener.
   *
   * @param work the file processed
   * @param folder its {@code acquisitions/<id>/} folder
   * @param summary the facts written there
   * @param maps its abundance maps
   * @param rmse its per-pixel reconstruction RMSE, row-major
   * @param mapsNanos when its folder was committed ({@link System#nanoTime})
   * @param committedAt when its ledger entry was appended
   */
  public record Committed(Work work, String folder, org.eelsunmix.report.AcquisitionSummary summary,
      org.eelsunmix.core.Abundances maps, double[] rmse, long mapsNanos, Instant committedAt) {}

  /**
   * What a run would do.
   *
   * @param work the files to process, in archive order
   * @param rejected the files to skip (lenient only), as their ledger entries
   * @param upToDate how many files the ledger holds as they are
   * @param warnings one line each: symbolic links not followed
   */
  public record Plan(List<Work> work, List<ProcessedLedger.Entry> rejected, int upToDate, List<String> warnings) {
    /** True when the run has nothing to write. */
    public boolean nothingNew() {
      return work.isEmpty() && rejected.isEmpty();
    }
  }

  private final SparkSession spark;
  private final Configuration conf;
  private final String archive;
  private final String out;
  private final boolean lenient;
  private final UnmixingModel<?> model;
  private StepTimes times = new StepTimes();
  private boolean live;
  private long localMaxPixels;

  /** A job over {@code archive} through the model saved at {@code modelDir} into {@code out} (loads the model). */
  public Reprocessing(SparkSession spark, String archive, String modelDir, String out, boolean lenient) {
    this.spark = spark;
    this.conf = spark.sparkContext().hadoopConfiguration();
    this.archive = archive;
    this.out = out;
    this.lenient = lenient;
    this.model = UnmixingModel.load(spark, modelDir);
  }

  /** The model, as messages name it. */
  public String modelDescription() {
    return model.describe();
  }

  /**
   * Removes what killed runs left in the output folder: temporaries of atomic writes ({@code ._tmp-*},
   * {@code ._old-*}) and Spark's staging folders in its tables, whatever their age (call it holding the lock: no
   * other run writes there). Returns their paths.
   */
  public List<String> removeLeftovers() {
    return removeLeftovers(conf, out);
  }

  /** As {@link #removeLeftovers()} for output folder {@code out}, before a model is known. */
  public static List<String> removeLeftovers(Configuration conf, String out) {
    List<String> removed = new ArrayList<>();
    for (String dir : List.of(out, out + "/acquisitions", out + "/" + ProcessedLedger.FOLDER)) {
      removed.addAll(AtomicOutput.removeStale(conf, dir, AtomicOutput.TEMPORARIES, Duration.ZERO));
    }
    for (String table : List.of(out + "/abundances", out + "/store/" + SeriesStore.PIXELS,
        out + "/store/" + SeriesStore.ACQUISITIONS)) {
      removed.addAll(AtomicOutput.removeStale(conf, table, AtomicOutput.SPARK_STAGING, Duration.ZERO));
    }
    removed.addAll(AtomicOutput.removeStale(conf, out, Pattern.compile("\\._stale-.+"), Duration.ZERO));
    return removed;
  }

  /** Where {@link #plan} and {@link #run} add the wall time of their steps (default: a private one). */
  public void times(StepTimes t) {
    this.times = t;
  }

  /**
   * Live mode (the watcher's), for latency: each acquisition's folder is committed as soon as its abundances are
   * known, and only then are the store's pixels written (the largest write) and the ledger entries appended. Small
   * acquisitions, of at most {@code localMaxPixels} pixels on the local file system, are moreover read and unmixed
   * from the driver ({@link DriverUnmixing}) without the tables' writes before their maps; larger ones are unmixed
   * by Spark straight from their files. The tables, folders and ledger entries written are those of the nightly
   * path (default), which writes the store first and unmixes its rows back.
   *
   * @param localMaxPixels 0: every acquisition through Spark jobs
   */
  public void live(long localMaxPixels) {
    if (localMaxPixels < 0) {
      throw new BadInputException("--local-max-pixels", "must be ≥ 0, got " + localMaxPixels);
    }
    this.live = true;
    this.localMaxPixels = localMaxPixels;
  }

  /** The model applied. */
  public UnmixingModel<?> model() {
    return model;
  }

  /** Lists the archive, compares it with the ledger and surveys the new files; writes nothing. */
  public Plan plan() {
    return plan(new AcquisitionArchive(conf, archive).list());
  }

  /**
   * As {@link #plan()} for the files of {@code listing} only (a listing of this archive, possibly filtered: the
   * live watcher passes the files that are complete); writes nothing.
   */
  public Plan plan(AcquisitionArchive.Listing listing) {
    AcquisitionArchive files = new AcquisitionArchive(conf, archive);
    times.start();
    List<ProcessedLedger.Entry> known = new ProcessedLedger(conf, out).entries();
    times.lap("ledger read");
    Map<String, String> idOwner = new HashMap<>();
    for (ProcessedLedger.Entry k : known) {
      if (k.processed() && !k.model().equals(model.uid())) {
        throw new BadInputException("out", out + " holds results of model " + k.model() + ", not of "
            + model.describe() + "; give another --out for another model");
      }
      if (k.processed()) {
        idOwner.putIfAbsent(k.acquisitionId(), k.path());
      }
    }
    // The ledger's size and mtime first; the checksum only for a known path whose size or mtime moved.
    int upToDate = 0;
    List<AcquisitionArchive.Entry> candidates = new ArrayList<>();
    for (AcquisitionArchive.Entry e : listing.entries()) {
      if (ProcessedLedger.find(known, e.path(), e.size(), e.modified(), () -> files.checksum(e)) != null) {
        upToDate++;
      } else {
        candidates.add(e);
      }
    }
    times.lap("ledger match");
    List<SurveyedFile> headers;
    Map<String, SurveyedFile> values = new HashMap<>();
    if (live) {
      headers = surveyAtOnce(candidates, values);
      times.lap("survey (headers, checksums, values)");
    } else {
      headers = survey(candidates, true, FileSurvey.Values.NOT_READ);
      times.lap("survey headers+checksum");
      // Every value is read (and checked non-negative) only for files on the model's axis.
      List<AcquisitionArchive.Entry> onAxis = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        if (headers.get(i).ok() && onModelAxis(headers.get(i))) {
          onAxis.add(candidates.get(i));
        }
      }
      survey(onAxis, false, FileSurvey.Values.NON_NEGATIVE).forEach(f -> values.put(f.path(), f));
      times.lap("survey values");
    }

    List<Work> work = new ArrayList<>();
    List<ProcessedLedger.Entry> rejected = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < candidates.size(); i++) {
      AcquisitionArchive.Entry e = candidates.get(i);
      SurveyedFile f = headers.get(i);
      try {
        String unusable = PixelSchema.unusableIdReason(e.acquisitionId());
        if (unusable != null) {
          throw new BadInputException(e.path(), "gives acquisition id '" + e.acquisitionId() + "': " + unusable
              + " (rename the file or its folders)");
        }
        String owner = idOwner.putIfAbsent(e.acquisitionId(), e.path());
        if (owner != null && !owner.equals(e.path())) {
          throw new BadInputException(e.path(), "gives acquisition id '" + e.acquisitionId() + "', already used by "
              + owner + " (rename one of them)");
        }
        check(f);
        check(values.get(e.path()));
        work.add(new Work(e, f, known.stream().anyMatch(k -> k.path().equals(e.path()))));
      } catch (BadInputException ex) {
        if (!lenient) {
          throw ex;
        }
        rejected.add(new ProcessedLedger.Entry(e.path(), e.size(), e.modified(), checksumOf(files, e, f),
            e.acquisitionId(), ProcessedLedger.REJECTED, now, "", model.uid(), ex.getMessage()));
      }
    }
    return new Plan(work, rejected, upToDate, listing.warnings());
  }

  private boolean onModelAxis(SurveyedFile f) {
    return f.header().axis().sameAs(model.endmembers().axis(), 1e-6);
  }

  /**
   * Live mode's survey, one Spark job where the nightly one takes two: headers, checksums and every value at once
   * (the files are expected good). Only the files that fail are surveyed again, header and checksum only, so that
   * each is refused for the same reason as by the nightly survey (unreadable header, then another axis, then bad
   * values). Returns the header results in {@code entries}' order and puts the value results in {@code values}.
   */
  private List<SurveyedFile> surveyAtOnce(List<AcquisitionArchive.Entry> entries, Map<String, SurveyedFile> values) {
    List<SurveyedFile> all = survey(entries, true, FileSurvey.Values.NON_NEGATIVE);
    List<AcquisitionArchive.Entry> failed = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!all.get(i).ok()) {
        failed.add(entries.get(i));
      }
    }
    Map<String, SurveyedFile> again = new HashMap<>();
    survey(failed, true, FileSurvey.Values.NOT_READ).forEach(f -> again.put(f.path(), f));
    List<SurveyedFile> headers = new ArrayList<>();
    for (SurveyedFile f : all) {
      SurveyedFile h = f.ok() ? f : again.get(f.path());
      headers.add(h);
      if (h.ok() && onModelAxis(h)) {
        values.put(f.path(), f);
      }
    }
    return headers;
  }

  /** Surveys {@code entries} on the executors under their archive ids; results in their order. */
  private List<SurveyedFile> survey(List<AcquisitionArchive.Entry> entries, boolean checksum,
      FileSurvey.Values values) {
    List<String> paths = entries.stream().map(AcquisitionArchive.Entry::path).toList();
    Map<String, String> ids = new LinkedHashMap<>();
    entries.forEach(e -> ids.put(e.path(), e.acquisitionId()));
    spark.sparkContext().setJobDescription("reprocess: checking " + paths.size() + " file(s)");
    return FileSurvey.survey(spark, paths,
        new SourceOptions(paths, lenient, "name", 0, SourceOptions.DEFAULT_PARTITION_BYTES, ids), checksum, values);
  }

  /** Refuses a file its survey refused, or one on another energy axis than the model's (null: not surveyed). */
  private void check(SurveyedFile f) {
    if (f == null) {
      return;
    }
    if (!f.ok()) {
      throw f.toException();
    }
    EnergyAxis got = f.header().axis();
    EnergyAxis want = model.endmembers().axis();
    if (!got.sameAs(want, 1e-6)) {
      throw new BadInputException(f.path(), "energy axis (" + got + ") differs from that of the "
          + model.describe() + " (" + want + "); spectra are not resampled: unmix these with a model fitted on "
          + "their own axis");
    }
  }

  /** The checksum a refused file is recorded with (computed here when its survey could not). */
  private static String checksumOf(AcquisitionArchive files, AcquisitionArchive.Entry e, SurveyedFile f) {
    if (f.checksum() != null) {
      return f.checksum();
    }
    try {
      return files.checksum(e);
    } catch (UncheckedIOException unreadable) {
      return "";
    }
  }

  /**
   * Carries out {@code plan}: ledger entries and {@code _rejected.csv} of the skipped files, the new acquisitions
   * ingested, unmixed and written, the report rebuilt, {@code config} run on the output folder (its
   * {@code _config.properties}). {@code console} gets the progress line.
   */
  public void run(Plan plan, AtomicOutput.DirectoryWriter config, PrintStream console) throws IOException {
    run(plan, config, console, committed -> { });
  }

  /** As {@link #run(Plan, AtomicOutput.DirectoryWriter, PrintStream)}, telling {@code onCommit} of each acquisition. */
  public void run(Plan plan, AtomicOutput.DirectoryWriter config, PrintStream console,
      java.util.function.Consumer<Committed> onCommit) throws IOException {
    times.start();
    ProcessedLedger ledger = new ProcessedLedger(conf, out);
    for (ProcessedLedger.Entry r : plan.rejected()) {
      ledger.append(r);
    }
    ResultFiles.writeRejected(conf, out, plan.rejected().stream()
        .map(r -> new ResultFiles.Rejected(r.path(), r.reason())).toList());
    ReprocessOutputs outputs = new ReprocessOutputs(spark, out, model.describe(), model.endmembers(),
        model.endmemberBands(), model.savedAt().orElse(null));
    if (!plan.work().isEmpty()) {
      process(ledger, outputs, plan.work(), console, onCommit);
    }
    outputs.writeReport();
    times.lap("report");
    config.write(out);
    times.lap("config");
  }

  private String abundancesPath() {
    return out + "/abundances";
  }

  /**
   * Ingests and unmixes the new acquisitions, then commits each one's files and appends its ledger entry; in live
   * mode the small local ones (see {@link #live(long)}) from the driver first.
   */
  private void process(ProcessedLedger ledger, ReprocessOutputs outputs, List<Work> work, PrintStream console,
      java.util.function.Consumer<Committed> onCommit) {
    List<Work> small = work.stream().filter(this::onDriver).toList();
    List<Work> large = work.stream().filter(w -> !onDriver(w)).toList();
    if (!small.isEmpty()) {
      processOnDriver(ledger, outputs, small, onCommit);
    }
    if (!large.isEmpty()) {
      processDistributed(ledger, outputs, large, console, onCommit);
    }
  }

  private boolean onDriver(Work w) {
    return live && w.file().header().pixels() <= localMaxPixels && DriverUnmixing.readable(w.entry().path());
  }

  /** Writes the files' pixel rows into the series store, through {@code format("eels")}, and their acquisition rows. */
  private SeriesStore ingest(List<Work> work) {
    List<SurveyedFile> files = work.stream().map(Work::file).toList();
    spark.sparkContext().setJobDescription("reprocess: ingest " + files.size() + " file(s)");
    SeriesStore store = new SeriesStore(spark, out + "/store");
    store.write(FileSurvey.pixels(spark, files), spark.createDataFrame(
        work.stream().map(w -> acquisition(w).toRow()).toList(), PixelSchema.ACQUISITIONS), null, null);
    times.lap("ingest (store write)");
    return store;
  }

  /**
   * Small acquisitions for the live watcher: each is read and unmixed from the driver ({@link DriverUnmixing}: the
   * model's own transform on an in-memory table) and its folder committed at once; then the batch's pixels go into
   * the store and its results into the abundances table (the same rows as {@link #processDistributed} writes), and
   * only then are the ledger entries appended, so a run killed anywhere leaves the batch to be done again.
   */
  private void processOnDriver(ProcessedLedger ledger, ReprocessOutputs outputs, List<Work> work,
      java.util.function.Consumer<Committed> onCommit) {
    Dataset<Row> results = null;
    List<ReprocessOutputs.Written> written = new ArrayList<>();
    List<Long> mapsAt = new ArrayList<>();
    for (int i = 0; i < work.size(); i++) {
      Work w = work.get(i);
      spark.sparkContext().setJobDescription("watch: unmix " + w.entry().acquisitionId() + " on the driver");
      times.lap("before unmix");
      DriverUnmixing.Unmixed one = DriverUnmixing.unmix(spark, model, w);
      times.lap("read + unmix on the driver");
      written.add(outputs.write(acquisition(w), w.file().header().navigationScale(),
          w.file().header().navigationUnits(), one.results()));
      mapsAt.add(System.nanoTime());
      times.lap("maps, tiff, png, msa, commit");
      results = results == null ? one.table() : results.unionByName(one.table());
      crashHook("outputs", i + 1);
    }
    ingest(work);
    spark.sparkContext().setJobDescription("reprocess: abundances of " + work.size() + " acquisition(s)");
    ResultFiles.writeAbundances(spark, results, abundancesPath());
    times.lap("abundances write");
    crashHook("abundances", 1);
    for (int i = 0; i < work.size(); i++) {
      appendAndTell(ledger, work.get(i), written.get(i), mapsAt.get(i), onCommit);
      crashHook("ledger", i + 1);
    }
  }

  /**
   * The files unmixed by Spark jobs, then their maps committed one at a time. Nightly: the files are ingested into
   * the store first and its rows unmixed, each ledger entry follows its folder. Live: the files are unmixed straight
   * from {@code format("eels")} (the same float spectra as the store holds, so the same abundances), the folders
   * committed, then the store written, then the ledger entries appended.
   */
  private void processDistributed(ProcessedLedger ledger, ReprocessOutputs outputs, List<Work> work,
      PrintStream console, java.util.function.Consumer<Committed> onCommit) {
    List<String> ids = work.stream().map(w -> w.file().id()).toList();
    Dataset<Row> source;
    if (live) {
      source = FileSurvey.pixels(spark, work.stream().map(Work::file).toList());
    } else {
      SeriesStore store = ingest(work);
      // The files were checked against the model's axis: read their rows straight back with that axis attached
      // (SeriesStore.pixels would list and check the whole acquisitions table again).
      source = spark.read().schema(PixelSchema.PIXELS).parquet(store.path(SeriesStore.PIXELS))
          .where(functions.col(PixelSchema.ACQUISITION_ID).isin(ids.toArray()));
    }
    spark.sparkContext().setJobDescription("reprocess: unmix " + ids.size() + " acquisition(s)");
    Dataset<Row> pixels = source.select(functions.col(PixelSchema.ACQUISITION_ID), functions.col(PixelSchema.X),
        functions.col(PixelSchema.Y), SpectrumColumn.withAxis(source, PixelSchema.SPECTRUM,
            model.endmembers().axis()));
    ResultFiles.writeAbundances(spark, model.results(pixels), abundancesPath());
    times.lap("unmix (abundances write)");
    crashHook("abundances", 1);

    ProgressLine progress = new ProgressLine(console);
    progress.update("reprocess: maps and reports", 0, work.size(), true);
    List<ReprocessOutputs.Written> written = new ArrayList<>();
    List<Long> mapsAt = new ArrayList<>();
    for (int i = 0; i < work.size(); i++) {
      Work w = work.get(i);
      spark.sparkContext().setJobDescription("reprocess: maps of " + w.entry().acquisitionId());
      written.add(outputs.write(acquisition(w), w.file().header().navigationScale(),
          w.file().header().navigationUnits(), abundancesPath(), times));
      mapsAt.add(System.nanoTime());
      crashHook("outputs", i + 1);
      if (!live) {
        appendAndTell(ledger, w, written.get(i), mapsAt.get(i), onCommit);
        crashHook("ledger", i + 1);
      }
      progress.update("reprocess: maps and reports", i + 1, work.size(), true);
    }
    progress.finish();
    if (live) {
      ingest(work);
      for (int i = 0; i < work.size(); i++) {
        appendAndTell(ledger, work.get(i), written.get(i), mapsAt.get(i), onCommit);
        crashHook("ledger", i + 1);
      }
    }
  }

  /** Appends the ledger entry of a written acquisition (the last step of its processing), then tells the listener. */
  private void appendAndTell(ProcessedLedger ledger, Work w, ReprocessOutputs.Written written, long mapsAt,
      java.util.function.Consumer<Committed> onCommit) {
    AcquisitionArchive.Entry e = w.entry();
    ledger.append(new ProcessedLedger.Entry(e.path(), e.size(), e.modified(), w.file().checksum(),
        e.acquisitionId(), ProcessedLedger.PROCESSED, Instant.now(), written.folder(), model.uid(), ""));
    times.lap("ledger append");
    onCommit.accept(new Committed(w, written.folder(), written.summary(), written.maps(), written.rmse(), mapsAt,
        Instant.now()));
    times.lap("listener");
  }

  /** The acquisitions-table row of a file to process, its source being its archive path. */
  private static org.eelsunmix.spark.Acquisition acquisition(Work w) {
    return w.file().acquisition(w.entry().path());
  }

  private static void crashHook(String stage, int n) {
    String spec = System.getProperty(CRASH_PROPERTY);
    if (spec != null && spec.equals(stage + ":" + n + ":hang")) {
      try {
        Thread.sleep(Long.MAX_VALUE); // until the test kills the process
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (spec != null && spec.equals(stage + ":" + n + ":pause")) {
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (spec != null && spec.equals(stage + ":" + n)) {
      throw new IllegalStateException("test hook " + CRASH_PROPERTY + "=" + spec + ": simulated crash");
    }
  }
}
