package org.eelsunmix.spark.study;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.eval.StudyAggregation;
import org.eelsunmix.eval.StudyCell;
import org.eelsunmix.eval.StudyDefinition;
import org.eelsunmix.eval.StudyExample;
import org.eelsunmix.eval.StudyFile;
import org.eelsunmix.eval.StudyRecord;
import org.eelsunmix.eval.StudyUnit;
import org.eelsunmix.io.NpyWriter;
import org.eelsunmix.spark.ResultFiles;

/**
 * Writes a study's output folder (the contract with the study report): {@code study.json}, {@code cells},
 * {@code units}, {@code aggregate} and {@code paired} as CSV (commons-csv through {@link ResultFiles}, numbers in
 * {@link Double#toString} form, empty = null) and as Parquet folders of the same names, and
 * {@code examples/cell-NNNN/} ({@code truth-} and {@code <method>-endmembers.csv}, {@code -maps.npy}, float64
 * height × width × R) from replicate 0. Writes into a folder the caller commits atomically.
 */
public final class StudyOutput {
  private StudyOutput() {}

  /** The aggregate and paired tables of a run, as computed by {@link StudyAggregation}. */
  public record Tables(List<StudyAggregation.AggregateRow> aggregate, List<StudyAggregation.PairedRow> paired) {}

  /** The tables of {@code results}. */
  public static Tables tables(StudyRunner.Plan plan, StudyRunner.Results results) {
    return new Tables(StudyAggregation.aggregate(results.records(), plan.labels()),
        StudyAggregation.paired(results.records(), plan.labels(), plan.cells().size(), plan.definition().seed()));
  }

  /** Writes every file into {@code dir} (a local or Hadoop path; examples need a local one). */
  public static void write(SparkSession spark, String dir, StudyRunner.Plan plan, StudyRunner.Results results,
      Tables tables) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    StudyDefinition d = plan.definition();
    List<String> axes = d.axes();
    org.apache.hadoop.fs.Path json = new org.apache.hadoop.fs.Path(dir, "study.json");
    try (OutputStream o = json.getFileSystem(conf).create(json, true)) {
      o.write(StudyFile.resolvedJson(d).getBytes(StandardCharsets.UTF_8));
    }

    StructType cells = axisColumns(new StructType().add("cell", DataTypes.IntegerType), axes)
        .add("label", DataTypes.StringType);
    List<Row> cellRows = new ArrayList<>();
    for (StudyCell c : plan.cells()) {
      cellRows.add(row(c.index(), c, List.of(c.label())));
    }
    table(spark, dir, "cells", cells, cellRows);

    StructType units = axisColumns(new StructType().add("study", DataTypes.StringType)
        .add("cell", DataTypes.IntegerType), axes).add("replicate", DataTypes.IntegerType)
        .add("seed", DataTypes.LongType).add("method", DataTypes.StringType).add("endmember", DataTypes.StringType)
        .add("metric", DataTypes.StringType).add("value", DataTypes.DoubleType).add("seconds", DataTypes.DoubleType)
        .add("error", DataTypes.StringType);
    List<Row> unitRows = new ArrayList<>();
    for (StudyRecord r : results.records()) {
      List<Object> v = new ArrayList<>();
      v.add(d.name());
      v.add(r.cell());
      v.addAll(plan.cells().get(r.cell()).values().values());
      v.addAll(java.util.Arrays.asList(r.replicate(), r.seed(), r.method(), r.endmember(), r.metric(),
          num(r.value()), num(r.seconds()), r.error()));
      unitRows.add(RowFactory.create(v.toArray()));
    }
    table(spark, dir, "units", units, unitRows);

    StructType aggregate = axisColumns(new StructType().add("cell", DataTypes.IntegerType), axes)
        .add("method", DataTypes.StringType).add("endmember", DataTypes.StringType)
        .add("metric", DataTypes.StringType).add("count", DataTypes.IntegerType).add("failed", DataTypes.IntegerType)
        .add("mean", DataTypes.DoubleType).add("std", DataTypes.DoubleType).add("median", DataTypes.DoubleType)
        .add("ci_low", DataTypes.DoubleType).add("ci_high", DataTypes.DoubleType).add("rank", DataTypes.IntegerType)
        .add("seconds_mean", DataTypes.DoubleType).add("seconds_std", DataTypes.DoubleType);
    List<Row> aggregateRows = new ArrayList<>();
    for (StudyAggregation.AggregateRow a : tables.aggregate()) {
      aggregateRows.add(row(a.cell(), plan.cells().get(a.cell()), java.util.Arrays.asList(a.method(), a.endmember(),
          a.metric(), a.count(), a.failed(), num(a.stats().mean()), num(a.stats().std()), num(a.stats().median()),
          num(a.stats().ciLow()), num(a.stats().ciHigh()), a.rank() > 0 ? a.rank() : null, num(a.secondsMean()),
          num(a.secondsStd()))));
    }
    table(spark, dir, "aggregate", aggregate, aggregateRows);

    StructType paired = axisColumns(new StructType().add("cell", DataTypes.IntegerType), axes)
        .add("metric", DataTypes.StringType).add("method_a", DataTypes.StringType)
        .add("method_b", DataTypes.StringType).add("n", DataTypes.IntegerType).add("mean_diff", DataTypes.DoubleType)
        .add("median_diff", DataTypes.DoubleType).add("boot_low", DataTypes.DoubleType)
        .add("boot_high", DataTypes.DoubleType).add("wilcoxon_p", DataTypes.DoubleType)
        .add("better", DataTypes.StringType);
    List<Row> pairedRows = new ArrayList<>();
    for (StudyAggregation.PairedRow p : tables.paired()) {
      pairedRows.add(row(p.cell(), plan.cells().get(p.cell()), java.util.Arrays.asList(p.metric(), p.methodA(),
          p.methodB(), p.n(), num(p.meanDiff()), num(p.medianDiff()), num(p.bootLow()), num(p.bootHigh()),
          num(p.wilcoxonP()), p.better())));
    }
    table(spark, dir, "paired", paired, pairedRows);

