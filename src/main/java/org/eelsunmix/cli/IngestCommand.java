package org.eelsunmix.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.AcquisitionFiles;
import org.eelsunmix.io.Checksums;
import org.eelsunmix.io.SpectralFile;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ingest}: real acquisition files (DM3/DM4, HyperSpy .hspy, Ripple .rpl/.raw; folders are searched) into a
 * series store. Every file is read and checked first. {@code --stringency strict} (default) fails the run before
 * anything is written if any file is bad; {@code lenient} skips bad files, lists them with the reason on the
 * console and in {@code <store>/_rejected.csv}, and ingests the rest. Pixel rows are produced by one Spark task per
 * file. Counts are stored as read (dark-subtracted data may hold negative values; unmixing refuses them later).
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
    List<Path> files = AcquisitionFiles.expand(inputs);
    if (files.isEmpty()) {
      throw new BadInputException("--input", "no .dm3, .dm4, .hspy or .rpl files found in " + inputs);
    }
    List<Acquisition> accepted = new ArrayList<>();
    List<String[]> tasks = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Path file : files) {
      try {
        SpectralFile f = AcquisitionFiles.read(file);
        String id = f.image().id();
        if (!ids.add(id)) {
          throw new BadInputException(file.toString(), "another input already gives the acquisition id '" + id
              + "' (file names must be unique)");
        }
        var image = f.image();
        accepted.add(new Acquisition(id, file.toAbsolutePath().toString(), Checksums.sha256(file), image.width(),
            image.height(), image.axis(), null, f.format()));
        tasks.add(new String[] {file.toAbsolutePath().toString(), id});
      } catch (BadInputException | java.io.UncheckedIOException | IllegalArgumentException e) {
        if (!lenient) {
          throw e instanceof BadInputException b ? b : new BadInputException(file.toString(), e.getMessage(), e);
        }
        rejected.add(new Rejected(file.toString(), e.getMessage()));
      }
    }
    SparkSession spark = spark();
    if (!accepted.isEmpty()) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      JavaRDD<Row> pixels = jsc.parallelize(tasks, tasks.size()).flatMap(
          t -> ImageRows.pixels(AcquisitionFiles.read(Path.of(t[0])).image().withId(t[1])));
      describe("ingest: " + tasks.size() + " file(s)");
      new SeriesStore(spark, store).write(spark.createDataFrame(pixels, PixelSchema.PIXELS),
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
