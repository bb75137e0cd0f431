package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;

/** The axis logic of {@link HspyReader}, on attribute values shaped as jHDF returns them. */
class HspyLayoutTest {
  private static final String SRC = "/data/si.hspy";

  /** Attributes as HyperSpy 2.0 writes them: sizes as Long, calibrations as Double, booleans as enum strings. */
  private static HspyAxis axis(int i, String name, long size, double offset, double scale, String units,
      String navigate) {
    Map<String, Object> a = new HashMap<>();
    a.put("name", name);
    a.put("size", size);
    a.put("offset", offset);
    a.put("scale", scale);
    a.put("units", units);
    if (navigate != null) {
      a.put("navigate", navigate);
    }
    return HspyAxis.of(SRC, i, a);
  }

  private static void assertRefused(Runnable r, String... words) {
    BadInputException e = assertThrows(BadInputException.class, r::run);
    assertEquals(SRC, e.source());
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "'" + e.getMessage() + "' should say '" + w + "'");
    }
  }

  @Test
  void mapLineScanAndSingleSpectrum() {
    HspyLayout map = HspyLayout.of(SRC, new long[] {2, 3, 4}, List.of(
        axis(0, "y", 2, 0, 7.5, "nm", "TRUE"), axis(1, "x", 3, 0, 2.5, "nm", "TRUE"),
        axis(2, "Energy loss", 4, 280.25, 0.125, "eV", "FALSE")));
    assertEquals(2, map.height());
    assertEquals(3, map.width());
    assertEquals(new EnergyAxis(280.25, 0.125, "eV", 4), map.energy());
    assertEquals("x", map.x().name(), "x is the last navigation axis");
    assertEquals(2.5, map.x().scale());

    HspyLayout line = HspyLayout.of(SRC, new long[] {10, 512}, List.of(
        axis(0, "x", 10, 0, 3.15, "nm", "TRUE"), axis(1, "Energy loss", 512, 395, 1, "eV", "FALSE")));
    assertEquals(1, line.height());
    assertEquals(10, line.width());

    HspyLayout one = HspyLayout.of(SRC, new long[] {7}, List.of(axis(0, "E", 7, -5, 0.5, "eV", "FALSE")));
    assertEquals(1, one.height());
    assertEquals(1, one.width());
    assertNull(one.x());
    assertEquals(new EnergyAxis(-5, 0.5, "eV", 7), one.energy());
  }

  @Test
  void withoutNavigateFlagsTheLastAxisIsTheSignal() {
    HspyLayout old = HspyLayout.of(SRC, new long[] {3, 2}, List.of(
        axis(0, "x", 3, 0, 1, "<undefined>", null), axis(1, "E", 2, 0, 1, "keV", null)));
    assertEquals(3, old.width());
    assertEquals("keV", old.energy().units());
    assertEquals("", old.x().units(), "HyperSpy's <undefined> units are no units");
  }

  @Test
  void attributeValuesInOtherSpellings() {
    Map<String, Object> a = new HashMap<>();
    a.put("size", 5); // Integer
    a.put("scale", "0.25"); // text
    a.put("navigate", Boolean.FALSE);
    HspyAxis x = HspyAxis.of(SRC, 0, a);
    assertEquals(5, x.size());
    assertEquals(0.25, x.scale());
    assertEquals(0.0, x.offset(), "missing offset is 0");
    assertEquals(Boolean.FALSE, x.navigate());
    a.put("navigate", 1L);
    assertEquals(Boolean.TRUE, HspyAxis.of(SRC, 0, a).navigate());
    a.put("navigate", "maybe");
    assertRefused(() -> HspyAxis.of(SRC, 0, a), "axis-0 navigate 'maybe'");
    a.put("navigate", "FALSE");
    a.put("scale", "wide");
    assertRefused(() -> HspyAxis.of(SRC, 0, a), "axis-0 scale 'wide' is not a number");
    a.put("scale", 1.0);
    a.put("size", 2.5);
    assertRefused(() -> HspyAxis.of(SRC, 0, a), "not a whole number");
    a.remove("size");
    assertRefused(() -> HspyAxis.of(SRC, 0, a), "axis-0 has no size");
  }

  @Test
  void refusesWhatIsNotOneSpectrumImage() {
    assertRefused(() -> HspyLayout.of(SRC, new long[] {2, 3}, List.of(axis(0, "y", 2, 0, 1, "nm", "FALSE"),
        axis(1, "x", 3, 0, 1, "nm", "FALSE"))), "2 signal axes", "'y', 'x'");
    assertRefused(() -> HspyLayout.of(SRC, new long[] {2, 3}, List.of(axis(0, "y", 2, 0, 1, "nm", "TRUE"),
        axis(1, "x", 3, 0, 1, "nm", "TRUE"))), "0 signal axes");
    assertRefused(() -> HspyLayout.of(SRC, new long[] {2, 2, 2, 5}, List.of(axis(0, "t", 2, 0, 1, "s", "TRUE"),
        axis(1, "y", 2, 0, 1, "nm", "TRUE"), axis(2, "x", 2, 0, 1, "nm", "TRUE"),
        axis(3, "E", 5, 0, 1, "eV", "FALSE"))), "3 navigation axes");
    assertRefused(() -> HspyLayout.of(SRC, new long[] {4, 3}, List.of(axis(0, "E", 4, 0, 1, "eV", "FALSE"),
        axis(1, "x", 3, 0, 1, "nm", "TRUE"))), "not the last");
    assertRefused(() -> HspyLayout.of(SRC, new long[] {2, 3}, List.of(axis(0, "x", 5, 0, 1, "nm", "TRUE"),
        axis(1, "E", 3, 0, 1, "eV", "FALSE"))), "axis-0 says size 5", "(2, 3)");
    assertRefused(() -> HspyLayout.of(SRC, new long[] {2, 3}, List.of(axis(0, "x", 2, 0, 1, "nm", "TRUE"))),
        "1 axis groups for a data array of 2 dimensions");
    assertRefused(() -> HspyLayout.of(SRC, new long[] {2, 3}, List.of(axis(0, "x", 2, 0, 1, "nm", "TRUE"),
        axis(1, "E", 3, 0, 0, "eV", "FALSE"))), "no usable calibration");
    assertRefused(() -> HspyLayout.of(SRC, new long[] {0, 3}, List.of(axis(0, "x", 0, 0, 1, "nm", "TRUE"),
        axis(1, "E", 3, 0, 1, "eV", "FALSE"))), "is empty");
    assertRefused(() -> HspyLayout.of(SRC, new long[] {}, List.of()), "single number");
    // 2^16 × 2^16 pixels × 2^10 channels cannot be one Java array: refused before anything is allocated.
    assertRefused(() -> HspyLayout.of(SRC, new long[] {65536, 65536, 1024}, List.of(
        axis(0, "y", 65536, 0, 1, "nm", "TRUE"), axis(1, "x", 65536, 0, 1, "nm", "TRUE"),
        axis(2, "E", 1024, 0, 1, "eV", "FALSE"))), "too large");
  }

  @Test
  void convertsEveryArrayTypeJhdfReturns() {
    float[] f = {1.5f, -2f};
    assertSame(f, HspyReader.toFloats(SRC, f, 2), "float32 is taken as it is");
    assertArrayEquals(new float[] {0.1f, -3f}, HspyReader.toFloats(SRC, new double[] {0.1, -3}, 2));
    assertArrayEquals(new float[] {-128f, 127f}, HspyReader.toFloats(SRC, new byte[] {-128, 127}, 2));
    // jHDF widens unsigned types: uint8 → short, uint16 → int, uint32 → long, uint64 → BigInteger.
    assertArrayEquals(new float[] {255f, -32768f}, HspyReader.toFloats(SRC, new short[] {255, -32768}, 2));
    assertArrayEquals(new float[] {65535f, 16777216f}, HspyReader.toFloats(SRC, new int[] {65535, 1 << 24}, 2));
    assertArrayEquals(new float[] {4294967295f, -1f}, HspyReader.toFloats(SRC, new long[] {4294967295L, -1}, 2));
    assertArrayEquals(new float[] {1.8446744e19f, 0f}, HspyReader.toFloats(SRC,
        new BigInteger[] {new BigInteger("18446744073709551615"), BigInteger.ZERO}, 2));
    assertRefused(() -> HspyReader.toFloats(SRC, new float[3], 2), "expected 2 values");
    assertRefused(() -> HspyReader.toFloats(SRC, new String[] {"a", "b"}, 2), "String values, not numbers");
  }
}
