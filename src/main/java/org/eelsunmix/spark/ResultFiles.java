package org.eelsunmix.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.io.CsvText;
import org.eelsunmix.io.Msa;
import org.eelsunmix.io.MsaSpectrum;

/**
 * The result files the commands write, each in one place and through the Hadoop file system of its path: the
 * abundances table, the endmember spectra as EMSA files, CSV tables (one writer and reader, Apache Commons CSV with
 * RFC 4180 quoting and {@code \n} line ends) and the {@code _rejected.csv} list of skipped input files.
 */
public final class ResultFiles {
  /** The name of the list of skipped input files, in a store or output folder. */
  public static final String REJECTED = "_rejected.csv";

  private ResultFiles() {}

  /**
   * The result columns of a transformed pixel table, written partitioned by acquisition (dynamic overwrite); the
   * abundances' standard deviations ({@link PixelSchema#ABUNDANCES_STD}) too when the model gave them. Returns
   * the rows' {@link Summary} when our writer ({@link AbundanceTable}) wrote them, null when Spark's writer did.
   */
  public static Summary writeAbundances(SparkSession spark, Dataset<Row> transformed, String dir) {
    List<org.apache.spark.sql.Column> columns = new ArrayList<>(List.of(functions.col(PixelSchema.ACQUISITION_ID),
        functions.col(PixelSchema.X), functions.col(PixelSchema.Y), functions.col(PixelSchema.ABUNDANCES_COL),
        functions.col(PixelSchema.RMSE)));
    boolean second = java.util.Arrays.asList(transformed.columns()).contains(PixelSchema.ABUNDANCES_STD);
    if (second) {
      columns.add(functions.col(PixelSchema.ABUNDANCES_STD));
    }
    Dataset<Row> selected = transformed.select(columns.toArray(new org.apache.spark.sql.Column[0]));
    if (!second && !AbundanceTable.sparkWriterAsked()) {
      return AbundanceTable.write(spark, selected, dir);
    }
    SeriesStore.writePartitioned(selected, dir, spark, RESULT_ENCODINGS);
    return null;
  }

  /**
   * The pixels an abundances write wrote, and the count and sum of their RMSEs (null RMSEs left out, as SQL's
   * {@code avg} leaves them), for the commands' summary line.
   */
  public record Summary(long pixels, long valued, double rmseSum) {
    /** "N pixels unmixed, mean RMSE r". */
    public String line() {
      return String.format("%d pixels unmixed, mean RMSE %.4g", pixels, valued == 0 ? Double.NaN : rmseSum / valued);
    }
  }

  /**
   * The summary line of an abundances table: from what {@link #writeAbundances} counted where it counted (our
   * writer), else read back from the table as written ({@link #unmixedPixels}).
   */
  public static String summaryLine(SparkSession spark, Summary written, String dir) {
    return written != null ? written.line() : unmixedPixels(spark, dir);
  }

  /**
   * Abundances, their standard deviations and RMSEs are doubles that almost never repeat: Parquet's writer would
   * build a dictionary for each page and drop it once full (a fifth of an {@code apply}'s CPU, profiled), so they
   * are written plain from the start. The values read back are the same.
   */
  static final java.util.Map<String, String> RESULT_ENCODINGS = java.util.Map.of(
      "parquet.enable.dictionary#" + PixelSchema.ABUNDANCES_COL + ".list.element", "false",
      "parquet.enable.dictionary#" + PixelSchema.ABUNDANCES_STD + ".list.element", "false",
      "parquet.enable.dictionary#" + PixelSchema.RMSE, "false");

  /**
   * "N pixels unmixed, mean RMSE r" for an abundances table as written: rows counted and RMSEs summed per partition
   * in one job of one stage that reads the {@code rmse} column only, the partial sums added on the driver in
   * partition order. (An aggregation through the SQL planner took two jobs and a shuffle, a third of the
   * abundances pass's jobs.) As SQL's {@code avg}, null RMSEs are left out of the mean.
   */
  public static String unmixedPixels(SparkSession spark, String dir) {
    Dataset<Row> rmse = spark.read().schema(PixelSchema.ABUNDANCES).parquet(dir).select(PixelSchema.RMSE);
    List<double[]> parts = PixelRows.of(rmse).mapPartitions(ResultFiles::countAndSum).collect();
    long pixels = 0;
    long valued = 0;
    double sum = 0;
    for (double[] p : parts) {
      pixels += (long) p[0];
      valued += (long) p[1];
      sum += p[2];
    }
    return new Summary(pixels, valued, sum).line();
  }

