package org.eelsunmix.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * else; 3: {@code reprocess} refused because another run holds its output folder's lock); {@code --stacktrace} adds
 * the stack trace. {@code --timings} (any command) prints where the seconds went on standard error
 * ({@link StartupTimings}).
 */
@Command(name = "eels-unmix", mixinStandardHelpOptions = true, version = "eels-unmix 0.1.0",
    description = "Spectral unmixing of STEM-EELS spectrum images on Apache Spark.")
public final class Main implements Runnable {
  /**
   * The subcommands, in the order the usage help lists them. Added to the command line by {@link #commandLine}:
   * picocli reads every added command's options by reflection (0.24 s of a command's start for all of them against
   * 0.14 s for one, measured with the class archive), so a command line that names one gets only that one.
   */
  static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(GenerateCommand.class,
      ImportNpyCommand.class, IngestCommand.class, UnmixCommand.class, TrainCommand.class, ApplyCommand.class,
      ExportCommand.class, EstimateEndmembersCommand.class, EvaluateCommand.class, CompareCommand.class,
      MethodsCommand.class, BenchCommand.class, BsCommand.class, ProfileCommand.class, ReprocessCommand.class,
      WatchCommand.class, ReportCommand.class, CommandLine.HelpCommand.class);

  /** Whether commands build an embedded local session (false under spark-submit). */
  static volatile boolean embedded = true;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    StartupTimings.main();
    int code = execute(args, true);
    StartupTimings.commandEnded();
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
    if (StartupTimings.enabled()) {
      System.err.print(StartupTimings.report(System.nanoTime()));
    }
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
      if (args[i].equals("--timings")) {
        StartupTimings.enable();
      }
      if (args[i].equals("--config") && i + 1 < args.length) {
        config = Path.of(args[i + 1]);
      }
    }
    String[] rest = Arrays.stream(args).filter(a -> !a.equals("--stacktrace") && !a.equals("--timings"))
        .toArray(String[]::new);
    rest = dropConfig(rest);
    CommandLine cli = commandLine(rest);
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
      Failure failure = Failure.of(e).inTermsOf(commandLine.getCommandSpec());
      PrintWriter w = commandLine.getErr();
      w.println("error: " + failure.line());
      if (trace) {
        e.printStackTrace(w);
      } else {
        w.println("(run again with --stacktrace for details)");
      }
      w.flush();
      return failure.badInput() ? 2 : 1;
    });
    return cli.execute(rest);
  }

  /**
   * The command line for {@code args}: with only the subcommand that the first word names, or with all of them
   * (usage help, {@code help}, an unknown word, no word), so that the help lists them and a typo gets picocli's
   * suggestions as before. Parsing and help for the named command are the same either way.
   */
  static CommandLine commandLine(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    String word = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
    Class<?> named = null;
    for (Class<?> c : SUBCOMMANDS) {
      if (c.getAnnotation(Command.class).name().equals(word) && c != CommandLine.HelpCommand.class) {
        named = c;
      }
    }
    boolean optionFirst = args.length > 0 && args[0].startsWith("-"); // e.g. --help, --version
    for (Class<?> c : SUBCOMMANDS) {
      if (named == null || optionFirst || c == named) {
        cli.addSubcommand(c.getAnnotation(Command.class).name(), c);
      }
    }
    return cli;
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

  /**
   * What a failure prints: one line, and whether it was bad input (exit code 2). A BadInputException anywhere in
   * the causes gives its message; anything else the root cause's class and the first line of its message. Spark's
   * "Job aborted due to stage failure" message embeds the failed task's exception and stack trace as text (all
   * the driver has when the exception could not be sent back): then the exception named there is reported.
   *
   * @param line the message, without {@code error: }
   * @param badInput whether the exit code is 2
   * @param cause the bad input behind it, when there is one
   */
  record Failure(String line, boolean badInput, BadInputException cause) {
    Failure(String line, boolean badInput) {
      this(line, badInput, null);
    }

    /**
     * The same failure with a kernel's param name (e.g. {@code init}) replaced by the command's option that sets it
     * ({@code --nmf-init}, {@link OptionNames}).
     */
    Failure inTermsOf(picocli.CommandLine.Model.CommandSpec command) {
      return cause == null ? this : new Failure(OptionNames.of(cause.source(), command) + ": "
          + firstLine(cause.problem()), true, cause);
    }

    private static final Pattern TASK_FAILURE =
        Pattern.compile("most recent failure: Lost task [^\\n]*?\\): ([\\w.$]+)(?:: ([^\\n]*))?");

    static Failure of(Throwable e) {
      BadInputException bad = Main.badInput(e);
      if (bad != null) {
        return new Failure(firstLine(bad.getMessage()), true, bad);
      }
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String message = root.getMessage() == null ? "" : root.getMessage();
      Matcher task = TASK_FAILURE.matcher(message);
      if (task.find()) {
        String text = task.group(2) == null ? "" : task.group(2).strip();
        if (task.group(1).equals(BadInputException.class.getName())) {
          return new Failure(text, true);
        }
        return new Failure(named(task.group(1).substring(task.group(1).lastIndexOf('.') + 1), text), false);
      }
      return new Failure(named(root.getClass().getSimpleName(), firstLine(message)), false);
    }

    private static String named(String className, String text) {
      return text.isEmpty() ? className : className + ": " + text;
    }

    /** The first line that is not blank (Spark and Hadoop messages may start with a line break). */
    private static String firstLine(String message) {
      return message == null ? "" : message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
          .orElse("");
    }
  }
}
