package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HspyReaderTest {
  @TempDir
  Path dir;

  private static Path hspy(String name) {
    return RippleReaderTest.sharedData().resolve("hspy").resolve(name);
  }

  /** One row of the README's table. */
  private record Expected(String file, int pixels, double navScale, String navUnits, int channels, double offset,
      double scale, double sum, double first, String beamEnergy, String title) {}

  @Test
  void readsEverySharedHspyFileAsTheReadmeSays() throws IOException {
    Expected[] rows = {
        new Expected("LSMO_STO_linescan.hspy", 10, 3.15224, "nm", 512, 395, 1, 7.09988e+08, 378574, "200.0",
            "EELS Spectrum Image (high-loss)"),
        new Expected("LSMO_STO_linescan_low_loss.hspy", 10, 3.15224, "nm", 512, -50, 1, 1.67579e+07, 430.399,
            "200.0", "EELS Spectrum Image (low-loss)"),
        new Expected("LSMO_linescan.hspy", 40, 0.00321902, "µm", 586, 428.5, 0.5, 4.26172e+09, 210323, "80.0",
            "EELS Spectrum Image (high-loss)")};
    for (Expected x : rows) {
      SpectralFile s = HspyReader.read(hspy(x.file()));
      String what = x.file() + ": ";
      assertEquals("hspy", s.format(), what);
      assertEquals("float32", s.dtype(), what);
      assertArrayEquals(new long[] {x.pixels(), x.channels()}, s.shape(), what);
      assertEquals(1, s.image().height(), what + "a line scan is one row");
      assertEquals(x.pixels(), s.image().width(), what);
      assertEquals(x.file().replace(".hspy", ""), s.image().id(), what);
      EnergyAxis e = s.image().axis();
      assertEquals(x.channels(), e.channels(), what);
      assertEquals(x.offset(), e.offset(), 1e-9, what);
      assertEquals(x.scale(), e.scale(), 1e-12, what);
      assertEquals("eV", e.units(), what);
      // The README prints six significant digits.
      assertEquals(x.navScale(), s.navigationScale(), 1e-5 * x.navScale(), what);
      assertEquals(x.navUnits(), s.navigationUnits(), what);
      assertEquals(0.0, Double.parseDouble(s.metadata().get("navigation.x.offset")), 0.0, what + "x offset");
      assertEquals(s.navigationScale(), Double.parseDouble(s.metadata().get("navigation.x.scale")), 0.0, what);
      assertEquals(x.navUnits(), s.metadata().get("navigation.x.units"), what);
      assertTrue(!s.metadata().containsKey("navigation.y.scale"), what + "a line scan has no y axis");
      double sum = 0;
      for (float v : s.image().data()) {
        sum += v;
      }
      assertEquals(x.sum(), sum, 1e-5 * x.sum(), what + "sum");
      assertEquals(x.first(), s.image().data()[0], 1e-5 * x.first(), what + "first value");
      assertEquals("EELS", s.metadata().get("Signal.signal_type"), what);
      assertEquals(x.beamEnergy(), s.metadata().get("Acquisition_instrument.TEM.beam_energy"), what);
      assertEquals(x.title(), s.metadata().get("General.title"), what);
      assertTrue(s.metadata().keySet().stream().noneMatch(k -> k.startsWith("_")), what + "no private keys");
    }
  }

  /**
   * jHDF 0.13's writer misplaces a subgroup that sorts before a dataset in the same group, so it cannot write the
   * HyperSpy layout ({@code axis-0} beside {@code data}); files it can write test the structural refusals, and
   * {@link HspyLayoutTest} tests the axis logic on its own.
   */
  private Path writeBare(String name, Object data) {
    Path f = dir.resolve(name + ".hspy");
    try (WritableHdfFile h = HdfFile.write(f)) {
      WritableGroup exp = h.putGroup("Experiments").putGroup(name);
      if (data != null) {
        exp.putDataset("data", data);
      } else {
        exp.putGroup("metadata").putAttribute("title", name);
      }
    }
    return f;
  }

  private void assertRefused(Path f, String... words) {
    BadInputException e = assertThrows(BadInputException.class, () -> HspyReader.read(f));
    assertEquals(f.toString(), e.source(), e.getMessage());
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "'" + e.getMessage() + "' should say '" + w + "'");
    }
  }

  @Test
  void refusesHyperSpyFilesWithoutDataOrAxesOrNumbers() {
    assertRefused(writeBare("noaxes", new float[2][3]), "no axis-0 group");
    assertRefused(writeBare("nodata", null), "has no 'data' array");
    assertRefused(writeBare("strings", new String[] {"a", "b"}), "only integer or floating-point");
  }

  @Test
  void truncatedOrForeignFilesAreRefusedNamingTheFile() throws IOException {
    byte[] whole = Files.readAllBytes(hspy("LSMO_STO_linescan.hspy"));
    // Cut inside the superblock, the object headers, the chunk index and the last data chunk.
    for (int length : new int[] {0, 7, 100, 1000, 4000, whole.length / 2, whole.length - 1000, whole.length - 1}) {
      Path cut = dir.resolve("cut" + length + ".hspy");
      Files.write(cut, Arrays.copyOf(whole, length));
      // Below the superblock's 48 bytes there is no HDF5 signature; above, the recorded file length is larger.
      assertRefused(cut, length < 48 ? "HDF5" : "truncated");
    }
    Path text = dir.resolve("notes.hspy");
    Files.writeString(text, "this is not an HDF5 file\n".repeat(40));
    assertRefused(text);
    assertRefused(dir.resolve("absent.hspy"), "no such file");
    Path plainHdf = dir.resolve("plain.h5");
    try (WritableHdfFile h = HdfFile.write(plainHdf)) {
      h.putDataset("x", new double[] {1, 2});
    }
    assertRefused(plainHdf, "not a HyperSpy one");
  }

  @Test
  void corruptBytesAnywhereGiveReadableDataOrBadInputNamingTheFile() throws IOException {
    byte[] whole = Files.readAllBytes(hspy("LSMO_STO_linescan.hspy"));
    Path f = dir.resolve("corrupt.hspy");
    int refused = 0;
    int tried = 0;
    // Overwrite a 64-byte window at 50 places: superblock, object headers, B-trees, heaps, compressed chunks.
    for (int pos = 0; pos < whole.length; pos += whole.length / 50) {
      byte[] c = whole.clone();
      Arrays.fill(c, pos, Math.min(c.length, pos + 64), (byte) 0xA5);
      Files.write(f, c);
      tried++;
      try {
        HspyReader.read(f);
      } catch (BadInputException e) {
        assertEquals(f.toString(), e.source(), e.getMessage());
        refused++;
      }
      // Anything else (IndexOutOfBounds, HdfException, BufferUnderflow...) escapes and fails the test.
    }
    // Most of the file is deflated data chunks, where a damaged window cannot inflate.
    assertTrue(refused > tried / 3, refused + " of " + tried + " corrupt copies refused");
  }
}
