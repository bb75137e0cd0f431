package org.eelsunmix.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one eels-unmix command line in a fresh JVM and times it from the process's start to its exit: the "whole
 * command" figures of {@code bench --all}, which include what a user waits for (JVM start, Spark session, native
 * loads, reading, writing) and which no in-process timing can give.
 *
 * @param prefix the launch up to the command's own arguments (e.g. {@code java … -jar eels-unmix-all.jar}), made by
 *     the command layer from the running JVM's own launch
 * @param logs folder for each run's standard output and error (files, so that a chatty child never blocks on a
 *     full pipe)
 */
public record ChildCommand(List<String> prefix, Path logs) {
  public ChildCommand {
    prefix = List.copyOf(prefix);
  }

  /**
   * What one run printed and how long it took.
   *
   * @param wallSeconds from the process's start to its exit
   */
  public record Result(String args, double wallSeconds, String out, String err) {
    /** The seconds of {@code --timings}' line ending with {@code label} (e.g. "total (JVM start to stop)"). */
    public Optional<Double> timing(String label) {
      return err.lines().filter(l -> l.endsWith("  " + label)).findFirst()
          .map(l -> Double.parseDouble(l.strip().split("\\s+")[0]));
    }

    /** The process CPU seconds stated by {@code --timings}. */
    public Optional<Double> cpuSeconds() {
      return number(err, "process CPU ([0-9.]+) s");
    }

    /** The fit's seconds stated by {@code unmix} ("fitted in X s"). */
    public Optional<Double> fitSeconds() {
      return number(out, "fitted in ([0-9.]+) s");
    }

    /** {@code --timings}' breakdown lines up to the job table (the phases, CPU, JIT, GC, classes). */
    public List<String> breakdown() {
      List<String> lines = new ArrayList<>();
      boolean in = false;
      for (String l : err.lines().toList()) {
        in |= l.startsWith("timings (wall seconds)");
        if (in) {
          lines.add(l);
          if (l.startsWith("process CPU")) {
            break;
          }
        }
      }
      return lines;
    }

    private static Optional<Double> number(String text, String regex) {
      Matcher m = Pattern.compile(regex).matcher(text);
      return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }
  }

  /**
   * Runs {@code args} and waits for it.
   *
   * @throws IllegalStateException when the command exits non-zero (with the end of its error output)
   */
  public Result run(String... args) {
    try {
      Files.createDirectories(logs);
      Path out = Files.createTempFile(logs, "out-", ".log");
      Path err = Files.createTempFile(logs, "err-", ".log");
      List<String> cmd = new ArrayList<>(prefix);
      cmd.addAll(List.of(args));
      long t0 = System.nanoTime();
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putIfAbsent("OMP_NUM_THREADS", "1"); // as jobs/eels-unmix sets it
      Process p = pb.start();
      int code = p.waitFor();
      double wall = (System.nanoTime() - t0) / 1e9;
      String o = Files.readString(out, StandardCharsets.UTF_8);
      String e = Files.readString(err, StandardCharsets.UTF_8);
      if (code != 0) {
        String both = o + e;
        String tail = both.length() > 2000 ? both.substring(both.length() - 2000) : both;
        throw new IllegalStateException(String.format(Locale.ROOT, "'%s' exited with %d: %s", String.join(" ", args),
            code, tail.strip()));
      }
      return new Result(String.join(" ", args), wall, o, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running a child command", e);
    }
  }
}
