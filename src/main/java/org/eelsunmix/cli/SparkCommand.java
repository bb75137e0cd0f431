package org.eelsunmix.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the Spark commands: the session (embedded or spark-submit, see {@link SparkSessions}), the refusal of an
 * existing {@code --out} before any work, and the record of the resolved options written next to every output
 * ({@code _config.properties}), so a result says how it was made.
 */
abstract class SparkCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  SparkOptions sparkOptions;

  private SparkSession spark;

  /**
   * The session; on the first call, before any Spark work, an existing {@code --out} is refused unless
   * {@code --overwrite} is given (see {@link #replacesOut}), so no fit is lost to a refusal at the commit.
   */
  SparkSession spark() {
    if (spark == null) {
      SparkSession session = SparkSessions.get(Main.embedded, sparkOptions.master, sparkOptions.conf);
      refuseExistingOut(session);
      spark = session;
    }
    return spark;
  }

  /**
   * Whether this command's {@code --out} is replaced whole, so that an existing one is refused without
   * {@code --overwrite}: true for the commands that have an {@code --overwrite} option. Commands whose
   * {@code --out} accumulates have none ({@code generate} adds to a series store, {@code reprocess} to its
   * long-lived folder) and are never refused; a command with {@code --overwrite} whose output accumulates
   * overrides this to opt out.
   */
  boolean replacesOut() {
    return spec.findOption("--overwrite") != null;
  }

  private void refuseExistingOut(SparkSession session) {
    OptionSpec outOption = spec.findOption("--out");
    OptionSpec overwrite = spec.findOption("--overwrite");
    Object value = outOption == null ? null : outOption.getValue(); // Object: the getter's type is inferred
    if (value == null || !replacesOut() || overwrite != null && Boolean.TRUE.equals(overwrite.getValue())) {
      return;
    }
    String out = value.toString();
    long t0 = System.nanoTime();
    try {
      Path path = new Path(out);
      boolean exists = path.getFileSystem(session.sparkContext().hadoopConfiguration()).exists(path);
      StartupTimings.fileSystem(System.nanoTime() - t0);
      if (exists) {
        throw new BadInputException("--out", out + " already exists (give --overwrite to replace it)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("checking --out " + out + ": " + e.getMessage(), e);
    }
  }

  /** Labels the Spark jobs that follow (shown on the progress line). */
  void describe(String what) {
    spark().sparkContext().setJobDescription(what);
  }

  /** Writes {@code dir/_config.properties}: every option of this command with its resolved value. */
  void writeConfig(String dir) throws IOException {
    TreeMap<String, String> values = new TreeMap<>();
    for (OptionSpec o : spec.options()) {
      Object v = o.getValue();
      if (v != null && !o.usageHelp() && !o.versionHelp()) {
        values.put(o.longestName().replaceFirst("^-+", ""), String.valueOf(v));
      }
    }
    StringBuilder sb = new StringBuilder("# eels-unmix " + spec.qualifiedName() + ", resolved options\n");
    values.forEach((k, v) -> sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    Path file = new Path(dir, "_config.properties");
    FileSystem fs = file.getFileSystem(spark().sparkContext().hadoopConfiguration());
    try (OutputStream out = fs.create(file, true)) {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
