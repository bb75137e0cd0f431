package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.io.Msa;
import org.eelsunmix.io.MsaSpectrum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndmemberSetTest {
  @TempDir
  Path dir;

  /** The shipped files (classpath copy and source folder) must equal the physics, so they never drift. */
  @Test
  void shippedFilesEqualThePhysics() {
    for (String name : BuiltinEndmembers.NAMES) {
      Endmembers physics = BuiltinEndmembers.compute(name);
      assertSame(physics, EndmemberSet.builtin(name), name + " (classpath)");
      assertSame(physics, EndmemberSet.fromFolder(Path.of("data-samples/endmembers", name)), name + " (folder)");
    }
  }

  private static void assertSame(Endmembers expected, Endmembers actual, String what) {
    assertEquals(expected.axis(), actual.axis(), what);
    assertEquals(expected.names(), actual.names(), what);
    for (int r = 0; r < expected.count(); r++) {
      double[] e = expected.spectrum(r);
      double[] a = actual.spectrum(r);
      for (int b = 0; b < e.length; b++) {
        // Double.toString round-trips, so the files hold the model to the last bit; allow 1e-12 for safety.
        assertEquals(e[b], a[b], 1e-12 * Math.abs(e[b]), what + " endmember " + r + " channel " + b);
      }
    }
  }

  @Test
  void builtinSetsHaveTheDocumentedShape() {
    Endmembers co = EndmemberSet.builtin("co-ru-pt");
    assertEquals(List.of("Co", "Ru", "Pt"), co.names());
    assertEquals(EnergyAxis.ofEv(200.0, 3.33, 200), co.axis());
    Endmembers k = EndmemberSet.builtin("k-edges");
    assertEquals(List.of("amorphous C", "h-BN", "Al2O3", "LiF"), k.names());
    assertEquals(EnergyAxis.ofEv(150.0, 1.0, 903), k.axis());
    for (Endmembers set : List.of(co, k)) {
      for (int r = 0; r < set.count(); r++) {
        double sum = 0;
        for (double v : set.spectrum(r)) {
          assertTrue(v > 0);
          sum += v;
        }
        assertEquals(1.0, sum, 1e-12, "unit sum");
      }
    }
  }

  @Test
  void edgesSitAtTheirTabulatedEnergies() {
    Endmembers co = BuiltinEndmembers.compute("co-ru-pt");
    EnergyAxis axis = co.axis();
    double[] cobalt = co.spectrum(0);
    // White lines: local maxima in the channels of Co-L3 (779 eV) and Co-L2 (794 eV), L3 the stronger.
    int l3 = axis.channelOf(779);
    int l2 = axis.channelOf(794);
    assertTrue(cobalt[l3] > cobalt[l3 - 1] && cobalt[l3] > cobalt[l3 + 1]);
    assertTrue(cobalt[l2] > cobalt[l2 - 1] && cobalt[l2] > cobalt[l2 + 1]);
    assertTrue(cobalt[l3] > 3 * cobalt[axis.channelOf(760)], "a strong L3 white line");
    // Pt: a pure power law, decreasing everywhere.
    double[] pt = co.spectrum(2);
    for (int b = 1; b < pt.length; b++) {
      assertTrue(pt[b] < pt[b - 1]);
    }
    // Ru: a delayed edge, so the spectrum falls until just after 279 eV and has its hump well above it.
    double[] ru = co.spectrum(1);
    int min = 0;
    int hump = 0;
    for (int b = 1; b < axis.channelOf(400); b++) {
      if (ru[b] < ru[b - 1] && ru[b] <= ru[b + 1]) {
        min = b;
      }
      if (ru[b] > ru[b - 1] && ru[b] >= ru[b + 1]) {
        hump = b;
      }
    }
    assertTrue(Math.abs(axis.energy(min) - 285) < 10, "Ru minimum at " + axis.energy(min));
    assertTrue(axis.energy(hump) > 300 && axis.energy(hump) < 360, "Ru hump at " + axis.energy(hump));

    Endmembers k = BuiltinEndmembers.compute("k-edges");
    double[][] edges = {{284}, {188, 401}, {532}, {685}};
    for (int r = 0; r < k.count(); r++) {
      double[] s = k.spectrum(r);
      for (double e : edges[r]) {
        double before = s[k.axis().channelOf(e - 3)];
        double after = s[k.axis().channelOf(e + 3)];
        assertTrue(after > 1.8 * before, k.names().get(r) + " edge at " + e + ": " + before + " → " + after);
      }
    }
  }

  @Test
  void unknownSetNamesTheOptionAndTheKnownSets() {
    BadInputException e = assertThrows(BadInputException.class, () -> EndmemberSet.builtin("co-ru"));
    assertEquals("set", e.source());
    assertTrue(e.getMessage().contains("'co-ru'") && e.getMessage().contains("co-ru-pt, k-edges"),
        e.getMessage());
    assertEquals(List.of("co-ru-pt", "k-edges"), EndmemberSet.builtinNames());
  }

  @Test
  void readsAUserFolderInFileNameOrder() throws IOException {
    EnergyAxis axis = EnergyAxis.ofEv(100, 2, 4);
    Msa.write(dir.resolve("b-second.msa"), new MsaSpectrum("second", axis, new double[] {5, 6, 7, 8}));
    Msa.write(dir.resolve("a-first.MSA"), new MsaSpectrum("", axis, new double[] {1, 2, 3, 4}));
    Files.writeString(dir.resolve("notes.txt"), "not a spectrum");
    Endmembers e = EndmemberSet.fromFolder(dir);
    assertEquals(List.of("a-first", "second"), e.names(), "an empty title falls back to the file name");
    assertEquals(axis, e.axis());
    assertEquals(1.0, e.spectrum(0)[0]);
    assertEquals(8.0, e.spectrum(1)[3]);
  }

  @Test
  void userFolderErrorsNameTheFileOrFolder() throws IOException {
    BadInputException empty = assertThrows(BadInputException.class, () -> EndmemberSet.fromFolder(dir));
    assertEquals(dir.toString(), empty.source());
    assertTrue(empty.getMessage().contains("no .msa files"), empty.getMessage());

    Path missing = dir.resolve("missing");
    BadInputException none = assertThrows(BadInputException.class, () -> EndmemberSet.fromFolder(missing));
    assertEquals(missing.toString(), none.source());

    Msa.write(dir.resolve("1.msa"), new MsaSpectrum("a", EnergyAxis.ofEv(100, 2, 4), new double[4]));
    Path other = dir.resolve("2.msa");
    Msa.write(other, new MsaSpectrum("b", EnergyAxis.ofEv(100, 2.5, 4), new double[4]));
    BadInputException axis = assertThrows(BadInputException.class, () -> EndmemberSet.fromFolder(dir));
    assertEquals(other.toString(), axis.source());
    assertTrue(axis.getMessage().contains("1.msa") && axis.getMessage().contains("one energy axis"),
        axis.getMessage());

    Files.writeString(other, "#FORMAT : EMSA/MAS Spectral Data File\n");
    BadInputException broken = assertThrows(BadInputException.class, () -> EndmemberSet.fromFolder(dir));
    assertEquals(other.toString(), broken.source());
  }
}
