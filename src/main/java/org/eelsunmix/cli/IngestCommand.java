package org.eelsunmix.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.ResultFiles.Rejected;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.source.FileSurvey;
import org.eelsunmix.spark.source.SourceOptions;
import org.eelsunmix.spark.source.SurveyedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ingest}: real acquisition files (DM3/DM4, HyperSpy .hspy, Ripple .rpl/.raw, a named .npy cube; folders
 * are searched) into a series store. Every file is first opened, checked whole (header, sizes against the file's
 * length, every value finite) and checksummed on the executors ({@link FileSurvey}); only that small per-file
 * record comes back to the driver and becomes the acquisitions row (with the acquisition time when the file gives
 * one). {@code --stringency strict} (default) fails the run before anything is written if any file is bad;
 * {@code lenient} skips bad files, lists them with the reason on the console and in {@code <store>/_rejected.csv},
 * and ingests the rest. Pixel rows come from {@code format("eels")}, read on the executors in tiles. Counts are
 * stored as read (dark-subtracted data may hold negative values; unmixing refuses them later).
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Ingest DM3/DM4, .hspy and Ripple files (or folders of them) into a series store.")
final class IngestCommand extends SparkCommand {
  // Strings, not java.nio paths: a Path would fold hdfs://host:port/... into hdfs:/host:port/...
  @Option(names = "--input", required = true, paramLabel = "PATH", description = "file or folder (repeatable; "
      + "local or any Hadoop URI such as hdfs://)")
  List<String> inputs;

  @Option(names = "--store", required = true, description = "series store to add the acquisitions to")
  String store;

  @Option(names = "--stringency", defaultValue = "strict", description = "strict (default): any bad file fails the "
      + "run before anything is written; lenient: bad files are skipped and listed")
  String stringency;

  @Override
  public Integer call() throws Exception {
    boolean lenient = Stringency.isLenient(stringency);
    SparkSession spark = spark();
    List<String> files = FileSurvey.expand(inputs,
        spark.sparkContext().hadoopConfiguration());
    if (files.isEmpty()) {
      throw new BadInputException("--input", "no .dm3, .dm4, .hspy or .rpl files found in " + inputs);
    }
    SourceOptions options = new SourceOptions(files, lenient, "name", 0, SourceOptions.DEFAULT_PARTITION_BYTES);
    List<Rejected> rejected = new ArrayList<>();
    // A file whose name gives an unusable id is refused before any file is read (the id is the name, so that
    // --acquisition and reprocess find it as the file is called; renaming is the remedy).
    List<String> named = new ArrayList<>();
    for (String f : files) {
      String problem = PixelSchema.unusableIdReason(options.idOf(f));
      if (problem == null) {
        named.add(f);
      } else if (lenient) {
        rejected.add(new Rejected(f, f + ": " + problem + "; rename the file"));
      } else {
        throw new BadInputException(f, problem + "; rename the file");
      }
    }
    files = named;
    // Every file is opened, checked whole (header, sizes, every value) and summed on the executors first.
    describe("ingest: checking " + files.size() + " file(s)");
    List<Acquisition> accepted = new ArrayList<>();
    List<SurveyedFile> good = new ArrayList<>();
    for (SurveyedFile f : FileSurvey.survey(spark, files, options, true, FileSurvey.Values.FINITE)) {
      if (!f.ok()) {
        if (!lenient) {
          throw f.toException();
        }
        rejected.add(new Rejected(f.path(), f.reason()));
        continue;
      }
      accepted.add(f.acquisition(new org.apache.hadoop.fs.Path(f.path()).toUri().getScheme() == null
          ? Path.of(f.path()).toAbsolutePath().toString() : f.path()));
      good.add(f);
    }
    if (!accepted.isEmpty()) {
      describe("ingest: " + good.size() + " file(s)");
      new SeriesStore(spark, store).write(FileSurvey.pixels(spark, good),
          spark.createDataFrame(accepted.stream().map(Acquisition::toRow).toList(), PixelSchema.ACQUISITIONS),
          null, null);
    }
    ResultFiles.writeRejected(spark.sparkContext().hadoopConfiguration(), store, rejected);
    for (Acquisition a : accepted) {
      System.out.printf("ingested %s (%s): %d x %d pixels, %s%n", a.id(), a.format(), a.height(), a.width(),
          a.axis());
    }
    for (Rejected r : rejected) {
      System.out.println("skipped " + r.reason());
    }
    System.out.printf("%d ingested, %d skipped%s%n", accepted.size(), rejected.size(),
        rejected.isEmpty() ? "" : " (listed in " + store + "/_rejected.csv)");
    return 0;
  }
}
