package org.eelsunmix.spark.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.eval.StudyFile;
import org.eelsunmix.eval.StudyRecord;
import org.eelsunmix.io.NpyReader;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study on real local Spark: partition-free tables, error rows, one cube per (cell, replicate), the files. */
class StudyRunnerTest {
  /** Two small cells (16 x 16) and a cell asking for more endmembers than the spectra have channels. */
  private static final String STUDY = "{\"name\": \"small\", \"seed\": 3, \"replicates\": 3,"
      + " \"grid\": {\"set\": [\"co-ru-pt\"], \"size\": [16], \"block\": [4], \"filter\": [3], \"dose\": [1e4, 1e5],"
      + " \"R\": [3, 100000]},"
      + " \"methods\": [{\"method\": \"vca-fcls\"}, {\"method\": \"nmf\", \"options\": {\"max-iter\": 60}},"
      + " {\"method\": \"vca-fcls\", \"label\": \"vca-again\"}]}";

  private static StudyRunner.Plan plan() {
    return StudyRunner.plan(StudyFile.parse(STUDY, "small.json", "."));
  }

  private static Path runInto(Path dir, int partitions) throws IOException {
    StudyRunner.Plan plan = plan();
    StudyRunner.Results results = StudyRunner.run(TestSpark.session(), plan, partitions);
    Path out = dir.resolve("p" + partitions);
    Files.createDirectories(out);
    StudyOutput.write(TestSpark.session(), out.toString(), plan, results, StudyOutput.tables(plan, results));
    return out;
  }

  @Test
  void tablesAreTheSameForOneAndEightPartitionsAndFailedUnitsAreRows(@TempDir Path dir) throws IOException {
    Path one = runInto(dir, 1);
    Path eight = runInto(dir, 8);
    // Byte for byte, apart from the columns holding measured seconds.
    for (String table : List.of("cells", "units", "aggregate", "paired")) {
      assertEquals(withoutSeconds(one.resolve(table + ".csv")), withoutSeconds(eight.resolve(table + ".csv")),
          table);
    }
    assertEquals(Files.readString(one.resolve("paired.csv")), Files.readString(eight.resolve("paired.csv")));

    List<Map<String, String>> units = read(one.resolve("units.csv"));
    // Cells: (1e4, R=3), (1e4, R=1e5), (1e5, R=3), (1e5, R=1e5); the R=1e5 cells fail for every unit, as rows.
    List<Map<String, String>> errors = units.stream().filter(u -> u.get("metric").equals("error")).toList();
    assertEquals(2 * 3 * 3, errors.size());
    for (Map<String, String> e : errors) {
      assertEquals("100000", e.get("R"));
      assertTrue(e.get("error").contains("numEndmembers"), e.get("error"));
      assertEquals("", e.get("value"));
    }
    // The other cells are complete: per unit 3 SAD + 3 NMSE + mean_sad + mean_nmse + rmse.
    assertEquals(2 * 3 * 3 * 9, units.size() - errors.size());

    // Every method of one (cell, replicate) has the same seed, the documented unit seed.
    Map<String, String> seeds = new HashMap<>();
    for (Map<String, String> u : units) {
      String key = u.get("cell") + "/" + u.get("replicate");
      String previous = seeds.putIfAbsent(key, u.get("seed"));
      assertTrue(previous == null || previous.equals(u.get("seed")), key);
    }
    assertEquals(12, seeds.size());

    List<Map<String, String>> aggregate = read(one.resolve("aggregate.csv"));
    Map<String, String> failed = aggregate.stream().filter(a -> a.get("cell").equals("1")
        && a.get("method").equals("nmf") && a.get("metric").equals("mean_sad")).findFirst().orElseThrow();
    assertEquals("0", failed.get("count"));
    assertEquals("3", failed.get("failed"));
    assertEquals("", failed.get("rank"));
    // vca-fcls and vca-again: the same method on the same cubes, the same numbers, so the same (lower) rank.
    Map<String, String> vca = row(aggregate, "0", "vca-fcls", "mean_sad");
    Map<String, String> again = row(aggregate, "0", "vca-again", "mean_sad");
    assertEquals(vca.get("mean"), again.get("mean"));
    assertEquals(vca.get("rank"), again.get("rank"));
    assertEquals("3", vca.get("count"));
    double mean = units.stream().filter(u -> u.get("cell").equals("0") && u.get("method").equals("vca-fcls")
        && u.get("metric").equals("mean_sad")).mapToDouble(u -> Double.parseDouble(u.get("value"))).sorted()
        .sum() / 3;
    assertEquals(mean, Double.parseDouble(vca.get("mean")), 0);

    // A method against itself: no difference and no "better".
    Map<String, String> self = read(one.resolve("paired.csv")).stream().filter(p -> p.get("cell").equals("0")
        && p.get("metric").equals("mean_sad") && p.get("method_a").equals("vca-fcls")
        && p.get("method_b").equals("vca-again")).findFirst().orElseThrow();
    assertEquals("3", self.get("n"));
    assertEquals(0.0, Double.parseDouble(self.get("mean_diff")), 0);
    assertEquals("", self.get("better"));
    assertEquals("1.0", self.get("wilcoxon_p"));

    // Examples of replicate 0: truth and every method that succeeded, columns aligned with the truth's names.
    Path cell0 = one.resolve("examples/cell-0000");
    for (String m : List.of("truth", "vca-fcls", "nmf", "vca-again")) {
      List<String> lines = Files.readAllLines(cell0.resolve(m + "-endmembers.csv"));
      assertEquals(Files.readAllLines(cell0.resolve("truth-endmembers.csv")).get(0), lines.get(0), m);
      assertTrue(lines.get(0).startsWith("energy_eV,"), lines.get(0));
      int[] shape = NpyReader.read(cell0.resolve(m + "-maps.npy")).shape();
      assertEquals(List.of(16, 16, 3), List.of(shape[0], shape[1], shape[2]));
    }
    assertTrue(Files.exists(one.resolve("examples/cell-0001/truth-maps.npy")));
    assertTrue(!Files.exists(one.resolve("examples/cell-0001/nmf-maps.npy")));
    assertTrue(Files.isDirectory(one.resolve("units")) && Files.isDirectory(one.resolve("aggregate")));
    String json = Files.readString(one.resolve("study.json"));
    assertTrue(json.contains("\"1e4\"") && json.contains("\"max-iter\" : 60"), json);
    assertNotNull(TestSpark.session().read().parquet(one.resolve("aggregate").toString()).first());
  }