    writeExamples(conf, dir, plan, results.examples());
  }

  private static StructType axisColumns(StructType s, List<String> axes) {
    for (String a : axes) {
      s = s.add(a, DataTypes.StringType);
    }
    return s;
  }

  private static Row row(int cell, StudyCell c, List<Object> rest) {
    List<Object> v = new ArrayList<>();
    v.add(cell);
    v.addAll(c.values().values());
    v.addAll(rest);
    return RowFactory.create(v.toArray());
  }

  /** NaN and null as null (an empty CSV field). */
  private static Double num(Double x) {
    return x == null || x.isNaN() ? null : x;
  }

  private static void table(SparkSession spark, String dir, String name, StructType schema, List<Row> rows)
      throws IOException {
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir + "/" + name);
    ResultFiles.writeCsv(spark, dir + "/" + name + ".csv", schema.fieldNames(), rows.iterator());
  }

  private static void writeExamples(Configuration conf, String dir, StudyRunner.Plan plan,
      List<StudyExample> examples) throws IOException {
    Map<Integer, List<StudyExample>> byCell = new TreeMap<>();
    for (StudyCell c : plan.cells()) {
      byCell.computeIfAbsent(c.index(), k -> new ArrayList<>()).add(StudyUnit.truth(c));
    }
    for (StudyExample e : examples) {
      byCell.computeIfAbsent(e.cell(), k -> new ArrayList<>()).add(e);
    }
    java.nio.file.Path root = java.nio.file.Path.of(new org.apache.hadoop.fs.Path(dir).toUri().getPath());
    for (Map.Entry<Integer, List<StudyExample>> cell : byCell.entrySet()) {
      String folder = dir + String.format("/examples/cell-%04d", cell.getKey());
      java.nio.file.Path local = root.resolve(String.format("examples/cell-%04d", cell.getKey()));
      java.nio.file.Files.createDirectories(local);
      for (StudyExample e : cell.getValue()) {
        String file = fileName(e.method());
        List<String> header = new ArrayList<>();
        header.add("energy_eV");
        header.addAll(e.names());
        List<List<String>> records = new ArrayList<>();
        for (int c = 0; c < e.energy().length; c++) {
          List<String> rec = new ArrayList<>();
          rec.add(String.valueOf(e.energy()[c]));
          for (double[] spectrum : e.endmembers()) {
            rec.add(Double.isNaN(spectrum[c]) ? "" : String.valueOf(spectrum[c]));
          }
          records.add(rec);
        }
        ResultFiles.writeCsv(conf, folder + "/" + file + "-endmembers.csv", header, records);
        NpyWriter.write(local.resolve(file + "-maps.npy"), new int[] {e.height(), e.width(), e.names().size()},
            e.maps());
      }
    }
  }

  /** A method label as a file name (characters other than letters, digits, {@code . _ -} become {@code _}). */
  public static String fileName(String label) {
    return label.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The compact table {@code evaluate --study} prints: per cell and method, mean SAD, mean NMSE, rank, seconds. */
  public static String table(StudyRunner.Plan plan, Tables tables) {
    StringBuilder sb = new StringBuilder();
    int labelWidth = Math.max(5, plan.cells().stream().mapToInt(c -> c.label().length()).max().orElse(5));
    int methodWidth = Math.max(6, plan.labels().stream().mapToInt(String::length).max().orElse(6));
    String format = "%4s  %-" + labelWidth + "s  %-" + methodWidth + "s %5s %4s  %-21s %-21s %4s %9s%n";
    sb.append(String.format(format, "cell", "label", "method", "n", "fail", "mean SAD (rad)", "mean NMSE",
        "rank", "s/unit"));
    Map<String, StudyAggregation.AggregateRow> sad = new TreeMap<>();
    Map<String, StudyAggregation.AggregateRow> nmse = new TreeMap<>();
    for (StudyAggregation.AggregateRow a : tables.aggregate()) {
      if (a.endmember() == null && a.metric().equals("mean_sad")) {
        sad.put(a.cell() + "\u0001" + a.method(), a);
      } else if (a.endmember() == null && a.metric().equals("mean_nmse")) {
        nmse.put(a.cell() + "\u0001" + a.method(), a);
      }
    }
    for (StudyCell c : plan.cells()) {
      for (String m : plan.labels()) {
        StudyAggregation.AggregateRow s = sad.get(c.index() + "\u0001" + m);
        StudyAggregation.AggregateRow n = nmse.get(c.index() + "\u0001" + m);
        if (s == null) {
          continue;
        }
        sb.append(String.format(format, c.index(), c.label(), m, s.count(), s.failed(), pm(s), pm(n),
            s.rank() > 0 ? String.valueOf(s.rank()) : "-",
            Double.isNaN(s.secondsMean()) ? "-" : String.format("%.3g", s.secondsMean())));
      }
    }
    return sb.toString();
  }

  private static String pm(StudyAggregation.AggregateRow a) {
    if (a == null || a.count() == 0) {
      return "-";
    }
    return Double.isNaN(a.stats().std()) ? String.format("%.4g", a.stats().mean())
        : String.format("%.4g ± %.2g", a.stats().mean(), a.stats().std());
  }
}
