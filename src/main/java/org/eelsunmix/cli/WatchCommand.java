package org.eelsunmix.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.live.Watcher;
import org.eelsunmix.spark.ml.UnmixingEstimator;
import org.eelsunmix.spark.ml.UnmixingMethods;
import org.eelsunmix.spark.nightly.ReprocessLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code watch}: live mode at the microscope ({@link Watcher}). One long-lived Spark session watches the folder the
 * acquisition PC writes to and unmixes each acquisition once it is complete, exactly as {@code reprocess} does (same
 * ledger, outputs and lock, so the two never process a file twice), keeping {@code <out>/session/index.html} up to
 * date. With {@code --train-first METHOD} and no model, the first acquisition trains one (saved in
 * {@code <out>/model/}, reused after a restart). Holds the output folder's {@link ReprocessLock} for its whole
 * life: a {@code reprocess} or second {@code watch} on the same {@code --out} is refused with exit code
 * {@value ReprocessCommand#BUSY}, and so is this one while another run holds it.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Live mode: unmix each acquisition written to a folder as soon as it is complete.")
final class WatchCommand extends SparkCommand {
  @Option(names = "--archive", required = true, paramLabel = "DIR", description = "the folder the acquisition PC "
      + "writes to (.dm3, .dm4, .hspy, .rpl + .raw, searched recursively); local or any Hadoop file system URI")
  String archive;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (shared with "
      + "reprocess: same ledger, outputs and lock)")
  String out;

  @Option(names = "--model", paramLabel = "DIR", description = "a saved model (an unmix, train or apply output "
      + "folder or its model/); default: the model an earlier session trained in OUT/model")
  String modelDir;

  @Option(names = "--train-first", paramLabel = "METHOD", completionCandidates = UnmixingMethods.Names.class,
      description = "with no model: train one of this method (${COMPLETION-CANDIDATES}) on the first acquisition, "
      + "saved as OUT/model and applied to every later one")
  String trainFirst;

  @Option(names = {"-R", "--endmembers"}, defaultValue = "3", description = "--train-first: number of endmembers "
      + "R (default 3)")
  int endmembers;

  @Option(names = "--seed", defaultValue = "0", description = "--train-first: random seed (default 0)")
  long seed;

  @Mixin
  MethodOptions options;

  @Option(names = "--settle", defaultValue = "2", paramLabel = "SECONDS", description = "a file is read once its "
      + "size and time stayed unchanged this long (default ${DEFAULT-VALUE})")
  double settle;

  @Option(names = "--poll", defaultValue = "0.2", paramLabel = "SECONDS", description = "time between two "
      + "listings of the folder (default ${DEFAULT-VALUE})")
  double poll;

  @Option(names = "--once", description = "process what is complete (waiting for files being written), then stop")
  boolean once;

  @Option(names = "--max-acquisitions", defaultValue = "0", paramLabel = "N", description = "stop after "
      + "committing N acquisitions (default 0: no limit)")
  int maxAcquisitions;

  @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "SECONDS", description = "stop after this "
      + "long with no new file (default 0: never)")
  double idleTimeout;

  @Option(names = "--refresh", defaultValue = "3", paramLabel = "SECONDS", description = "the session page "
      + "reloads itself this often (default ${DEFAULT-VALUE}; 0: never)")
  int refresh;

  @Option(names = "--local-max-pixels", defaultValue = "16384", paramLabel = "N", description = "acquisitions of "
      + "at most N pixels on a local file system are read and unmixed from the driver, their maps committed before "
      + "the Parquet tables are written (same outputs; default ${DEFAULT-VALUE} = 128 × 128; 0: always Spark jobs)")
  long localMaxPixels;

  @Override
  public Integer call() throws Exception {
    if (modelDir != null && trainFirst != null) {
      throw new BadInputException("--train-first", "give either --model or --train-first, not both");
    }
    UnmixingEstimator<?, ?> estimator = trainFirst == null ? null
        : options.estimator(trainFirst, endmembers, seed); // validates every option before any work
    Watcher.Options o = new Watcher.Options(archive, out, modelDir, estimator, seconds("--settle", settle),
        seconds("--poll", poll), once, maxAcquisitions, seconds("--idle-timeout", idleTimeout), refresh,
        StartupTimings.enabled(), localMaxPixels); // --timings (any command): also each batch's steps
    ReprocessLock lock;
    try {
      lock = ReprocessLock.acquire(spark().sparkContext().hadoopConfiguration(), out);
    } catch (ReprocessLock.BusyException busy) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: " + busy.getMessage());
      err.flush();
      return ReprocessCommand.BUSY;
    }
    try (lock) {
      lock.takeOverWarning().ifPresent(w -> System.out.println("warning: " + w));
      new Watcher(spark(), o, System.out, this::writeConfig).run();
      return 0;
    }
  }

  private static Duration seconds(String option, double s) {
    if (!Double.isFinite(s) || s < 0) {
      throw new BadInputException(option, "must be a number of seconds ≥ 0, got " + s);
    }
    return Duration.ofNanos(Math.round(s * 1e9));
  }
}