  @Test
  void unknownMethodsAndOptionsAreRefusedBeforeAnyJob() {
    BadInputException m = assertThrows(BadInputException.class, () -> StudyRunner.plan(StudyFile.parse(
        "{\"name\": \"x\", \"grid\": {\"set\": \"co-ru-pt\"}, \"methods\": [{\"method\": \"pca\"}]}", "x", ".")));
    assertTrue(m.getMessage().contains("methods[0].method") && m.getMessage().contains("pca"), m.getMessage());
    BadInputException o = assertThrows(BadInputException.class, () -> StudyRunner.plan(StudyFile.parse(
        "{\"name\": \"x\", \"grid\": {\"set\": \"co-ru-pt\"}, \"methods\": [{\"method\": \"vca-fcls\","
            + " \"options\": {\"nmf-solver\": \"mu\"}}]}", "x", ".")));
    assertTrue(o.getMessage().contains("methods[0].options.nmf-solver") && o.getMessage().contains("nmf"),
        o.getMessage());
    BadInputException v = assertThrows(BadInputException.class, () -> StudyRunner.plan(StudyFile.parse(
        "{\"name\": \"x\", \"grid\": {\"set\": \"co-ru-pt\"}, \"methods\": [{\"method\": \"nmf\","
            + " \"options\": {\"nmf-solver\": \"zz\"}}]}", "x", ".")));
    assertTrue(v.getMessage().contains("methods[0].options.nmf-solver"), v.getMessage());
  }

  private static Map<String, String> row(List<Map<String, String>> rows, String cell, String method, String metric) {
    return rows.stream().filter(a -> a.get("cell").equals(cell) && a.get("method").equals(method)
        && a.get("metric").equals(metric) && a.get("endmember").isEmpty()).findFirst().orElseThrow();
  }

  private static List<Map<String, String>> read(Path csv) throws IOException {
    List<String> header = ResultFiles.readCsv(new java.io.ByteArrayInputStream(
        ("h\n" + Files.readAllLines(csv).get(0) + "\n").getBytes()), csv.toString()).get(0);
    List<Map<String, String>> out = new ArrayList<>();
    for (List<String> r : ResultFiles.readCsv(Files.newInputStream(csv), csv.toString())) {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        m.put(header.get(i), r.get(i));
      }
      out.add(m);
    }
    return out;
  }

  /** The CSV text with the seconds columns emptied. */
  private static String withoutSeconds(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    List<String> header = List.of(lines.get(0).split(","));
    StringBuilder sb = new StringBuilder(lines.get(0)).append('\n');
    for (List<String> r : ResultFiles.readCsv(Files.newInputStream(csv), csv.toString())) {
      List<String> kept = new ArrayList<>(r);
      for (int i = 0; i < header.size(); i++) {
        if (header.get(i).startsWith("seconds")) {
          kept.set(i, "");
        }
      }
      sb.append(String.join(",", kept)).append('\n');
    }
    return sb.toString();
  }
}
