package org.eelsunmix.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/** Study files: parsing, the documented grid order and seeds, and the errors that name the key at fault. */
class StudyGridTest {
  private static final String GRID = "{\"name\": \"t\", \"seed\": 7, \"replicates\": 2,"
      + " \"grid\": {\"set\": [\"co-ru-pt\", \"k-edges\"], \"dose\": [1e5, 2.5e3, \"Infinity\"], \"filter\": 3,"
      + " \"size\": [16], \"block\": [4]},"
      + " \"methods\": [{\"method\": \"vca-fcls\"}, {\"method\": \"nmf\", \"label\": \"nmf-mu\","
      + " \"options\": {\"nmf-solver\": \"mu\", \"max-iter\": 50}}]}";

  @Test
  void gridExpandsInFileOrderLastAxisFastestWithValuesAsWritten() {
    StudyDefinition d = StudyFile.parse(GRID, "t.json", ".");
    assertEquals(List.of("set", "dose", "filter", "size", "block"), d.axes());
    assertEquals(List.of("1e5", "2.5e3", "Infinity"), d.grid().get("dose"));
    List<StudyCell> cells = StudyGrid.cells(d);
    assertEquals(6, cells.size());
    String[][] expected = {{"co-ru-pt", "1e5"}, {"co-ru-pt", "2.5e3"}, {"co-ru-pt", "Infinity"}, {"k-edges", "1e5"},
        {"k-edges", "2.5e3"}, {"k-edges", "Infinity"}};
    for (int c = 0; c < 6; c++) {
      assertEquals(c, cells.get(c).index());
      assertEquals(expected[c][0], cells.get(c).values().get("set"));
      assertEquals(expected[c][1], cells.get(c).values().get("dose"));
      assertEquals("set=" + expected[c][0] + " dose=" + expected[c][1], cells.get(c).label());
    }
    SyntheticGenerator.Options o = cells.get(1).options();
    assertEquals(2500.0, o.dose(), 0);
    assertEquals(3, o.filter());
    assertEquals(16, o.size());
    assertTrue(cells.get(2).options().noiseFree());
    assertEquals(3, cells.get(0).endmembers()); // R defaults to the set's count
    assertEquals(4, cells.get(3).endmembers());
    assertEquals("nmf-mu", d.methods().get(1).label());
    assertEquals("mu", d.methods().get(1).options().get("nmf-solver"));
    assertEquals(50L, d.methods().get(1).options().get("max-iter"));
  }

  @Test
  void seedsFollowTheDocumentedSplitMixDerivationAndNotTheMethod() {
    StudyDefinition d = StudyFile.parse(GRID, "t.json", ".");
    List<StudyCell> cells = StudyGrid.cells(d);
    long gamma = 0x9E3779B97F4A7C15L;
    for (int c = 0; c < cells.size(); c++) {
      long cellSeed = SyntheticGenerator.mix64(7 + (c + 1) * gamma);
      assertEquals(cellSeed, cells.get(c).options().seed());
      for (int r = 0; r < 3; r++) {
        assertEquals(SyntheticGenerator.mix64(cellSeed + (r + 1) * gamma), cells.get(c).unitSeed(r));
      }
    }
    // The same file expands to the same cells, seeds and protocols.
    assertEquals(cells, StudyGrid.cells(StudyFile.parse(GRID, "t.json", ".")));
  }

  @Test
  void rAxisAndUnknownSettingsAndStructuralErrorsNameTheKey() {
    StudyDefinition r = StudyFile.parse("{\"name\": \"r\", \"grid\": {\"set\": \"co-ru-pt\", \"R\": [2, 4]},"
        + " \"methods\": [{\"method\": \"vca-fcls\"}]}", "r.json", ".");
    assertEquals(20, r.replicates());
    assertEquals(1, r.seed());
    List<StudyCell> cells = StudyGrid.cells(r);
    assertEquals(List.of(2, 4), cells.stream().map(StudyCell::endmembers).toList());
    assertEquals("R=2", cells.get(0).label());

    assertMessage("grid.wobble", () -> StudyGrid.cells(StudyFile.parse("{\"name\": \"x\", \"grid\": {\"set\": "
        + "\"co-ru-pt\", \"wobble\": [1]}, \"methods\": [{\"method\": \"nmf\"}]}", "x.json", ".")));
    assertMessage("grid.dose", () -> StudyFile.parse("{\"name\": \"x\", \"grid\": {\"set\": \"co-ru-pt\", "
        + "\"dose\": []}, \"methods\": [{\"method\": \"nmf\"}]}", "x.json", "."));
    assertMessage("replicates", () -> StudyFile.parse("{\"name\": \"x\", \"replicates\": 0, \"grid\": {\"set\": "
        + "\"co-ru-pt\"}, \"methods\": [{\"method\": \"nmf\"}]}", "x.json", "."));
    assertMessage("grid.set", () -> StudyGrid.cells(StudyFile.parse("{\"name\": \"x\", \"grid\": {\"set\": "
        + "\"no-such-set\"}, \"methods\": [{\"method\": \"nmf\"}]}", "x.json", ".")));
    assertMessage("grid.seed", () -> StudyFile.parse("{\"name\": \"x\", \"grid\": {\"set\": \"co-ru-pt\", "
        + "\"seed\": [1, 2]}, \"methods\": [{\"method\": \"nmf\"}]}", "x.json", "."));
    assertMessage("methods[1].label", () -> StudyFile.parse("{\"name\": \"x\", \"grid\": {\"set\": \"co-ru-pt\"},"
        + " \"methods\": [{\"method\": \"nmf\"}, {\"method\": \"nmf\"}]}", "x.json", "."));
  }

  @Test
  void theShippedStudyFilesParseAndExpand() {
    StudyDefinition paper = StudyFile.read(Path.of("conf/studies/paper.json"));
    assertEquals(20, paper.replicates());
    assertEquals(2, StudyGrid.cells(paper).size());
    StudyDefinition quick = StudyFile.read(Path.of("conf/studies/paper-quick.json"));
    assertTrue(quick.note().contains("shortened"));
    assertEquals(2, StudyGrid.cells(quick).size());
    // robustness.json uses the harder-data settings (map, shift_drift) of SyntheticGenerator.Options.with.
    StudyDefinition robust = StudyFile.read(Path.of("conf/studies/robustness.json"));
    assertEquals(200, robust.replicates());
    List<StudyCell> cells = StudyGrid.cells(robust);
    assertEquals(16, cells.size());
    assertEquals("dose=1e2 map=chequerboard shift_drift=0", cells.get(0).label());
    assertEquals("dose=1e5 map=layers shift_drift=2", cells.get(15).label());
    assertEquals(100.0, cells.get(0).options().dose());
    assertEquals(SyntheticGenerator.Options.builtin("co-ru-pt").with("map", "layers").with("shift_drift", "2")
        .with("dose", "1e5").scene(), cells.get(15).options().scene());
    assertEquals(2.0, cells.get(15).options().variability().shiftDrift());
  }

  private static void assertMessage(String key, org.junit.jupiter.api.function.Executable e) {
    BadInputException x = assertThrows(BadInputException.class, e);
    assertTrue(x.getMessage().contains(key), x.getMessage());
  }
}
