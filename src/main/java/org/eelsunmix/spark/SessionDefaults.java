package org.eelsunmix.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Spark settings every eels-unmix session gets unless the user's configuration (spark-submit's {@code --conf},
 * the cluster's or {@code conf/spark-defaults.conf}, {@code --spark-conf}) already sets them. They keep the
 * driver's heap flat and the job count small on series of thousands of acquisitions, where every acquisition is its
 * own partition folder. Measured (a {@code vca-fcls} {@code unmix} of 2 048 acquisitions of 16 × 16 pixels, four
 * commands in one driver JVM, heap after a full collection; README "Driver heap"):
 *
 * <ul>
 *   <li>{@code spark.sql.sources.parallelPartitionDiscovery.parallelism} 16 (Spark: 10 000). Above 32 folders Spark
 *       lists a table's folders in a Spark job with one task per folder: 2 048 tasks per table, three such jobs per
 *       command, 33 s of the command's 122 s and a third of its CPU. Sixteen tasks, each listing 128 folders, took
 *       4.6 s; on HDFS each still lists in parallel with the others.
 *   <li>{@code spark.sql.hive.filesourcePartitionFileCacheSize} 0 (Spark: 250 MB). Spark's shared file-status cache
 *       keys every listing by the file index that made it, so a path-based read (all of ours) never hits another
 *       read's entries, yet the listings stay until the cache is full: 2.5 KB per file, +8 MiB of driver heap per
 *       2 048-acquisition command, growing to 250 MB in a long {@code watch} or nightly run. Each table's file index
 *       keeps its own listing while it is in use, so nothing is listed twice more than before.
 *   <li>{@code spark.ui.retainedJobs}, {@code spark.ui.retainedStages}, {@code spark.sql.ui.retainedExecutions}
 *       100 and {@code spark.ui.retainedTasks} 1 000 (Spark: 1 000, 1 000, 1 000, 100 000). The status store keeps
 *       them for the UI and its REST API even with the UI off; eels-unmix reads none of it (its progress line and
 *       {@code --timings} listen to the jobs themselves). With Spark's values the store kept every task of the
 *       listing jobs, 2.3 MiB per command.
 * </ul>
 *
 * <p>With these, the driver kept 47.5, 50.8, 48.3 and 48.1 MiB after four commands (256, 2 048, 256, 2 048
 * acquisitions); with Spark's values 48.4, 58.4, 58.1 and 66.2 MiB, growing with every command.
 */
public final class SessionDefaults {
  private SessionDefaults() {}

  /** The settings, in the order above. */
  public static final Map<String, String> SETTINGS;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.sql.sources.parallelPartitionDiscovery.parallelism", "16");
    m.put("spark.sql.hive.filesourcePartitionFileCacheSize", "0");
    m.put("spark.ui.retainedJobs", "100");
    m.put("spark.ui.retainedStages", "100");
    m.put("spark.ui.retainedTasks", "1000");
    m.put("spark.sql.ui.retainedExecutions", "100");
    SETTINGS = java.util.Collections.unmodifiableMap(m);
  }

  /**
   * The settings of {@link #SETTINGS} that none of {@code given} sets: what to add to a session builder.
   *
   * @param given the configurations already in force, e.g. the JVM's {@code spark.*} system properties (spark-submit
   *     passes its settings that way), the embedded defaults file and the command's {@code --spark-conf}
   */
  @SafeVarargs
  public static Map<String, String> missingFrom(Map<?, ?>... given) {
    Map<String, String> add = new LinkedHashMap<>();
    SETTINGS.forEach((k, v) -> {
      for (Map<?, ?> g : given) {
        if (g.containsKey(k)) {
          return;
        }
      }
      add.put(k, v);
    });
    return add;
  }

  /** The JVM's {@code spark.*} system properties (how spark-submit hands its configuration to the driver). */
  public static Map<Object, Object> systemSparkProperties() {
    Properties p = System.getProperties();
    Map<Object, Object> m = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("spark.")) {
        m.put(name, p.getProperty(name));
      }
    }
    return m;
  }
}
