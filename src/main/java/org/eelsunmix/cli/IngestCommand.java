package org.eelsunmix.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.io.AcquisitionHeader;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.source.EelsDataSource;
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
  @Option(names = "--input", required = true, paramLabel = "PATH", description = "file or folder (repeatable)")
  List<Path> inputs;

  @Option(names = "--store", required = true, description = "series store to add the acquisitions to")
  String store;

  @Option(names = "--stringency", defaultValue = "strict", description = "strict (default): any bad file fails the "
      + "run before anything is written; lenient: bad files are skipped and listed")
  String stringency;

  /** One file that was refused, and why. */
  record Rejected(String path, String reason) {}

  @Override
  public Integer call() throws Exception {
    boolean lenient = Stringency.isLenient(stringency);
    SparkSession spark = spark();
    List<String> files = FileSurvey.expand(inputs.stream().map(Path::toString).toList(),
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
    for (SurveyedFile f : FileSurvey.survey(spark, files, options, true, true)) {
      if (!f.ok()) {
        if (!lenient) {
          throw f.toException();
        }
        rejected.add(new Rejected(f.path(), f.reason()));
        continue;
      }
      AcquisitionHeader h = f.header();
      String source = new org.apache.hadoop.fs.Path(f.path()).toUri().getScheme() == null
          ? Path.of(f.path()).toAbsolutePath().toString() : f.path();
      accepted.add(new Acquisition(f.id(), source, f.checksum(), h.width(), h.height(), h.axis(),
          f.acquisitionTime() == null ? null : Timestamp.valueOf(f.acquisitionTime()), h.format(),
          h.dtype().numpyName(), h.metadata()));
      good.add(f);
    }
    if (!accepted.isEmpty()) {
      describe("ingest: " + good.size() + " file(s)");
      new SeriesStore(spark, store).write(pixels(spark, good),
          spark.createDataFrame(accepted.stream().map(Acquisition::toRow).toList(), PixelSchema.ACQUISITIONS),
          null, null);
    }
    writeRejected(spark, rejected);
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

  /**
   * The pixel rows of the accepted files through {@code format("eels")}: one load per energy axis (a load shares
   * one axis), the axis metadata dropped (the acquisitions table carries each file's axis).
   */
  private static Dataset<Row> pixels(SparkSession spark, List<SurveyedFile> files) {
    List<List<String>> groups = new ArrayList<>();
    List<EnergyAxis> axes = new ArrayList<>();
    for (SurveyedFile f : files) {
      int g = 0;
      while (g < axes.size() && !axes.get(g).sameAs(f.header().axis(), 1e-9)) {
        g++;
      }
      if (g == axes.size()) {
        axes.add(f.header().axis());
        groups.add(new ArrayList<>());
      }
      groups.get(g).add(f.path());
    }
    Dataset<Row> all = null;
    for (List<String> paths : groups) {
      Dataset<Row> df = spark.read().format(EelsDataSource.NAME).load(paths.toArray(new String[0]));
      df = df.select(df.col(PixelSchema.ACQUISITION_ID), df.col(PixelSchema.X), df.col(PixelSchema.Y),
          df.col(PixelSchema.SPECTRUM).as(PixelSchema.SPECTRUM, Metadata.empty()));
      all = all == null ? df : all.unionAll(df);
    }
    return all;
  }

  /** {@code <store>/_rejected.csv}: path and reason of every skipped file of this run (removed when none). */
  private void writeRejected(SparkSession spark, List<Rejected> rejected) throws IOException {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(store, "_rejected.csv");
    FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (rejected.isEmpty()) {
      fs.delete(file, false);
      return;
    }
    StringBuilder sb = new StringBuilder("path,reason\n");
    for (Rejected r : rejected) {
      sb.append('"').append(r.path().replace("\"", "\"\"")).append("\",\"")
          .append(r.reason().replace("\"", "\"\"")).append("\"\n");
    }
    try (OutputStream o = fs.create(file, true)) {
      o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
