package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RippleReaderTest {
  @TempDir
  Path dir;

  static Path sharedData() {
    return Path.of(System.getProperty("eelsunmix.shared.data", "../shared/data"));
  }

  /** The README's table: every shared Ripple pair is HyperSpy's 2 × 3 × 4 test cube holding 0, 1, ..., 23. */
  @Test
  void readsEverySharedRippleFileAsTheReadmeSays() throws IOException {
    List<String[]> files = List.of(
        new String[] {"test_ripple_sdim-1_ndim-2_float32", "float32"},
        new String[] {"test_ripple_sdim-1_ndim-2_float32_meta", "float32"},
        new String[] {"test_ripple_sdim-1_ndim-2_float64", "float64"},
        new String[] {"test_ripple_sdim-1_ndim-2_float64_meta", "float64"},
        new String[] {"test_ripple_sdim-1_ndim-2_int32", "int32"},
        new String[] {"test_ripple_sdim-1_ndim-2_int32_meta", "int32"},
        new String[] {"test_ripple_sdim-1_ndim-2_uint16", "uint16"},
        new String[] {"test_ripple_sdim-1_ndim-2_uint16_meta", "uint16"});
    for (String[] f : files) {
      Path rpl = sharedData().resolve("ripple").resolve(f[0] + ".rpl");
      SpectralFile s = RippleReader.read(rpl);
      String what = f[0] + ": ";
      assertEquals("ripple", s.format(), what);
      assertEquals(f[1], s.dtype(), what);
      assertArrayEquals(new long[] {2, 3, 4}, s.shape(), what);
      SpectrumImage im = s.image();
      assertEquals(f[0], im.id(), what);
      assertEquals(2, im.height(), what + "height = README axis '1' (size 2)");
      assertEquals(3, im.width(), what + "width = README axis '2' (size 3)");
      assertEquals(new EnergyAxis(1.5, 300, "eV", 4), im.axis(), what);
      // x is the README's axis '2': offset 1, scale 200 m.
      assertEquals(200.0, s.navigationScale(), 0.0, what);
      assertEquals("m", s.navigationUnits(), what);
      // README: axis '1' (y) size 2, offset 0.5, scale 100 m; axis '2' (x) size 3, offset 1, scale 200 m.
      assertEquals(0.5, Double.parseDouble(s.metadata().get("navigation.y.offset")), 0.0, what);
      assertEquals(100.0, Double.parseDouble(s.metadata().get("navigation.y.scale")), 0.0, what);
      assertEquals("m", s.metadata().get("navigation.y.units"), what);
      assertEquals(1.0, Double.parseDouble(s.metadata().get("navigation.x.offset")), 0.0, what);
      assertEquals(200.0, Double.parseDouble(s.metadata().get("navigation.x.scale")), 0.0, what);
      assertEquals("m", s.metadata().get("navigation.x.units"), what);
      double sum = 0;
      for (float v : im.data()) {
        sum += v;
      }
      assertEquals(276.0, sum, 276e-5, what + "sum");
      assertEquals(0.0f, im.data()[0], what + "first value");
      // The bytes are 0..23 in file order, spectrum by spectrum: pixel (y, x) channel c holds (3y + x)·4 + c.
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 3; x++) {
          assertArrayEquals(new double[] {12 * y + 4 * x, 12 * y + 4 * x + 1, 12 * y + 4 * x + 2, 12 * y + 4 * x + 3},
              im.spectrum(y, x), what + "pixel " + y + "," + x);
        }
      }
      assertEquals("EELS", s.metadata().get("Signal.signal_type"), what);
      if (f[0].endsWith("_meta")) {
        assertEquals("100.0", s.metadata().get("Acquisition_instrument.TEM.beam_energy"), what);
        assertEquals("Test title", s.metadata().get("General.title"), what);
        assertEquals("10.0", s.metadata().get("Acquisition_instrument.TEM.Detector.EELS.collection_angle"), what);
      } else {
        assertFalse(s.metadata().containsKey("General.title"), what + "empty title is not metadata");
      }
    }
  }

  /** Writes an .rpl with the given header lines and a .raw with the given bytes; returns the .rpl. */
  private Path pair(String name, String header, byte[] raw) throws IOException {
    Path rpl = dir.resolve(name + ".rpl");
    Files.writeString(rpl, header, StandardCharsets.UTF_8);
    if (raw != null) {
      Files.write(dir.resolve(name + ".raw"), raw);
    }
    return rpl;
  }

  private static String header(int w, int h, int d, int offset, String type, int length, String order,
      String recordBy) {
    return String.format("; test\nwidth %d\nHEIGHT\t%d\ndepth\t%d\noffset\t%d\ndata-type\t%s\ndata-length\t%d\n"
        + "byte-order\t%s\nrecord-by\t%s\ndepth-origin\t-10.5\ndepth-scale\t0.25\ndepth-units\teV\n"
        + "width-scale\t2.5\nwidth-units\tnm\n", w, h, d, offset, type, length, order, recordBy);
  }

  /** Values v(y, x, c) = 30·y + 10·x + c - 7 (within int8; negative ones test sign handling). */
  private static double expected(int y, int x, int c) {
    return 30 * y + 10 * x + c - 7;
  }

  private static byte[] cube(int h, int w, int d, int offset, String dtype, ByteOrder order, boolean byImage) {
    int size = switch (dtype) {
      case "int8", "uint8" -> 1;
      case "int16", "uint16" -> 2;
      case "int32", "uint32", "float32" -> 4;
      default -> 8;
    };
    ByteBuffer b = ByteBuffer.allocate(offset + h * w * d * size).order(order);
    for (int i = 0; i < offset; i++) {
      b.put((byte) 0x5A);
    }
    int n = h * w * d;
    for (int k = 0; k < n; k++) {
      int y;
      int x;
      int c;
      if (byImage) {
        c = k / (h * w);
        y = (k % (h * w)) / w;
        x = k % w;
      } else {
        c = k % d;
        y = k / d / w;
        x = k / d % w;
      }
      double v = expected(y, x, c);
      if (dtype.startsWith("uint")) {
        v += 7; // keep unsigned values non-negative
      }
      switch (dtype) {
        case "int8", "uint8" -> b.put((byte) v);
        case "int16", "uint16" -> b.putShort((short) v);
        case "int32", "uint32" -> b.putInt((int) v);
        case "float32" -> b.putFloat((float) v);
        default -> b.putDouble(v);
      }
    }
    return b.array();
  }

  @Test
  void decodesEveryTypeByteOrderAndLayout() throws IOException {
    String[][] types = {{"signed", "1", "int8"}, {"unsigned", "1", "uint8"}, {"signed", "2", "int16"},
        {"unsigned", "2", "uint16"}, {"signed", "4", "int32"}, {"unsigned", "4", "uint32"},
        {"float", "4", "float32"}, {"float", "8", "float64"}};
    int h = 3;
    int w = 2;
    int d = 5;
    for (String[] t : types) {
      for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
        for (boolean byImage : new boolean[] {false, true}) {
          int offset = byImage ? 13 : 0;
          String name = t[2] + order + byImage;
          Path rpl = pair(name, header(w, h, d, offset, t[0], Integer.parseInt(t[1]),
              order == ByteOrder.BIG_ENDIAN ? "big-endian" : "little-endian", byImage ? "image" : "vector"),
              cube(h, w, d, offset, t[2], order, byImage));
          SpectralFile s = RippleReader.read(rpl);
          assertEquals(t[2], s.dtype(), name);
          assertArrayEquals(new long[] {h, w, d}, s.shape(), name);
          assertEquals(new EnergyAxis(-10.5, 0.25, "eV", d), s.image().axis(), name);
          assertEquals(2.5, s.navigationScale(), 0.0);
          assertEquals("nm", s.navigationUnits());
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              double[] spec = s.image().spectrum(y, x);
              for (int c = 0; c < d; c++) {
                double e = expected(y, x, c) + (t[2].startsWith("uint") ? 7 : 0);
                assertEquals(e, spec[c], 0.0, name + " pixel (" + y + "," + x + ") channel " + c);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void extremeIntegerValuesAreDecodedUnsigned() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
    b.putInt(0xFFFFFFFF).putInt(0x80000000);
    Path rpl = pair("u32", header(2, 1, 1, 0, "unsigned", 4, "big-endian", "dont-care"), b.array());
    SpectralFile s = RippleReader.read(rpl);
    assertEquals(4294967295.0f, s.image().data()[0]);
    assertEquals(2147483648.0f, s.image().data()[1]);
    assertArrayEquals(new long[] {2, 1}, s.shape(), "a one-row map is a line scan (x, E)");
  }

  @Test
  void evPerChanAloneGivesTheEnergyScale() throws IOException {
    String text = "width\t1\nheight\t1\ndepth\t3\noffset\t0\ndata-length\t1\ndata-type\tunsigned\n"
        + "byte-order\tdont-care\nrecord-by\tvector\nev-per-chan\t0.05\n";
    SpectralFile s = RippleReader.read(pair("ev", text, new byte[] {1, 2, 3}));
    assertEquals(new EnergyAxis(0, 0.05, "eV", 3), s.image().axis());
    assertArrayEquals(new long[] {3}, s.shape());
    assertTrue(Double.isNaN(s.navigationScale()));
    assertEquals("", s.navigationUnits());
  }

  private void assertRefused(Path rpl, Path named, String... words) {
    BadInputException e = assertThrows(BadInputException.class, () -> RippleReader.read(rpl));
    assertEquals(named.toString(), e.source(), e.getMessage());
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "'" + e.getMessage() + "' should say '" + w + "'");
    }
  }

  @Test
  void badHeadersAreRefusedNamingTheRplFile() throws IOException {
    byte[] raw = cube(2, 2, 2, 0, "float32", ByteOrder.LITTLE_ENDIAN, false);
    String good = header(2, 2, 2, 0, "float", 4, "little-endian", "vector");
    // Sanity: the good header reads.
    assertEquals(2, RippleReader.read(pair("good", good, raw)).image().width());
    String[][] bad = {
        {good.replace("width 2\n", ""), "no 'width' line"},
        {good.replace("depth\t2", "depth\tmany"), "depth 'many' is not a whole number"},
        {good.replace("depth\t2", "depth\t0"), "depth must be"},
        {good.replace("data-type\tfloat", "data-type\tcomplex"), "data-type 'complex'"},
        {good.replace("data-length\t4", "data-length\t3"), "data-length 3"},
        {good.replace("byte-order\tlittle-endian", "byte-order\tmiddle-endian"), "byte-order 'middle-endian'"},
        {good.replace("record-by\tvector", "record-by\tdiagonal"), "record-by 'diagonal'"},
        {good.replace("record-by\tvector", "record-by\tdont-care"), "only allowed for one channel"},
        {good.replace("offset\t0", "offset\t-4"), "offset must be"},
        {good.replace("depth-scale\t0.25", "depth-scale\t0"), "0 eV per channel"},
        {good.replace("depth-origin\t-10.5", "depth-origin\tNaN"), "depth-origin 'NaN'"},
        {good.replace("offset\t0\n", "offset\n"), "'offset' line has no value"},
    };
    for (int i = 0; i < bad.length; i++) {
      Path rpl = pair("bad" + i, bad[i][0], raw);
      assertRefused(rpl, rpl, bad[i][1]);
    }
    Path binary = pair("binary", "width\0\1\2", raw);
    assertRefused(binary, binary, "binary");
    Path absent = dir.resolve("absent.rpl");
    assertRefused(absent, absent, "no such file");
  }

  @Test
  void rawFileOfTheWrongSizeOrMissingIsRefusedNamingTheRawFile() throws IOException {
    String text = header(3, 2, 4, 16, "signed", 2, "big-endian", "image");
    byte[] raw = cube(2, 3, 4, 16, "int16", ByteOrder.BIG_ENDIAN, true);
    assertEquals(16 + 2 * 3 * 4 * 2, raw.length);
    assertEquals(2, RippleReader.read(pair("ok", text, raw)).image().height());

    Path truncated = pair("short", text, java.util.Arrays.copyOf(raw, raw.length - 1));
    assertRefused(truncated, dir.resolve("short.raw"), "truncated", "63 bytes", "needs 64");
    Path headerOnly = pair("headeronly", text, java.util.Arrays.copyOf(raw, 10));
    assertRefused(headerOnly, dir.resolve("headeronly.raw"), "truncated");
    Path longer = pair("long", text, java.util.Arrays.copyOf(raw, raw.length + 8));
    assertRefused(longer, dir.resolve("long.raw"), "larger than the header says", "72 bytes");
    Path missing = pair("missing", text, null);
    assertRefused(missing, dir.resolve("missing.raw"), "no such file", "missing.rpl");
  }

  @Test
  void nonFiniteValuesAreRefusedNamingTheRawFileAndPixel() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putFloat(1f).putFloat(2f).putFloat(Float.NaN).putFloat(4f);
    Path rpl = pair("nan", header(2, 1, 2, 0, "float", 4, "little-endian", "vector"), b.array());
    assertRefused(rpl, dir.resolve("nan.raw"), "non-finite", "x=1");
  }
}
