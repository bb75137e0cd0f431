package org.eelsunmix.spark.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.AcquisitionFiles;
import org.eelsunmix.io.AcquisitionTime;
import org.eelsunmix.io.Checksums;
import org.eelsunmix.io.SpectrumSource;

/**
 * Opens every input file once, on the executors (one Spark task per file), and brings back only what each says about
 * itself ({@link SurveyedFile}: header, id, optionally checksum and a full scan of the values), never its pixels. A
 * file is judged bad here — unreadable header, sizes that do not match the file's length, unsupported data, and
 * with {@code scanValues} non-finite counts — before anything is written, so a strict load fails early and a lenient
 * one can leave the file out whole instead of writing part of it.
 */
public final class FileSurvey {
  private FileSurvey() {}

  /**
   * The acquisition files named by {@code inputs}: files as given, folders searched recursively for the formats
   * {@link AcquisitionFiles#formatOf} knows (but not .npy, which must be named), sorted.
   */
  public static List<String> expand(List<String> inputs, Configuration conf) {
    List<String> out = new ArrayList<>();
    try {
      for (String input : inputs) {
        Path p = new Path(input);
        FileSystem fs = p.getFileSystem(conf);
        if (fs.exists(p) && fs.getFileStatus(p).isDirectory()) {
          List<String> found = new ArrayList<>();
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
          while (it.hasNext()) {
            Path f = it.next().getPath();
            String format = AcquisitionFiles.formatOf(java.nio.file.Path.of(f.getName()));
            if (format != null && !format.equals("npy")) {
              // Local files keep a plain path, so messages name them as the user would.
              found.add(f.toUri().getScheme() == null || f.toUri().getScheme().equals("file") ? f.toUri().getPath()
                  : f.toString());
            }
          }
          found.sort(null);
          out.addAll(found);
        } else {
          out.add(input);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + inputs + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Surveys {@code files} (in that order) on the executors; a second file with an id already given is refused.
   *
   * @param checksum also compute each file's SHA-256
   * @param scanValues also read every value once and refuse files with non-finite counts
   */
  public static List<SurveyedFile> survey(SparkSession spark, List<String> files, SourceOptions options,
      boolean checksum, boolean scanValues) {
    if (files.isEmpty()) {
      return List.of();
    }
    SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    List<String[]> tasks = new ArrayList<>();
    for (String f : files) {
      tasks.add(new String[] {f, options.idOf(f)});
    }
    List<SurveyedFile> found = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(tasks, tasks.size())
        .map(t -> one(t[0], t[1], conf.value(), checksum, scanValues))
        .collect();
    List<SurveyedFile> out = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    for (SurveyedFile f : found) {
      String before = f.ok() ? ids.putIfAbsent(f.id(), f.path()) : null;
      out.add(before == null ? f : f.refused(before + " already gives the acquisition id '" + f.id()
          + "' (file names must be unique)"));
    }
    return out;
  }

  /** Opens one file and says what it is, or why it is refused. */
  static SurveyedFile one(String path, String id, Configuration conf, boolean checksum, boolean scanValues)
      throws IOException {
    try (LocalAccess local = LocalAccess.of(path, conf);
        SpectrumSource source = AcquisitionFiles.open(local.file())) {
      if (scanValues) {
        PixelBlocks blocks = new PixelBlocks(source, 0, source.header().pixels());
        while (blocks.next()) {
          // each block is checked as it is read
        }
      }
      String sum = checksum ? Checksums.sha256(local.file()) : null;
      return new SurveyedFile(path, id, source.header(), sum, AcquisitionTime.of(source.header().metadata()), null,
          null);
    } catch (BadInputException e) {
      String prefix = e.source() + ": ";
      String problem = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
          : e.getMessage();
      return new SurveyedFile(path, id, null, null, null, e.source(), problem);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      return new SurveyedFile(path, id, null, null, null, path, e.getMessage());
    }
  }
}
