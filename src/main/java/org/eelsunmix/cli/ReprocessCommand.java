package org.eelsunmix.cli;

import java.io.PrintWriter;
import java.util.List;
import org.eelsunmix.spark.ProcessedLedger;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.nightly.ReprocessLock;
import org.eelsunmix.spark.nightly.Reprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reprocess}: the nightly job ({@link Reprocessing}): a saved model applied to every new or changed
 * acquisition of an archive folder, a summary report kept up to date. Holds the output folder's
 * {@link ReprocessLock} while it runs: a second run on the same {@code --out} is refused at once with exit code
 * {@value #BUSY}. A dry run takes no lock and writes nothing.
 */
@Command(name = "reprocess", mixinStandardHelpOptions = true,
    description = "Apply a saved model to the new or changed acquisitions of an archive folder (nightly job).")
final class ReprocessCommand extends SparkCommand {
  /** Exit code of a run refused because another run holds the output folder's lock. */
  static final int BUSY = 3;

  @Option(names = "--archive", required = true, paramLabel = "DIR", description = "folder of acquisition files "
      + "(.dm3, .dm4, .hspy, .rpl + .raw), searched recursively (symbolic links followed, loops reported); local "
      + "or any Hadoop file system URI")
  String archive;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "a saved model: an unmix output "
      + "folder or its model/ subfolder")
  String modelDir;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created; reused by "
      + "later runs; one run at a time)")
  String out;

  @Option(names = "--stringency", defaultValue = "strict", description = "strict (default): any bad new file fails "
      + "the run before anything is written; lenient: bad files are skipped and listed")
  String stringency;

  @Option(names = "--dry-run", description = "list what would be processed or skipped, write nothing")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    boolean lenient = Stringency.isLenient(stringency);
    Reprocessing job = new Reprocessing(spark(), archive, modelDir, out, lenient);
    if (dryRun) {
      Reprocessing.Plan plan = job.plan();
      printWarnings(plan);
      for (Reprocessing.Work w : plan.work()) {
        System.out.println("would process " + line(w));
      }
      for (ProcessedLedger.Entry r : plan.rejected()) {
        System.out.println("would skip " + r.reason());
      }
      System.out.printf("dry run: %d to process, %d to skip, %d up to date (model %s)%n", plan.work().size(),
          plan.rejected().size(), plan.upToDate(), job.modelDescription());
      return 0;
    }
    ReprocessLock lock;
    try {
      lock = ReprocessLock.acquire(spark().sparkContext().hadoopConfiguration(), out);
    } catch (ReprocessLock.BusyException busy) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: " + busy.getMessage());
      err.flush();
      return BUSY;
    }
    try (lock) {
      lock.takeOverWarning().ifPresent(w -> System.out.println("warning: " + w));
      List<String> leftovers = job.removeLeftovers();
      if (!leftovers.isEmpty()) {
        System.out.println("removed " + leftovers.size() + " temporary folder(s) of a killed run: "
            + String.join(", ", leftovers));
      }
      Reprocessing.Plan plan = job.plan();
      printWarnings(plan);
      if (plan.nothingNew()) {
        System.out.printf("nothing new in %s: %d file(s) up to date%n", archive, plan.upToDate());
        return 0;
      }
      job.run(plan, this::writeConfig, System.out);
      for (Reprocessing.Work w : plan.work()) {
        System.out.println("processed " + line(w));
      }
      for (ProcessedLedger.Entry r : plan.rejected()) {
        System.out.println("skipped " + r.reason());
      }
      System.out.printf("%d processed, %d skipped%s, %d up to date; report: %s%n", plan.work().size(),
          plan.rejected().size(), plan.rejected().isEmpty() ? "" : " (listed in " + out + "/" + ResultFiles.REJECTED
          + ")", plan.upToDate(), out + "/report/index.html");
      return 0;
    }
  }

  private static void printWarnings(Reprocessing.Plan plan) {
    plan.warnings().forEach(w -> System.out.println("warning: " + w));
  }

  private static String line(Reprocessing.Work w) {
    return w.entry().relativePath() + " as " + w.entry().acquisitionId() + " (" + (w.changed() ? "changed" : "new")
        + ")";
  }
}
