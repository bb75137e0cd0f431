package org.eelsunmix.cli;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.eval.MetricRecord;
import org.eelsunmix.eval.MetricSummary;
import org.eelsunmix.eval.ReplicateRun;
import org.eelsunmix.report.StudyReport;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.study.StudyOutput;
import org.eelsunmix.spark.study.StudyRunner;
import org.eelsunmix.eval.StudyDefinition;
import org.eelsunmix.eval.StudyFile;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.spark.ml.UnmixingMethods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * {@code evaluate}: the replicate study. For every endmember set, method and replicate, one Spark task generates
 * the synthetic cube, unmixes it with the in-memory kernel and scores it against the ground truth
 * ({@link ReplicateRun}). Writes, atomically: {@code metrics/} (Parquet, long form, {@link PixelSchema#EVALUATION}),
 * {@code metrics.csv}, {@code summary/} + {@code summary.csv} (count, mean, sample std, min, max per set, method,
 * endmember and metric, merged with {@link MetricSummary}) and prints the mean ± std table.
 *
 * <p>{@code --study FILE} runs a study file instead (grid × replicates × methods; {@link StudyRunner},
 * {@link StudyOutput}): units, aggregate, paired, cells and examples, and a compact table.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Run replicates of the synthetic protocol and tabulate SAD / NMSE / RMSE (mean ± std).")
final class EvaluateCommand extends SparkCommand {
  @Option(names = "--set", split = ",", defaultValue = "co-ru-pt,k-edges", description = "endmember set(s) "
      + "(default: co-ru-pt,k-edges)")
  List<String> sets;

  @Option(names = "--method", split = ",", defaultValue = "vca-fcls",
      completionCandidates = UnmixingMethods.Names.class, description = "method(s), comma-separated: "
      + "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}), each at its reference settings")
  List<String> methods;

  @Option(names = "--replicates", defaultValue = "20", description = "replicates per set and method (default 20)")
  int replicates;

  @Mixin
  SyntheticOptions synthetic;

  @Option(names = "--name", defaultValue = "synthetic", description = "study name written into the rows of the "
      + "one-cell study (default synthetic)")
  String study;

  @Option(names = "--study", description = "a study file (conf/studies/*.json): its grid of cells x replicates x "
      + "methods, one Spark task per unit; --replicates then overrides the file's and --method keeps only the "
      + "listed methods (labels or names); the synthetic settings come from the file")
  java.nio.file.Path studyFile;

  @Option(names = "--partitions", description = "with --study: Spark partitions of the unit list (default: one per "
      + "unit); the results do not depend on it")
  Integer partitions;

  @Option(names = "--out", description = "output folder (default target/evaluation, or with --study "
      + "target/studies/<name>)")
  String out;

  @Option(names = "--overwrite", description = "replace an existing output folder")
  boolean overwrite;

  /** One task: which set, which method, which replicate. */
  record Task(String set, String method, int replicate) implements Serializable {}

  @Override
  public Integer call() throws Exception {
    if (studyFile != null) {
      return runStudy();
    }
    if (out == null) {
      out = "target/evaluation";
    }
    if (replicates < 1) {
      throw new BadInputException("--replicates", "must be at least 1, got " + replicates);
    }
    Map<String, SyntheticGenerator.Options> options = new LinkedHashMap<>();
    for (String s : sets) {
      options.put(s, synthetic.forSet(s)); // validates every option before any work starts
    }
    List<Task> tasks = new ArrayList<>();
    for (String s : sets) {
      for (String m : methods) {
        UnmixingMethods.byName(m);
        for (int r = 0; r < replicates; r++) {
          tasks.add(new Task(s, m, r));
        }
      }
    }
    SparkSession spark = spark();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String studyName = study;
    describe("evaluate: " + tasks.size() + " replicates");
    JavaRDD<Row> rows = jsc.parallelize(tasks, tasks.size()).flatMap(t -> ReplicateRun.run(studyName,
        options.get(t.set()), t.replicate(), UnmixingMethods.byName(t.method())).stream()
        .map(EvaluateCommand::toRow).iterator());
    Dataset<Row> metrics = spark.createDataFrame(rows, PixelSchema.EVALUATION);
    List<Row> summary = new ArrayList<>();
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      metrics.write().parquet(tmp + "/metrics");
      Dataset<Row> written = spark.read().schema(PixelSchema.EVALUATION).parquet(tmp + "/metrics");
      ResultFiles.writeCsv(spark, tmp + "/metrics.csv", PixelSchema.EVALUATION.fieldNames(), written
          .orderBy("endmember_set", "method", "replicate", "metric", "endmember").toLocalIterator());
      summary.addAll(summarise(written));
      spark.createDataFrame(summary, SUMMARY).coalesce(1).write().parquet(tmp + "/summary");
      ResultFiles.writeCsv(spark, tmp + "/summary.csv", SUMMARY.fieldNames(), summary.iterator());
      writeConfig(tmp);
    });
    System.out.println(table(summary));
    System.out.println("wrote " + out + " (metrics/, metrics.csv, summary/, summary.csv)");
    return 0;
  }

  /**
   * {@code --study FILE}: the study checked whole (file, settings of every cell, methods and options) before any
   * Spark job, its units run as tasks ({@link StudyRunner}), the folder written atomically ({@link StudyOutput})
   * and the compact table printed.
   */
  private int runStudy() throws Exception {
    if (partitions != null && partitions < 1) {
      throw new BadInputException("--partitions", "must be at least 1, got " + partitions);
    }
    StudyDefinition definition = StudyFile.read(studyFile);
    picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
    List<String> protocol = new ArrayList<>(List.of("--set", "--name"));
    spec.mixins().get("synthetic").options().forEach(o -> protocol.add(o.longestName()));
    for (String o : protocol) {
      if (given.hasMatchedOption(o)) {
        throw new BadInputException(o, "with --study the cells come from the study file's grid; put the setting "
            + "there (or leave out --study)");
      }
    }
    if (given.hasMatchedOption("--replicates")) {
      definition = definition.withReplicates(replicates);
    }
    if (given.hasMatchedOption("--method")) {
      definition = definition.withMethods(methods, "--method");
    }
    StudyRunner.Plan plan = StudyRunner.plan(definition);
    if (out == null) {
      out = "target/studies/" + StudyOutput.fileName(plan.definition().name());
    }
    String target = out;
    SparkSession spark = spark(); // refuses an existing --out (without --overwrite) before any work
    describe("study " + plan.definition().name() + ": units");
    StudyRunner.Results results = StudyRunner.run(spark, plan, partitions == null ? 0 : partitions);
    StudyOutput.Tables tables = StudyOutput.tables(plan, results);
    int[] images = {-1};
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), target, overwrite, tmp -> {
      StudyOutput.write(spark, tmp, plan, results, tables);
      writeConfig(tmp);
      java.nio.file.Path local = localFolder(tmp);
      if (local != null) { // the report reads and writes local files; elsewhere: eels-unmix report on a copy
        images[0] = StudyReport.write(local, local.resolve("report"), false, target).images();
      }
    });
    System.out.print(StudyOutput.table(plan, tables));
    System.out.println("wrote " + target + " (study.json, cells, units, aggregate, paired, examples/"
        + (images[0] >= 0 ? ", report/" : "") + ")");
    System.out.println(images[0] >= 0 ? "report: " + target + "/report/index.html (" + images[0] + " images)"
        : "report: not rendered on " + target + "'s file system; copy the folder and run eels-unmix report --study");
    return 0;
  }

  /** The local folder behind {@code dir}, or null when it lies on another (e.g. HDFS) file system. */
  private java.nio.file.Path localFolder(String dir) throws java.io.IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
    org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(spark().sparkContext().hadoopConfiguration());
    return "file".equals(fs.getScheme()) ? java.nio.file.Path.of(fs.makeQualified(p).toUri()) : null;
  }

  static Row toRow(MetricRecord m) {
    return RowFactory.create(m.study(), m.endmemberSet(), m.dose(), m.replicate(), m.seed(), m.method(),
        m.endmember(), m.metric(), m.value(), m.seconds(), m.error());
  }

  // Typed, not DDL strings ("string", "double"): a DDL type is parsed by Spark's SQL parser, and this initialiser runs
  // for every command (picocli builds every subcommand), so it cost each command Catalyst's parser classes.
  static final org.apache.spark.sql.types.StructType SUMMARY = new org.apache.spark.sql.types.StructType()
      .add("endmember_set", DataTypes.StringType).add("dose", DataTypes.DoubleType)
      .add("method", DataTypes.StringType).add("endmember", DataTypes.StringType)
      .add("metric", DataTypes.StringType).add("count", DataTypes.LongType).add("failed", DataTypes.LongType)
      .add("mean", DataTypes.DoubleType).add("std", DataTypes.DoubleType).add("min", DataTypes.DoubleType)
      .add("max", DataTypes.DoubleType);

  /** Mergeable summaries per (set, dose, method, endmember, metric), reduced on the executors. */
  static List<Row> summarise(Dataset<Row> metrics) {
    JavaRDD<Row> rdd = metrics.toJavaRDD();
    Map<String, Tuple2<MetricSummary, Long>> reduced = new TreeMap<>(rdd.mapToPair(r -> {
      String key = String.join("\u0001", r.getString(1), String.valueOf(r.getDouble(2)), r.getString(5),
          r.isNullAt(6) ? "" : r.getString(6), r.getString(7));
      boolean failed = r.isNullAt(8);
      return new Tuple2<>(key, new Tuple2<>(failed ? MetricSummary.empty() : MetricSummary.of(r.getDouble(8)),
          failed ? 1L : 0L));
    }).reduceByKey((a, b) -> new Tuple2<>(a._1().merge(b._1()), a._2() + b._2())).collectAsMap());
    List<Row> out = new ArrayList<>();
    reduced.forEach((key, v) -> {
      String[] k = key.split("\u0001", -1);
      MetricSummary s = v._1();
      out.add(RowFactory.create(k[0], Double.parseDouble(k[1]), k[2], k[3].isEmpty() ? null : k[3], k[4],
          s.count(), v._2(), s.count() > 0 ? s.mean() : null, s.count() > 1 ? s.sampleStd() : null,
          s.count() > 0 ? s.min() : null, s.count() > 0 ? s.max() : null));
    });
    return out;
  }

  /** The printed table: one line per set and method, image-level metrics as mean ± std. */
  static String table(List<Row> summary) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-10s %-10s %10s %5s %4s  %-21s %-21s %-21s%n", "set", "method", "dose", "n", "fail",
        "mean SAD (rad)", "mean NMSE", "RMSE (counts)"));
    Map<String, Map<String, Row>> byGroup = new TreeMap<>();
    for (Row r : summary) {
      if (r.isNullAt(3)) {
        byGroup.computeIfAbsent(r.getString(0) + "\u0001" + r.getString(2) + "\u0001" + r.getDouble(1),
            k -> new TreeMap<>()).put(r.getString(4), r);
      }
    }
    byGroup.forEach((g, metrics) -> {
      String[] k = g.split("\u0001");
      Row sad = metrics.get("mean_sad");
      Row err = metrics.get("error");
      long n = sad == null ? 0 : sad.getLong(5);
      long failed = err == null ? 0 : err.getLong(6);
      sb.append(String.format("%-10s %-10s %10.3g %5d %4d  %-21s %-21s %-21s%n", k[0], k[1], Double.parseDouble(k[2]),
          n, failed, pm(sad), pm(metrics.get("mean_nmse")), pm(metrics.get("rmse"))));
    });
    return sb.toString();
  }

  private static String pm(Row r) {
    if (r == null || r.isNullAt(7)) {
      return "-";
    }
    return r.isNullAt(8) ? String.format("%.4g", r.getDouble(7))
        : String.format("%.4g ± %.2g", r.getDouble(7), r.getDouble(8));
  }
}
