package org.eelsunmix.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eelsunmix.report.StudyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code report --study DIR}: renders the study report ({@link StudyReport}: index.html and PNG charts) of an
 * existing study output folder, by default into {@code DIR/report}. Needs no Spark: it reads the folder's CSV and
 * npy files.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Render the HTML report (index.html + PNG) of a study output folder written by evaluate --study.")
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--study", required = true, paramLabel = "DIR", description = "study output folder (cells.csv, "
      + "aggregate.csv, paired.csv, examples/)")
  Path study;

  @Option(names = "--out", paramLabel = "DIR", description = "report folder to write (default: DIR/report)")
  Path out;

  @Option(names = "--overwrite", description = "replace an existing report folder")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    Path target = out != null ? out : study.resolve("report");
    StudyReport.Written w = StudyReport.write(study, target, overwrite);
    System.out.printf("wrote %s (index.html, %d images, %d cells)%n", w.folder().resolve("index.html"), w.images(),
        w.cells());
    return 0;
  }
}
