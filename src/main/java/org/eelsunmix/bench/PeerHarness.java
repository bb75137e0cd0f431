package org.eelsunmix.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The Python tools' figure on the same cube, from the shared peer harness ({@code run_peers.py}: HyperSpy NMF,
 * numpy VCA + exact FCLS, PyTorch DAEU), run as a separate process on a folder written by
 * {@code generate --format npy}. One harness process per method, because the harness stops at the first library it
 * cannot import (a machine may have numpy but no HyperSpy or PyTorch): each method's figure or its failure is
 * reported on its own. The harness is a measuring instrument outside the project; nothing of it is copied here.
 *
 * @param python the interpreter the harness's README names ({@code /usr/bin/python3})
 * @param script {@code run_peers.py}
 * @param threads BLAS/PyTorch threads ({@code --threads})
 */
public record PeerHarness(Path python, Path script, int threads) {
  /**
   * One method's figure, or why there is none.
   *
   * @param seconds the fit's wall seconds (the harness times the fit alone, after imports and a warm-up)
   * @param cpuSeconds its CPU seconds
   * @param sad mean SAD against the truth, rad
   * @param failure empty when the figure exists, else the reason (e.g. the harness's last error line)
   */
  public record Figure(String method, double seconds, double cpuSeconds, double sad, String failure) {
    /** "3.01 s (5.20 CPU s, SAD 0.0123)" or "—: reason". */
    public String describe() {
      return failure.isEmpty() ? String.format(Locale.ROOT, "%.2f s (%.2f CPU s, SAD %.4f)", seconds, cpuSeconds,
          sad) : "— (" + failure + ")";
    }
  }

  /** Whether the interpreter and the script exist. */
  public boolean installed() {
    return Files.isExecutable(python) && Files.isRegularFile(script);
  }

  /** Runs {@code method} on the npy folder {@code cube}, writing its CSV under {@code work}. */
  public Figure run(String method, Path cube, Path work) {
    if (!installed()) {
      return new Figure(method, Double.NaN, Double.NaN, Double.NaN, "harness not found: " + script);
    }
    try {
      Files.createDirectories(work);
      Path csv = work.resolve("peers-" + method + "-" + cube.getFileName() + ".csv");
      Files.deleteIfExists(csv);
      Path log = work.resolve("peers-" + method + "-" + cube.getFileName() + ".log");
      List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), cube.toString(),
          "--methods", method, "--threads", Integer.toString(threads), "--out", csv.toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int code = p.waitFor();
      if (code != 0 || !Files.isRegularFile(csv)) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String last = lines.isEmpty() ? "exit " + code : lines.get(lines.size() - 1).strip();
        return new Figure(method, Double.NaN, Double.NaN, Double.NaN, last);
      }
      try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
          if (rec.get("method").equals(method)) {
            return new Figure(method, Double.parseDouble(rec.get("seconds")),
                Double.parseDouble(rec.get("cpu_seconds")), Double.parseDouble(rec.get("sad_mean")), "");
          }
        }
      }
      return new Figure(method, Double.NaN, Double.NaN, Double.NaN, "no row for " + method + " in " + csv);
    } catch (IOException e) {
      return new Figure(method, Double.NaN, Double.NaN, Double.NaN, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Figure(method, Double.NaN, Double.NaN, Double.NaN, "interrupted");
    }
  }
}
