package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RippleWriterTest {
  @TempDir
  Path dir;

  /** Random counts plus the awkward floats: negative zero, subnormals, the largest float, a ninth of a count. */
  private static SpectrumImage image(String id, EnergyAxis axis, int h, int w, long seed) {
    Random r = new Random(seed);
    float[] data = new float[h * w * axis.channels()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (r.nextGaussian() * 1e4);
    }
    float[] odd = {-0.0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3, Float.MAX_VALUE, 1f / 9f, -Float.MAX_VALUE};
    System.arraycopy(odd, 0, data, 0, Math.min(odd.length, data.length));
    return new SpectrumImage(id, h, w, axis, data);
  }

  private static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  @Test
  void writeThenReadIsBitIdenticalForBothTypes() throws IOException {
    // 0.1 and 1/3 have no short binary expansion: the header must still carry them exactly.
    EnergyAxis axis = new EnergyAxis(-12.345678901234567, 1.0 / 3.0, "eV", 37);
    for (String dtype : List.of("float32", "float64")) {
      for (int[] hw : new int[][] {{4, 5}, {1, 7}, {1, 1}}) {
        SpectrumImage im = image("si " + dtype, axis, hw[0], hw[1], 17 * hw[0] + hw[1]);
        Path rpl = dir.resolve(dtype + "_" + hw[0] + "x" + hw[1] + ".rpl");
        RippleWriter.write(rpl, im, dtype);
        SpectralFile s = RippleReader.read(rpl);
        String what = dtype + " " + hw[0] + "x" + hw[1];
        assertEquals(dtype, s.dtype(), what);
        assertEquals(axis, s.image().axis(), what);
        assertEquals(hw[0], s.image().height(), what);
        assertEquals(hw[1], s.image().width(), what);
        assertArrayEquals(bits(im.data()), bits(s.image().data()), what);
        assertEquals("EELS", s.metadata().get("Signal.signal_type"), what);
        assertEquals("si " + dtype, s.metadata().get("General.title"), what);
        long valueBytes = dtype.equals("float32") ? 4 : 8;
        assertEquals(valueBytes * im.data().length, Files.size(dir.resolve(RippleReader.baseName(rpl) + ".raw")));
      }
    }
  }

  @Test
  void rawFileIsLittleEndianSpectrumBySpectrum() throws IOException {
    float[] data = {1.5f, -2f, 3f, 4f, 5f, 6f};
    SpectrumImage im = new SpectrumImage("a", 1, 2, EnergyAxis.ofEv(0, 1, 3), data);
    Path rpl = dir.resolve("a.rpl");
    RippleWriter.write(rpl, im, "float64");
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("a.raw"))).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : data) {
      assertEquals(v, b.getDouble(), 0.0);
    }
    String header = Files.readString(rpl);
    assertTrue(header.contains("record-by\tvector\n"), header);
    assertTrue(header.contains("byte-order\tlittle-endian\n"), header);
    assertTrue(header.contains("ev-per-chan\t1.0\n"), header);
  }

  @Test
  void overwritesAndLeavesNoTemporaryFiles() throws IOException {
    Path rpl = dir.resolve("over.rpl");
    RippleWriter.write(rpl, image("big", EnergyAxis.ofEv(100, 0.5, 50), 3, 3, 1), "float64");
    SpectrumImage small = image("small", EnergyAxis.ofEv(5, 2, 4), 1, 2, 2);
    RippleWriter.write(rpl, small, "float32");
    assertArrayEquals(bits(small.data()), bits(RippleReader.read(rpl).image().data()));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("over.raw", "over.rpl"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void refusesOtherTypesAndNames() {
    SpectrumImage im = image("x", EnergyAxis.ofEv(0, 1, 2), 1, 1, 3);
    Path rpl = dir.resolve("x.rpl");
    BadInputException e = assertThrows(BadInputException.class, () -> RippleWriter.write(rpl, im, "int16"));
    assertEquals(rpl.toString(), e.source());
    assertTrue(e.getMessage().contains("float32 or float64"), e.getMessage());
    Path wrongName = dir.resolve("x.raw");
    e = assertThrows(BadInputException.class, () -> RippleWriter.write(wrongName, im, "float32"));
    assertTrue(e.getMessage().contains(".rpl"), e.getMessage());
  }
}
