package org.eelsunmix.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.SessionDefaults;
import org.eelsunmix.spark.SparkProgress;

/**
 * Builds the SparkSession a command runs on. Embedded (the default {@link Main}): {@code local[*]} with the
 * settings of {@code conf/spark-defaults.conf} (or the file in {@code $EELS_UNMIX_CONF_DIR}), UI and console bar
 * off. Under spark-submit ({@link SubmitMain}) the session is whatever spark-submit configured. Both get
 * {@link SessionDefaults} where those leave a setting unset. A session that is already active (tests, notebooks) is
 * reused as it is.
 */
final class SparkSessions {
  private SparkSessions() {}

  static SparkSession get(boolean embedded, String master, Map<String, String> extra) {
    SparkSession active = SparkSession.getActiveSession()
        .getOrElse(() -> SparkSession.getDefaultSession().getOrElse(() -> null));
    if (active != null) {
      return active;
    }
    SparkSession.Builder b = SparkSession.builder().appName("eels-unmix");
    Properties fileDefaults = embedded ? defaults() : new Properties();
    if (embedded) {
      b.master(master == null ? "local[*]" : master);
      // Every SQL job's start event carries its plan as text for the UI; with the UI off the cheapest form will do
      // (the default, "formatted", walks the plan twice on the driver before each job); spark-defaults.conf may
      // say otherwise.
      b.config("spark.sql.ui.explainMode", "simple");
      fileDefaults.forEach((k, v) -> b.config((String) k, (String) v));
      b.config("spark.ui.enabled", "false");
    }
    // Bounds on the driver's listing jobs and kept state, unless the user's configuration sets them.
    SessionDefaults.missingFrom(SessionDefaults.systemSparkProperties(), fileDefaults, extra).forEach(b::config);
    b.config("spark.ui.showConsoleProgress", "false");
    b.config("spark.executorEnv.OMP_NUM_THREADS", "1");
    extra.forEach(b::config);
    StartupTimings.sessionStarting();
    SparkSession spark = b.getOrCreate();
    StartupTimings.sessionReady(spark);
    spark.sparkContext().setLogLevel("WARN");
    SparkProgress.attach(spark);
    buildSessionStateAhead(spark);
    return spark;
  }

  /**
   * Builds the session's SQL state (analyser, catalog, function registry: Spark builds it on the first
   * {@code spark.read()}) on a daemon thread, while the command's driver reads the store's footers with Hadoop's file
   * system alone: 0.3–0.6 s of a small command's start that had run on the main thread only. A Scala lazy value, so a
   * caller that gets there first waits for this build instead of making a second one; a failure here is left to that
   * caller, which meets it again in its own words.
   */
  private static void buildSessionStateAhead(SparkSession spark) {
    Thread t = new Thread(() -> {
      try {
        SparkSession.setActiveSession(spark);
        spark.sessionState();
      } catch (RuntimeException | LinkageError e) {
        // the main thread's first SQL call builds it, and reports what went wrong
      }
    }, "session-state-ahead");
    t.setDaemon(true);
    t.start();
  }

  /** conf/spark-defaults.conf of the embedded run, if there is one. */
  private static Properties defaults() {
    Properties p = new Properties();
    String dir = System.getenv().getOrDefault("EELS_UNMIX_CONF_DIR", "conf");
    Path file = Path.of(dir, "spark-defaults.conf");
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        // spark-defaults.conf separates key and value by white space; Properties accepts that too.
        p.load(in);
      } catch (IOException e) {
        throw new BadInputException(file.toString(), "cannot read Spark settings: " + e.getMessage());
      }
    }
    return p;
  }
}
