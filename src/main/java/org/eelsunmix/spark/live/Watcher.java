package org.eelsunmix.spark.live;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.report.SessionPage;
import org.eelsunmix.spark.AcquisitionArchive;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.ProcessedLedger;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.ml.UnmixingEstimator;
import org.eelsunmix.spark.ml.UnmixingModel;
import org.eelsunmix.spark.nightly.ReprocessLock;
import org.eelsunmix.spark.nightly.Reprocessing;
import org.eelsunmix.spark.nightly.StepTimes;

/**
 * The live loop: lists the watched folder every poll interval, hands the files that are complete
 * ({@link SettleTracker}) to the nightly job's code ({@link Reprocessing#plan(AcquisitionArchive.Listing)} then
 * {@link Reprocessing#run}, always lenient, in its live mode {@link Reprocessing#live}), so each acquisition gets
 * exactly the ledger entry, tables and {@code acquisitions/<id>/} folder {@code reprocess} would give it, and a bad
 * file is skipped, listed and never stops the watcher. Live mode commits each folder before the store's pixels are
 * written, and unmixes small local acquisitions from the driver. With no model, the first complete acquisition
 * trains one ({@link FirstModel}). After each batch the session page ({@code <out>/session/}, {@link SessionPage})
 * is committed atomically; with {@code timings}, the batch's steps and their wall times are printed.
 *
 * <p>Latency of an acquisition: from the moment it is complete (the settle time ran out) to the commit of its
 * folder (its maps); its ledger entry follows once the store and abundances tables hold it too, and the commit
 * line says how much later. The caller holds the output folder's {@link ReprocessLock} for the watcher's
 * lifetime.
 *
 * <p>Stopping: {@link #stop} (also called by a shutdown hook on SIGTERM or Ctrl-C, which then waits for the loop)
 * ends the loop after the batch in hand: its acquisitions are committed or, if the process dies first, left without
 * a ledger entry and redone by the next run; never half written (each folder is one atomic commit).
 */
public final class Watcher {
  /**
   * Priority of the stop hook among Hadoop's shutdown hooks, run first: above the lock's release
   * ({@link ReprocessLock#RELEASE_PRIORITY}) and Spark's own stop (40), which must wait for the batch in hand.
   */
  public static final int STOP_PRIORITY = ReprocessLock.RELEASE_PRIORITY + 10;

  /**
   * What to watch and how.
   *
   * @param archive the folder the acquisition PC writes to (any Hadoop file system)
   * @param out the output folder (shared with {@code reprocess})
   * @param modelDir a saved model, or null: the one saved in {@code <out>/model/}, or trained there first
   * @param trainFirst the estimator to train on the first acquisition when there is no model, or null
   * @param settle how long a file's size and time must stay unchanged before it is read
   * @param poll time between two listings
   * @param once process what is complete, then stop
   * @param maxAcquisitions stop after committing this many (0: no limit)
   * @param idleTimeout stop after this long with nothing new and nothing settling (zero: never)
   * @param refreshSeconds the session page reloads itself after this many seconds
   * @param timings print where each batch's time went, step by step
   * @param localMaxPixels acquisitions up to this many pixels (on a local file system) are unmixed from the driver
   *     ({@link Reprocessing#live}); 0: all through Spark jobs
   */
  public record Options(String archive, String out, String modelDir, UnmixingEstimator<?, ?> trainFirst,
      Duration settle, Duration poll, boolean once, int maxAcquisitions, Duration idleTimeout, int refreshSeconds,
      boolean timings, long localMaxPixels) {
    public Options {
      if (settle.isNegative()) {
        throw new BadInputException("--settle", "must be ≥ 0, got " + settle.toMillis() / 1e3 + " s");
      }
      if (poll.isNegative() || poll.isZero()) {
        throw new BadInputException("--poll", "must be > 0, got " + poll.toMillis() / 1e3 + " s");
      }
      if (maxAcquisitions < 0) {
        throw new BadInputException("--max-acquisitions", "must be ≥ 0, got " + maxAcquisitions);
      }
      if (idleTimeout.isNegative()) {
        throw new BadInputException("--idle-timeout", "must be ≥ 0, got " + idleTimeout.toMillis() / 1e3 + " s");
      }
      if (localMaxPixels < 0) {
        throw new BadInputException("--local-max-pixels", "must be ≥ 0, got " + localMaxPixels);
      }
      if (refreshSeconds < 0) {
        throw new BadInputException("--refresh", "must be ≥ 0, got " + refreshSeconds);
      }
    }
  }

  private final SparkSession spark;
  private final Configuration conf;
  private final Options o;
  private final PrintStream console;
  private final AtomicOutput.DirectoryWriter config;
  private final SettleTracker tracker;
  private final LiveSession session = new LiveSession();
  private final Instant startedAt = Instant.now();
  private final Set<String> warned = new HashSet<>();
  /** Files the first model could not be trained on, as path@size@mtime: not tried again for training. */
  private final Set<String> untrainable = new HashSet<>();
  private final CountDownLatch wake = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final StepTimes times = new StepTimes();
  private volatile boolean stopping;
  private Reprocessing job;

