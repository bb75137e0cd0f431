package org.eelsunmix.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.CsvText;
import org.eelsunmix.io.NpyArray;
import org.eelsunmix.io.NpyReader;

/**
 * The tables of a study output folder, read from a local folder with Apache Commons CSV (header row, RFC 4180) and
 * {@link NpyReader}: {@code cells.csv}, {@code aggregate.csv}, {@code paired.csv} and the example replicate of each
 * cell ({@code examples/cell-NNNN/}). The layout is the contract written by {@code evaluate --study}; an empty
 * field is a missing value (NaN for numbers).
 *
 * @param name the study's name ({@code study.json}'s {@code name}, else the folder's name)
 * @param cells grid cells in expansion order
 * @param methods method labels in their order of first appearance in {@code aggregate.csv} (the study's order)
 * @param aggregate the aggregate rows
 * @param paired the paired-comparison rows (empty when there is no {@code paired.csv})
 */
public record StudyData(String name, List<Cell> cells, List<String> methods, List<Aggregate> aggregate,
    List<Paired> paired) {

  /** One grid cell: its number, its axis values (in the study's axis order) and its label. */
  public record Cell(int cell, Map<String, String> axes, String label) {}

  /** One row of {@code aggregate.csv}; {@code endmember} is empty for image-level metrics, {@code rank} NaN if none. */
  public record Aggregate(int cell, String method, String endmember, String metric, int count, int failed,
      double mean, double std, double median, double ciLow, double ciHigh, double rank, double secondsMean,
      double secondsStd) {}

  /** One row of {@code paired.csv}; {@code better} is empty when neither method is significantly better. */
  public record Paired(int cell, String metric, String methodA, String methodB, int n, double meanDiff,
      double medianDiff, double bootLow, double bootHigh, double wilcoxonP, String better) {}

  /**
   * The example replicate of a cell for the truth or one method.
   *
   * @param energies the channel energies ({@code energy_eV})
   * @param names endmember names (the truth's, in its order)
   * @param spectra one spectrum per name, on the scale of the counts
   * @param maps abundance maps in the same order, or null when the {@code -maps.npy} file is missing
   */
  public record Example(double[] energies, List<String> names, double[][] spectra, Abundances maps) {}

  /**
   * Reads the tables of {@code dir}.
   *
   * @throws BadInputException naming the folder or the file that is missing or unreadable
   */
  public static StudyData read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir.toString(), "is not a study folder (no such directory)");
    }
    List<Cell> cells = new ArrayList<>();
    forEach(dir.resolve("cells.csv"), List.of("cell", "label"), r -> {
      Map<String, String> axes = new LinkedHashMap<>();
      for (String column : r.getParser().getHeaderNames()) {
        if (!column.equals("cell") && !column.equals("label")) {
          axes.put(column, r.get(column));
        }
      }
      cells.add(new Cell(integer(r, "cell"), axes, r.get("label")));
    });
    List<Aggregate> aggregate = new ArrayList<>();
    LinkedHashSet<String> methods = new LinkedHashSet<>();
    forEach(dir.resolve("aggregate.csv"), List.of("cell", "method", "endmember", "metric", "count", "failed",
        "mean", "std", "median", "ci_low", "ci_high", "rank", "seconds_mean", "seconds_std"), r -> {
      methods.add(r.get("method"));
      aggregate.add(new Aggregate(integer(r, "cell"), r.get("method"), r.get("endmember"), r.get("metric"),
          integer(r, "count"), integer(r, "failed"), number(r, "mean"), number(r, "std"), number(r, "median"),
          number(r, "ci_low"), number(r, "ci_high"), number(r, "rank"), number(r, "seconds_mean"),
          number(r, "seconds_std")));
    });
    List<Paired> paired = new ArrayList<>();
    Path pairedCsv = dir.resolve("paired.csv");
    if (Files.exists(pairedCsv)) {
      forEach(pairedCsv, List.of("cell", "metric", "method_a", "method_b", "n", "mean_diff", "median_diff",
          "boot_low", "boot_high", "wilcoxon_p", "better"), r -> {
        paired.add(new Paired(integer(r, "cell"), r.get("metric"), r.get("method_a"), r.get("method_b"),
            integer(r, "n"), number(r, "mean_diff"), number(r, "median_diff"), number(r, "boot_low"),
            number(r, "boot_high"), number(r, "wilcoxon_p"), r.get("better")));
      });
    }
    return new StudyData(name(dir), List.copyOf(cells), List.copyOf(methods), List.copyOf(aggregate),
        List.copyOf(paired));
  }

  /** The folder of cell {@code cell}'s example replicate: {@code examples/cell-NNNN}. */
  public static Path exampleFolder(Path dir, int cell) {
    return dir.resolve("examples").resolve(String.format("cell-%04d", cell));
  }

  /**
   * The example of {@code who} ({@code truth} or a method label) in {@code folder}, or null when it has no
   * {@code <who>-endmembers.csv} (the method failed on that replicate).
   */
  public static Example example(Path folder, String who) {
    Path csv = folder.resolve(who + "-endmembers.csv");
    if (!Files.exists(csv)) {
      return null;
    }
    List<CSVRecord> rows = records(csv, List.of("energy_eV"));
    List<String> names = new ArrayList<>();
    if (!rows.isEmpty()) {
      for (String h : rows.get(0).getParser().getHeaderNames()) {
        if (!h.equals("energy_eV")) {
          names.add(h);
        }
      }
    }
    double[] energies = new double[rows.size()];
    double[][] spectra = new double[names.size()][rows.size()];
    try {
      for (int k = 0; k < rows.size(); k++) {
        energies[k] = number(rows.get(k), "energy_eV");
        for (int r = 0; r < names.size(); r++) {
          spectra[r][k] = number(rows.get(k), names.get(r));
        }
      }
    } catch (NumberFormatException e) {
      throw new BadInputException(csv.toString(), e.getMessage());
    }
    Path npy = folder.resolve(who + "-maps.npy");
    Abundances maps = null;
    if (Files.exists(npy)) {
      try {
        NpyArray a = NpyReader.read(npy);
        if (a.dimensions() != 3 || a.dimension(2) != names.size()) {
          throw new BadInputException(npy.toString(), "expected shape (height, width, " + names.size()
              + "), found " + java.util.Arrays.toString(a.shape()));
        }
        maps = new Abundances(a.dimension(0), a.dimension(1), a.dimension(2), a.doubles());
      } catch (IOException e) {
        throw new BadInputException(npy.toString(), "cannot be read: " + e.getMessage(), e);
      }
    }
    return new Example(energies, List.copyOf(names), spectra, maps);
  }

  private static String name(Path dir) {
    Path json = dir.resolve("study.json");
    if (Files.exists(json)) {
      try {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("name");
        if (node != null && node.isTextual() && !node.asText().isBlank()) {
          return node.asText();
        }
      } catch (IOException e) {
        throw new BadInputException(json.toString(), "is not valid JSON: " + e.getMessage(), e);
      }
    }
    Path file = dir.toAbsolutePath().normalize().getFileName();
    return file == null ? dir.toString() : file.toString();
  }

  /** Calls {@code row} on each record of {@code file}; a malformed number is bad input naming the file. */
  private static void forEach(Path file, List<String> required, java.util.function.Consumer<CSVRecord> row) {
    for (CSVRecord r : records(file, required)) {
      try {
        row.accept(r);
      } catch (IllegalArgumentException e) { // a malformed number, a short record
        throw new BadInputException(file.toString(), e.getMessage());
      }
    }
  }

  /** The records of {@code file}, after checking it has the {@code required} columns. */
  private static List<CSVRecord> records(Path file, List<String> required) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file.toString(), "is missing (not a study output folder?)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return CsvText.readRecords(in, file.toString(), required);
    } catch (IOException e) {
      throw new BadInputException(file.toString(), "cannot be read: " + e.getMessage(), e);
    }
  }

  private static int integer(CSVRecord r, String column) {
    double v = number(r, column);
    return Double.isNaN(v) ? 0 : (int) v;
  }

  private static double number(CSVRecord r, String column) {
    String s = r.get(column);
    if (s == null || s.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new NumberFormatException("record " + r.getRecordNumber() + ", column " + column + ": not a number: "
          + s);
    }
  }
}