  /** Rows, rows with a value and the sum of the values of a one-column partition, as one {@code double[3]}. */
  private static Iterator<double[]> countAndSum(Iterator<org.apache.spark.sql.catalyst.InternalRow> rows) {
    double[] out = new double[3];
    while (rows.hasNext()) {
      org.apache.spark.sql.catalyst.InternalRow row = rows.next();
      out[0]++;
      if (!row.isNullAt(0)) {
        out[1]++;
        out[2] += row.getDouble(0);
      }
    }
    return List.of(out).iterator();
  }

  /** One EMSA file per endmember, named {@code NN-name.msa}, stamped now. */
  public static void writeMsa(SparkSession spark, Endmembers e, String dir) throws IOException {
    writeMsa(spark, e, dir, null);
  }

  /**
   * One EMSA file per endmember, named {@code NN-name.msa}, its {@code #DATE} and {@code #TIME} those of
   * {@code determinedAt} (when the endmembers were found: a saved model's save time), or now when null. A series
   * applied with one saved model so gets byte-identical endmember files in every acquisition's folder, whenever
   * each was written.
   */
  public static void writeMsa(SparkSession spark, Endmembers e, String dir, Instant determinedAt)
      throws IOException {
    Map<String, String> stamp = determinedAt == null ? Map.of()
        : Msa.dateAndTime(LocalDateTime.ofInstant(determinedAt, ZoneId.systemDefault()));
    Path folder = new Path(dir);
    FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.mkdirs(folder);
    for (int r = 0; r < e.count(); r++) {
      String name = e.names().get(r);
      MsaSpectrum s = new MsaSpectrum("endmember " + r + " (" + name + ")", e.axis(), e.spectrum(r), stamp);
      Path file = new Path(folder, String.format("%02d-%s.msa", r, name.replaceAll("[^A-Za-z0-9._-]", "_")));
      try (OutputStream o = fs.create(file, true)) {
        o.write(Msa.format(s).getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  /** A CSV file streamed from rows (values as {@link String#valueOf}, null as empty). */
  public static void writeCsv(SparkSession spark, String file, String[] header, Iterator<Row> rows)
      throws IOException {
    writeCsv(spark.sparkContext().hadoopConfiguration(), file, List.of(header), () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public List<String> next() {
        Row r = rows.next();
        List<String> fields = new ArrayList<>(r.size());
        for (int i = 0; i < r.size(); i++) {
          fields.add(r.isNullAt(i) ? "" : String.valueOf(r.get(i)));
        }
        return fields;
      }
    });
  }

  /** A CSV file of text records, replaced if it exists. */
  public static void writeCsv(Configuration conf, String file, List<String> header, Iterable<List<String>> records)
      throws IOException {
    Path p = new Path(file);
    try (OutputStream o = p.getFileSystem(conf).create(p, true)) {
      writeCsv(o, header, records);
    }
  }

  /** CSV text of {@code header} and {@code records} onto {@code out} (left open); see {@link CsvText}. */
  public static void writeCsv(OutputStream out, List<String> header, Iterable<List<String>> records)
      throws IOException {
    CsvText.write(out, header, records);
  }

  /**
   * The records of a CSV text written by {@link #writeCsv} (or by the hand-written writer of earlier versions, which
   * wrote the same quoting on one line per record), header line skipped.
   */
  public static List<List<String>> readCsv(InputStream in, String source) {
    return CsvText.read(in, source);
  }

  /** An input file a run skipped, and why (one line naming the file). */
  public record Rejected(String path, String reason) {}

  /**
   * {@code dir/_rejected.csv}: path and reason of every input file a run skipped; removed when the run skipped none,
   * so it always describes the latest run.
   */
  public static void writeRejected(Configuration conf, String dir, List<Rejected> rejected) throws IOException {
    Path file = new Path(dir, REJECTED);
    if (rejected.isEmpty()) {
      file.getFileSystem(conf).delete(file, false);
      return;
    }
    writeCsv(conf, file.toString(), List.of("path", "reason"),
        rejected.stream().map(r -> List.of(r.path(), r.reason())).toList());
  }
}
