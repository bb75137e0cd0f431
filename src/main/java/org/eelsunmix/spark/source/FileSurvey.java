package org.eelsunmix.spark.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.util.SerializableConfiguration;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.AcquisitionFiles;
import org.eelsunmix.io.AcquisitionTime;
import org.eelsunmix.io.Checksums;
import org.eelsunmix.io.SpectrumSource;
import org.eelsunmix.spark.PixelSchema;

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

  /** How much of each file's values a survey reads. */
  public enum Values {
    /** The header only. */
    NOT_READ,
    /** Every value once: a file with a non-finite count is refused. */
    FINITE,
    /** Every value once: a file with a non-finite or a negative count is refused (what unmixing needs). */
    NON_NEGATIVE
  }

  /**
   * Surveys {@code files} (in that order) on the executors; a second file with an id already given is refused.
   *
   * @param checksum also compute each file's SHA-256 (with its companion data file: {@link Checksums#ofAcquisition})
   * @param values which values to read and check
   */
  public static List<SurveyedFile> survey(SparkSession spark, List<String> files, SourceOptions options,
      boolean checksum, Values values) {
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
        .map(t -> one(t[0], t[1], conf.value(), checksum, values))
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
  static SurveyedFile one(String path, String id, Configuration conf, boolean checksum, Values values)
      throws IOException {
    try (LocalAccess local = LocalAccess.of(path, conf);
        SpectrumSource source = AcquisitionFiles.open(local.file())) {
      if (values != Values.NOT_READ) {
        PixelBlocks blocks = new PixelBlocks(source, 0, source.header().pixels(), values == Values.NON_NEGATIVE);
        while (blocks.next()) {
          // each block is checked as it is read
        }
      }
      String sum = checksum ? Checksums.ofAcquisition(local.file()) : null;
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

  /**
   * The pixel rows of surveyed good files through {@code format("eels")}, each under the id its survey gave it: one
   * load per energy axis (a load shares one axis), the axis metadata dropped (the acquisitions table carries each
   * file's axis).
   */
  public static Dataset<Row> pixels(SparkSession spark, List<SurveyedFile> files) {
    List<List<SurveyedFile>> groups = new ArrayList<>();
    for (SurveyedFile f : files) {
      groups.stream().filter(g -> g.get(0).header().axis().sameAs(f.header().axis(), 1e-9)).findFirst()
          .orElseGet(() -> {
            groups.add(new ArrayList<>());
            return groups.get(groups.size() - 1);
          }).add(f);
    }
    Dataset<Row> all = null;
    for (List<SurveyedFile> group : groups) {
      Map<String, String> ids = new LinkedHashMap<>();
      group.forEach(f -> ids.put(f.path(), f.id()));
      Dataset<Row> df;
      try {
        df = spark.read().format(EelsDataSource.NAME)
            .option("acquisitionIds", new ObjectMapper().writeValueAsString(ids))
            .load(ids.keySet().toArray(new String[0]));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      df = df.select(df.col(PixelSchema.ACQUISITION_ID), df.col(PixelSchema.X), df.col(PixelSchema.Y),
          df.col(PixelSchema.SPECTRUM).as(PixelSchema.SPECTRUM, Metadata.empty()));
      all = all == null ? df : all.unionAll(df);
    }
    return all;
  }
}
