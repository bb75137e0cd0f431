package org.eelsunmix.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.eelsunmix.spark.standalone.LocalStandaloneCluster;

/**
 * The cluster tests' {@link LocalStandaloneCluster}: the test class path's jars as {@code $SPARK_HOME/jars} (the
 * project's own jar left out, so the executors get its classes only as spark-submit ships them), the packaged jar
 * ({@code eelsunmix.jar}, set by Failsafe) as the application, Java 17's opens from {@code eelsunmix.java17.opens},
 * one-core workers of 1 GB, executors of 768 MB, drivers of 512 MB.
 */
final class ClusterForTests {
  private ClusterForTests() {}

  static LocalStandaloneCluster start(int workers) throws Exception {
    List<String> opens = Arrays.stream(System.getProperty("eelsunmix.java17.opens", "").trim().split("\\s+"))
        .filter(s -> !s.isEmpty()).toList();
    return new LocalStandaloneCluster(workers, new LocalStandaloneCluster.Settings(
        LocalStandaloneCluster.classPathJars(name -> !name.startsWith("eels-unmix")),
        Path.of(System.getProperty("eelsunmix.jar")), opens, Path.of("conf/log4j2.properties"), 1, "1g", "768m",
        "512m"));
  }
}
