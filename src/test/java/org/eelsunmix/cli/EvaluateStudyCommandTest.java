package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate --study FILE}: the folder, the compact table, and bad study files as one-line errors (exit 2). */
class EvaluateStudyCommandTest {

  @Test
  void studyFileRunsAndPrintsTheCompactTable(@TempDir Path dir) throws Exception {
    Path study = dir.resolve("s.json");
    Files.writeString(study, "{\"name\": \"cli\", \"replicates\": 2, \"grid\": {\"set\": [\"k-edges\"], "
        + "\"size\": [16], \"block\": [4], \"filter\": [3]}, \"methods\": [{\"method\": \"vca-fcls\"}, "
        + "{\"method\": \"ica\"}]}");
    String out = dir.resolve("out").toString();
    CliTestSupport.Run run = CliTestSupport.run("evaluate", "--study", study.toString(), "--out", out);
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("mean SAD (rad)") && run.out().contains("s/unit"), run.out());
    assertTrue(run.out().contains("vca-fcls") && run.out().contains("ica"), run.out());
    assertTrue(run.out().contains("wrote " + out), run.out());
    for (String f : new String[] {"study.json", "cells.csv", "units.csv", "aggregate.csv", "paired.csv",
        "examples/cell-0000/truth-maps.npy", "examples/cell-0000/ica-endmembers.csv", "_config.properties"}) {
      assertTrue(Files.exists(Path.of(out, f)), f);
    }
    assertEquals("cell,set,size,block,filter,label", Files.readAllLines(Path.of(out, "cells.csv")).get(0));
    // The study report comes with the study, and a browser shows every chart and map of it with data.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("report: (\\S+index.html) \\((\\d+) images\\)")
        .matcher(run.out());
    assertTrue(m.find(), run.out());
    assertEquals(Path.of(out, "report/index.html").toString(), m.group(1));
    org.eelsunmix.report.BrowserCheck.everyImageLoadsWithData(Path.of(m.group(1)), Integer.parseInt(m.group(2)),
        dir);

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"name\": \"b\", \"grid\": {\"set\": \"co-ru-pt\", \"wobble\": 1}, "
        + "\"methods\": [{\"method\": \"nmf\"}]}");
    CliTestSupport.Run refused = CliTestSupport.run("evaluate", "--study", bad.toString(), "--out",
        dir.resolve("b").toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("grid.wobble"), refused.err());
    assertTrue(!Files.exists(dir.resolve("b")));
  }

  /** --replicates and --method narrow a study file; a synthetic setting on the command line is refused. */
  @Test
  void theCommandLineNarrowsAStudyButDoesNotChangeItsCells(@TempDir Path dir) throws Exception {
    Path study = dir.resolve("s.json");
    Files.writeString(study, "{\"name\": \"narrow\", \"replicates\": 5, \"grid\": {\"set\": [\"co-ru-pt\"], "
        + "\"size\": [16], \"block\": [4], \"filter\": [3]}, \"methods\": [{\"method\": \"vca-fcls\"}, "
        + "{\"method\": \"nmf\", \"label\": \"nmf-mu\", \"options\": {\"nmf-solver\": \"mu\"}}]}");
    String out = dir.resolve("out").toString();
    CliTestSupport.Run run = CliTestSupport.run("evaluate", "--study", study.toString(), "--replicates", "2",
        "--method", "nmf-mu", "--out", out);
    assertEquals(0, run.code(), run.err());
    java.util.List<String> units = Files.readAllLines(Path.of(out, "units.csv"));
    assertTrue(units.stream().skip(1).allMatch(l -> l.contains(",nmf-mu,")), units.get(1));
    assertEquals(2, units.stream().skip(1).map(l -> l.split(",")[6]).distinct().count(), "replicates 0 and 1");
    CliErrorsTest.assertRefused(CliTestSupport.run("evaluate", "--study", study.toString(), "--dose", "1e3",
        "--out", dir.resolve("b").toString()), "--dose", "study file");
    CliErrorsTest.assertRefused(CliTestSupport.run("evaluate", "--study", study.toString(), "--method", "ica",
        "--out", dir.resolve("b").toString()), "--method", "'ica' is not a method of study narrow");
  }

  /**
   * The same study on local[1] (a child JVM: one SparkContext per JVM) and on the tests' local[2] gives the same
   * aggregate and paired tables, byte for byte once the measured seconds are left out.
   */
  @Test
  void localOneAndLocalTwoGiveTheSameTables(@TempDir Path dir) throws Exception {
    Path study = dir.resolve("s.json");
    Files.writeString(study, "{\"name\": \"threads\", \"replicates\": 3, \"grid\": {\"set\": [\"co-ru-pt\"], "
        + "\"size\": [16], \"block\": [4], \"filter\": [3, 5]}, \"methods\": [{\"method\": \"vca-fcls\"}, "
        + "{\"method\": \"ica\"}]}");
    Path two = dir.resolve("two");
    assertEquals(0, CliTestSupport.run("evaluate", "--study", study.toString(), "--out", two.toString()).code());
    Path one = dir.resolve("one");
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(Path.of(System.getProperty("java.home"),
        "bin", "java").toString(), "-Xmx1g"));
    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Dlog4j2"))
        .forEach(cmd::add);
    cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), "org.eelsunmix.cli.Main", "evaluate",
        "--study", study.toString(), "--out", one.toString(), "--master", "local[1]"));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log")
        .toFile()).start();
    try {
      assertTrue(child.waitFor(240, java.util.concurrent.TimeUnit.SECONDS), "the local[1] run did not finish");
    } finally {
      child.destroyForcibly();
    }
    assertEquals(0, child.exitValue(), Files.readString(dir.resolve("child.log")));
    assertEquals(withoutSeconds(two.resolve("aggregate.csv")), withoutSeconds(one.resolve("aggregate.csv")));
    assertEquals(Files.readString(two.resolve("paired.csv")), Files.readString(one.resolve("paired.csv")));
  }

  /** A table's lines with its {@code seconds*} columns emptied (measured, so never the same twice). */
  private static java.util.List<String> withoutSeconds(Path csv) throws Exception {
    java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
    java.util.List<String> header;
    try (java.io.InputStream in = Files.newInputStream(csv)) {
      var records = org.eelsunmix.io.CsvText.readRecords(in, csv.toString(), java.util.List.of());
      header = records.isEmpty() ? java.util.List.of() : records.get(0).getParser().getHeaderNames();
      for (var r : records) {
        java.util.List<String> row = new java.util.ArrayList<>();
        for (String h : header) {
          row.add(h.startsWith("seconds") ? "" : r.get(h));
        }
        rows.add(row);
      }
    }
    assertTrue(rows.size() > 4, csv + " holds the study's rows");
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add(String.join(",", header));
    rows.forEach(r -> out.add(String.join(",", r)));
    return out;
  }
}
