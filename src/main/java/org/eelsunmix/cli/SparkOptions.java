package org.eelsunmix.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every Spark command takes. */
final class SparkOptions {
  @Option(names = "--master", description = "Spark master of the embedded run (default: local[*]); ignored under "
      + "spark-submit")
  String master;

  @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "extra Spark setting (repeatable)")
  Map<String, String> conf = new LinkedHashMap<>();
}
