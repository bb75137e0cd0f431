package org.eelsunmix.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of the unit-test JVM: real local Spark with two worker threads, UI and console bar off,
 * created on first use and stopped when the JVM exits, with the commands' {@link SessionDefaults}. Test classes share it (design: one session per suite).
 */
public final class TestSpark {
  private TestSpark() {}

  private static SparkSession session;

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder().master("local[2]").appName("eels-unmix-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "2")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config(new java.util.HashMap<String, Object>(SessionDefaults.SETTINGS)) // as every command's session
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