  /**
   * A watcher; checks the options and loads the model, if there is one, before any long work.
   *
   * @param config writes the command's {@code _config.properties} into the output folder
   */
  public Watcher(SparkSession spark, Options options, PrintStream console, AtomicOutput.DirectoryWriter config) {
    this.spark = spark;
    this.conf = spark.sparkContext().hadoopConfiguration();
    this.o = options;
    this.console = console;
    this.config = config;
    this.tracker = new SettleTracker(options.settle().toNanos());
    if (options.modelDir() != null) {
      useModel(options.modelDir(), "given as --model " + options.modelDir());
    } else if (FirstModel.saved(conf, options.out())) {
      useModel(FirstModel.path(options.out()), "trained earlier on this output folder's first acquisition, reused");
    } else if (options.trainFirst() == null) {
      throw new BadInputException("--model", "give --model DIR or --train-first METHOD (" + options.out()
          + " holds no model trained by an earlier session)");
    }
  }

  /** Asks the loop to stop after the batch in hand (any thread). */
  public void stop() {
    stopping = true;
    wake.countDown();
  }

  /**
   * Runs the loop until {@link #stop}, a shutdown signal, or the {@code once}, {@code maxAcquisitions} or
   * {@code idleTimeout} condition; returns the number of acquisitions committed.
   */
  public int run() throws IOException {
    Thread hook = new Thread(() -> {
      console.println("stopping: finishing the acquisition in hand");
      stop();
      try {
        finished.await(10, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "watch-stop");
    org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(hook, STOP_PRIORITY, 11, TimeUnit.MINUTES);
    try {
      List<String> leftovers = Reprocessing.removeLeftovers(conf, o.out());
      if (!leftovers.isEmpty()) {
        console.println("removed " + leftovers.size() + " temporary folder(s) of a killed run: "
            + String.join(", ", leftovers));
      }
      console.printf(Locale.ROOT, "watching %s (settle %.1f s, poll %.2f s); %s; session page %s%n", o.archive(),
          o.settle().toMillis() / 1e3, o.poll().toMillis() / 1e3, job == null ? "the model will be trained ("
          + o.trainFirst().method() + ") on the first acquisition" : "model " + job.modelDescription(),
          o.out() + "/session/index.html");
      loop();
      printTotals();
      return session.committedCount();
    } finally {
      finished.countDown();
      try {
        org.apache.hadoop.util.ShutdownHookManager.get().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waited for this loop and returns now
      }
    }
  }

  private void loop() throws IOException {
    AcquisitionArchive archive = new AcquisitionArchive(conf, o.archive());
    long lastActivity = System.nanoTime();
    String status = "";
    writePage("Waiting for acquisitions.");
    while (!stopping) {
      AcquisitionArchive.Listing listing = archive.list();
      for (String w : listing.warnings()) {
        if (warned.add(w)) {
          console.println("warning: " + w);
        }
      }
      SettleTracker.Poll poll = tracker.update(listing.entries(), System.nanoTime());
      for (String w : poll.waiting()) {
        if (warned.add("waiting " + w)) {
          console.println("waiting for the data file of " + w + " (its .raw)");
        }
      }
      List<SettleTracker.Ready> ready = new ArrayList<>(poll.ready());
      if (job == null && !ready.isEmpty()) {
        trainFirst(ready);
      }
      if (job != null && !ready.isEmpty()) {
        process(ready, listing.warnings());
        lastActivity = System.nanoTime();
      }
      String now = poll.settling() > 0 ? poll.settling() + " file(s) being written or settling." : "Waiting.";
      if (!now.equals(status)) {
        status = now;
        writePage(status);
      }
      if (poll.settling() > 0) {
        lastActivity = System.nanoTime();
      }
      boolean done = o.once() && ready.isEmpty() && poll.settling() == 0
          || o.maxAcquisitions() > 0 && session.committedCount() >= o.maxAcquisitions()
          || !o.idleTimeout().isZero() && System.nanoTime() - lastActivity >= o.idleTimeout().toNanos();
      if (done) {
        break;
      }
      try {
        wake.await(o.poll().toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  /** Trains the first model on the earliest complete file it can (a bad file is passed over, and listed later). */
  private void trainFirst(List<SettleTracker.Ready> ready) {
    List<SettleTracker.Ready> byTime = new ArrayList<>(ready);
    byTime.sort(Comparator.comparingLong((SettleTracker.Ready r) -> r.entry().modified())
        .thenComparing(r -> r.entry().relativePath()));
    for (SettleTracker.Ready r : byTime) {
      AcquisitionArchive.Entry e = r.entry();
      String key = e.path() + "@" + e.size() + "@" + e.modified();
      if (untrainable.contains(key)) {
        continue;
      }
      long t0 = System.nanoTime();
      console.println("training " + o.trainFirst().method() + " on " + e.relativePath() + " ...");
      writePage("Training the model (" + o.trainFirst().method() + ") on " + e.relativePath() + ".");
      UnmixingModel<?> model;
      try {
        model = FirstModel.train(spark, e, o.trainFirst(), o.out());
      } catch (RuntimeException ex) {
        untrainable.add(key);
        console.println("cannot train on " + e.relativePath() + ": " + firstLine(ex)
            + "; waiting for the next acquisition");
        continue;
      }
      console.printf(Locale.ROOT, "trained %s on %s in %.1f s: %s; saved as %s%n", model.method(),
          e.relativePath(), (System.nanoTime() - t0) / 1e9, model.summaryLine(), FirstModel.path(o.out()));
      useModel(FirstModel.path(o.out()), "trained by this session on " + e.relativePath());
      return;
    }
  }

  private void useModel(String dir, String origin) {
    job = new Reprocessing(spark, o.archive(), dir, o.out(), true);
    job.times(times);
    job.live(o.localMaxPixels());
    UnmixingModel<?> m = job.model();
    session.model(List.of(m.describe(), origin, m.summaryLine(), m.endmembers().count() + " endmembers ("
        + String.join(", ", m.endmembers().names()) + ") on " + m.endmembers().axis()), m.endmembers());
  }

  /** Plans and runs the complete files, reporting each commit with its latency. */
  private void process(List<SettleTracker.Ready> ready, List<String> warnings) throws IOException {
    if (o.maxAcquisitions() > 0) {
      int room = o.maxAcquisitions() - session.committedCount();
      ready = ready.subList(0, Math.min(room, ready.size()));
    }
    java.util.Map<String, Long> completeAt = new java.util.HashMap<>();
    List<AcquisitionArchive.Entry> entries = new ArrayList<>();
    for (SettleTracker.Ready r : ready) {
      completeAt.put(r.entry().path(), r.completeNanos());
      entries.add(r.entry());
    }
    times.clear();
    long t0 = System.nanoTime();
    Reprocessing.Plan plan = job.plan(new AcquisitionArchive.Listing(entries, warnings));
    long t1 = System.nanoTime();
    if (!plan.nothingNew()) {
      job.run(plan, config, new PrintStream(OutputStream.nullOutputStream()), c -> {
        long now = System.nanoTime();
        SessionPage.Line line = session.committed(c, completeAt.get(c.work().entry().path()));
        console.printf(Locale.ROOT, "committed %s (%s, %d × %d × %d): mean RMSE %.4g, latency %.2f s (ledger "
            + "entry +%.2f s)%s%n", line.id(), line.file(), line.height(), line.width(), line.channels(),
            line.rmseMean(), line.latencySeconds(), (now - c.mapsNanos()) / 1e9, line.outlier() ? "  OUTLIER: RMSE far above the session's; retrain or check "
            + "the sample" : "");
      });
      for (ProcessedLedger.Entry r : plan.rejected()) {
        session.skipped(r);
        console.println("skipped " + r.reason());
      }
      // _rejected.csv lists the files skipped by "the run": for a watcher, its whole session.
      ResultFiles.writeRejected(conf, o.out(), session.skippedFiles().stream()
          .map(s -> new ResultFiles.Rejected(s.path(), s.reason())).toList());
    }
    entries.forEach(tracker::handled);
    long t2 = System.nanoTime();
    times.start();
    writePage("Waiting.");
    times.lap("session page");
    if (o.timings() && !plan.nothingNew()) {
      console.println("timings: " + times);
    }
    if (!plan.nothingNew()) {
      // Where a batch's time goes: the survey (headers, checksums, values: Spark jobs), then ingest, unmix, per
      // acquisition maps and commit, and the nightly report; then the session page.
      console.printf(Locale.ROOT, "batch of %d file(s): checked in %.2f s, ingested, unmixed and committed in %.2f s, "
          + "session page in %.2f s%n", entries.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
          (System.nanoTime() - t2) / 1e9);
    }
  }

  /** Commits {@code <out>/session/} (index.html and its images) atomically. */
  private void writePage(String status) {
    AtomicOutput.commit(conf, o.out() + "/session", true, tmp -> {
      FileSystem fs = new Path(tmp).getFileSystem(conf);
      SessionPage.write(session.page(o.archive(), startedAt, status, o.refreshSeconds()),
          rel -> fs.create(new Path(tmp, rel), true));
    });
  }

  private void printTotals() {
    List<Double> l = new ArrayList<>(session.latencies());
    if (l.isEmpty()) {
      console.printf("stopped: nothing committed, %d file(s) skipped%n", session.skippedFiles().size());
      return;
    }
    l.sort(null);
    double median = l.size() % 2 == 1 ? l.get(l.size() / 2) : 0.5 * (l.get(l.size() / 2 - 1) + l.get(l.size() / 2));
    double perMinute = session.perMinute();
    console.printf(Locale.ROOT, "stopped: %d committed, %d skipped; latency median %.2f s, worst %.2f s%s%n",
        l.size(), session.skippedFiles().size(), median, l.get(l.size() - 1), Double.isNaN(perMinute) ? ""
        : String.format(Locale.ROOT, "; %.1f acquisitions per minute", perMinute));
  }

  private static String firstLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
