package org.eelsunmix.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code eels-unmix} command line, run on an embedded {@code local[*]} Spark (see {@link SubmitMain} for
 * spark-submit). Options may come from a {@code .properties} file given with {@code --config FILE} (keys are
 * option names without dashes, optionally prefixed by the command name, e.g. {@code evaluate.replicates=20});
 * the command line wins.
 *
 * <p>Failures print one line naming the file or option and exit non-zero (2: bad input or usage, 1: anything
 * else); {@code --stacktrace} adds the stack trace.
 */
@Command(name = "eels-unmix", mixinStandardHelpOptions = true, version = "eels-unmix 0.1.0",
    description = "Spectral unmixing of STEM-EELS spectrum images on Apache Spark.",
    subcommands = {GenerateCommand.class, ImportNpyCommand.class, IngestCommand.class, UnmixCommand.class, TrainCommand.class,
        ApplyCommand.class, ExportCommand.class, EstimateEndmembersCommand.class,
        EvaluateCommand.class, BenchCommand.class, BsCommand.class, ProfileCommand.class, ReprocessCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Whether commands build an embedded local session (false under spark-submit). */
  static volatile boolean embedded = true;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    int code = execute(args, true);
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
    System.exit(code);
  }

  /** Runs one command line in this JVM and returns its exit code (used by both entry points and by tests). */
  public static int execute(String[] args, boolean embeddedSpark) {
    return execute(args, embeddedSpark, new PrintWriter(System.err, true));
  }

  /** As {@link #execute(String[], boolean)}, with error messages going to {@code err}. */
  public static int execute(String[] args, boolean embeddedSpark, PrintWriter err) {
    embedded = embeddedSpark;
    boolean stacktrace = false;
    Path config = null;
    for (int i = 0; i < args.length; i++) {
      stacktrace |= args[i].equals("--stacktrace");
      if (args[i].equals("--config") && i + 1 < args.length) {
        config = Path.of(args[i + 1]);
      }
    }
    String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--stacktrace")).toArray(String[]::new);
    rest = dropConfig(rest);
    CommandLine cli = new CommandLine(new Main());
    cli.setErr(err);
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        err.println("error: --config " + config + ": no such file");
        err.flush();
        return 2;
      }
      cli.setDefaultValueProvider(new ConfigDefaults(config));
    }
    boolean trace = stacktrace;
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      BadInputException bad = badInput(e);
      PrintWriter w = commandLine.getErr();
      if (bad != null) {
        w.println("error: " + OptionNames.of(bad.source(), commandLine.getCommandSpec()) + ": " + bad.problem());
      } else {
        w.println("error: " + e.getClass().getSimpleName() + ": " + rootMessage(e));
      }
      if (trace) {
        e.printStackTrace(w);
      } else {
        w.println("(run again with --stacktrace for details)");
      }
      w.flush();
      return bad != null ? 2 : 1;
    });
    return cli.execute(rest);
  }

  private static String[] dropConfig(String[] args) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        i++;
      } else {
        out.add(args[i]);
      }
    }
    return out.toArray(String[]::new);
  }

  /** The BadInputException behind a failure, also when it was thrown in a Spark task. */
  static BadInputException badInput(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BadInputException b) {
        return b;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
  }
}
