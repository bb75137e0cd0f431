package org.eelsunmix.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the Spark commands: the session (embedded or spark-submit, see {@link SparkSessions}) and the record of
 * the resolved options written next to every output ({@code _config.properties}), so a result says how it was made.
 */
abstract class SparkCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  SparkOptions sparkOptions;

  private SparkSession spark;

  SparkSession spark() {
    if (spark == null) {
      spark = SparkSessions.get(Main.embedded, sparkOptions.master, sparkOptions.conf);
    }
    return spark;
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
