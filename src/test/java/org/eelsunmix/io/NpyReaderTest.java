package org.eelsunmix.io;

import static org.eelsunmix.io.NpyTestBytes.float32;
import static org.eelsunmix.io.NpyTestBytes.float64;
import static org.eelsunmix.io.NpyTestBytes.ints;
import static org.eelsunmix.io.NpyTestBytes.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.eelsunmix.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
  private static final double TWO_63 = 9223372036854775808.0;

  @TempDir
  Path dir;

  /** One dtype: its code without byte order, its raw bytes in a given order, and the values they stand for. */
  private record Case(String code, NumericType type, Function<ByteOrder, byte[]> bytes, double[] expected) {}

  private static final List<Case> CASES = List.of(
      new Case("i1", NumericType.INT8, o -> ints(1, o, -128, -1, 0, 1, 127), new double[] {-128, -1, 0, 1, 127}),
      new Case("u1", NumericType.UINT8, o -> ints(1, o, 0, 1, 128, 255), new double[] {0, 1, 128, 255}),
      new Case("i2", NumericType.INT16, o -> ints(2, o, -32768, -2, 0, 300, 32767),
          new double[] {-32768, -2, 0, 300, 32767}),
      new Case("u2", NumericType.UINT16, o -> ints(2, o, 0, 1, 40000, 65535), new double[] {0, 1, 40000, 65535}),
      new Case("i4", NumericType.INT32, o -> ints(4, o, Integer.MIN_VALUE, -7, 0, 123456789, Integer.MAX_VALUE),
          new double[] {-2147483648.0, -7, 0, 123456789, 2147483647.0}),
      new Case("u4", NumericType.UINT32, o -> ints(4, o, 0, 1, 3000000000L, 4294967295L),
          new double[] {0, 1, 3e9, 4294967295.0}),
      // 2^53 + 1 is not a double: it rounds to 2^53 (ties to even).
      new Case("i8", NumericType.INT64, o -> ints(8, o, Long.MIN_VALUE, -5, 0, (1L << 53) + 1, Long.MAX_VALUE),
          new double[] {-TWO_63, -5, 0, 9007199254740992.0, TWO_63}),
      // Doubles near 2^63 are 2048 apart: 2^63 + 1024 ties to even (2^63), 2^63 + 1025 rounds up, 2^64 - 1 to 2^64.
      new Case("u8", NumericType.UINT64,
          o -> ints(8, o, 0, Long.MAX_VALUE, Long.MIN_VALUE + 1024, Long.MIN_VALUE + 1025, -1L),
          new double[] {0, TWO_63, TWO_63, TWO_63 + 2048, 2 * TWO_63}),
      // binary16: 1, -2, largest (65504), smallest subnormal (2^-24), largest subnormal, smallest normal, ~1/3, ±inf
      new Case("f2", NumericType.FLOAT16,
          o -> ints(2, o, 0x0000, 0x8000, 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x3555, 0x7C00, 0xFC00),
          new double[] {0.0, -0.0, 1, -2, 65504, 0x1p-24, 1023 * 0x1p-24, 0x1p-14, 0.333251953125,
              Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}),
      new Case("f4", NumericType.FLOAT32,
          o -> float32(o, 0f, -0f, 1.5f, -3.25e-3f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NEGATIVE_INFINITY),
          new double[] {0, -0.0, 1.5, (double) -3.25e-3f, (double) Float.MAX_VALUE, 0x1p-149,
              Double.NEGATIVE_INFINITY}),
      new Case("f8", NumericType.FLOAT64,
          o -> float64(o, Math.PI, -1e300, Double.MIN_VALUE, 0.1, 1e40),
          new double[] {Math.PI, -1e300, Double.MIN_VALUE, 0.1, 1e40}));

  @Test
  void readsEveryDtypeInBothByteOrders() throws IOException {
    for (Case c : CASES) {
      for (ByteOrder order : List.of(LE, BE)) {
        String descr = (c.type().size() == 1 ? "|" : order == LE ? "<" : ">") + c.code();
        String what = descr + ": ";
        Path f = NpyTestBytes.write(dir.resolve(c.code() + order + ".npy"),
            npy(descr, false, "(" + c.expected().length + ",)", c.bytes().apply(order)));
        try (NpyReader r = NpyReader.open(f)) {
          assertEquals(c.type(), r.header().dtype(), what);
          assertArrayEquals(c.expected(), r.readAllDoubles(), what + "as double");
          float[] expectedFloats = new float[c.expected().length];
          for (int i = 0; i < expectedFloats.length; i++) {
            expectedFloats[i] = (float) c.expected()[i];
          }
          assertArrayEquals(expectedFloats, r.readAllFloats(), what + "as float");
        }
        NpyArray a = NpyReader.read(f);
        assertEquals(c.type(), a.sourceType());
        assertArrayEquals(new int[] {c.expected().length}, a.shape());
        // Single precision exactly where it is exact; the wider types keep double.
        boolean single = c.type().size() <= 2 || c.type() == NumericType.FLOAT32;
        assertEquals(!single, a.isDoublePrecision(), what);
        assertArrayEquals(c.expected(), a.doubles(), what);
      }
    }
  }

  @Test
  void halfPrecisionNanStaysNan() throws IOException {
    Path f = NpyTestBytes.write(dir.resolve("nan.npy"), npy("<f2", false, "(2,)", ints(2, LE, 0x7E00, 0xFE01)));
    float[] v = NpyReader.read(f).floats();
    assertTrue(Float.isNaN(v[0]) && Float.isNaN(v[1]));
  }

  /** Element (i, j, k) of a 3-D test array. */
  private static double value(int i, int j, int k) {
    return 10000 * i + 100 * j + k + 0.5;
  }

  @Test
  void fortranOrderIsReorderedToCOrder() throws IOException {
    int d0 = 3;
    int d1 = 4;
    int d2 = 5;
    // Fortran order: the first index varies fastest on disk.
    double[] stored = new double[d0 * d1 * d2];
    int n = 0;
    for (int k = 0; k < d2; k++) {
      for (int j = 0; j < d1; j++) {
        for (int i = 0; i < d0; i++) {
          stored[n++] = value(i, j, k);
        }
      }
    }
    for (ByteOrder order : List.of(LE, BE)) {
      Path f = NpyTestBytes.write(dir.resolve("f" + order + ".npy"),
          npy(order == LE ? "<f8" : ">f8", true, "(3, 4, 5)", float64(order, stored)));
      NpyArray a = NpyReader.read(f);
      assertArrayEquals(new int[] {3, 4, 5}, a.shape());
      double[] c = a.doubles();
      float[] cf;
      try (NpyReader r = NpyReader.open(f)) {
        cf = r.readAllFloats();
      }
      for (int i = 0; i < d0; i++) {
        for (int j = 0; j < d1; j++) {
          for (int k = 0; k < d2; k++) {
            assertEquals(value(i, j, k), c[(i * d1 + j) * d2 + k]);
            assertEquals((float) value(i, j, k), cf[(i * d1 + j) * d2 + k]);
          }
        }
      }
    }
  }

  @Test
  void fortranOrderLargerThanTheBufferIsReordered() throws IOException {
    // 60 x 50 x 50 big-endian int64 = 1.2 MB, more than the reader's 1 MiB buffer.
    int d0 = 60;
    int d1 = 50;
    int d2 = 50;
    long[] stored = new long[d0 * d1 * d2];
    int n = 0;
    for (int k = 0; k < d2; k++) {
      for (int j = 0; j < d1; j++) {
        for (int i = 0; i < d0; i++) {
          stored[n++] = 10000L * i + 100L * j + k;
        }
      }
    }
    Path f = NpyTestBytes.write(dir.resolve("big.npy"), npy(">i8", true, "(60, 50, 50)", ints(8, BE, stored)));
    double[] c = NpyReader.read(f).doubles();
    for (int p = 0; p < c.length; p++) {
      int i = p / (d1 * d2);
      int j = p / d2 % d1;
      int k = p % d2;
      assertEquals(10000.0 * i + 100.0 * j + k, c[p], "element " + p);
    }
  }

  @Test
  void fortranFlagOnAVectorNeedsNoReordering() throws IOException {
    Path f = NpyTestBytes.write(dir.resolve("v.npy"), npy("<f4", true, "(1, 4, 1)", float32(LE, 1, 2, 3, 4)));
    try (NpyReader r = NpyReader.open(f)) {
      float[] out = new float[2];
      r.readRange(1, out, 0, 2);
      assertArrayEquals(new float[] {2, 3}, out);
    }
  }

  @Test
  void readRangeMatchesTheWholeArray() throws IOException {
    // 300 000 float32 (1.2 MB) so that ranges cross the 1 MiB buffer boundary (262 144 floats).
    int n = 300_000;
    Random rnd = new Random(7);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = rnd.nextFloat() * 1000f;
    }
    for (ByteOrder order : List.of(LE, BE)) {
      Path f = NpyTestBytes.write(dir.resolve("r" + order + ".npy"),
          npy(order == LE ? "<f4" : ">f4", false, "(100, 100, 30)", float32(order, values)));
      try (NpyReader r = NpyReader.open(f)) {
        int[][] ranges = {{0, 1}, {0, n}, {262_140, 10}, {7, 299_990}, {n - 3, 3}, {12345, 0}};
        for (int[] range : ranges) {
          float[] out = new float[range[1] + 5];
          r.readRange(range[0], out, 5, range[1]);
          for (int i = 0; i < range[1]; i++) {
            assertEquals(values[range[0] + i], out[5 + i]);
          }
          double[] outD = new double[range[1]];
          r.readRange(range[0], outD, 0, range[1]);
          for (int i = 0; i < range[1]; i++) {
            assertEquals(values[range[0] + i], outD[i]);
          }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> r.readRange(n - 2, new float[3], 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> r.readRange(-1, new float[3], 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> r.readRange(0, new float[3], 1, 3));
      }
    }
  }

  @Test
  void readRangeRefusesFortranOrder() throws IOException {
    Path f = NpyTestBytes.write(dir.resolve("f.npy"), npy("<f4", true, "(2, 3)", float32(LE, 1, 2, 3, 4, 5, 6)));
    try (NpyReader r = NpyReader.open(f)) {
      BadInputException e = assertThrows(BadInputException.class, () -> r.readRange(0, new float[2], 0, 2));
      assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
      assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
    }
  }

  @Test
  void missingFileNamesIt() {
    Path f = dir.resolve("nothing.npy");
    BadInputException e = assertThrows(BadInputException.class, () -> NpyReader.read(f));
    assertEquals(f + ": no such file", e.getMessage());
  }

  @Test
  void halfToFloatAgreesWithTheDefinitionForEveryBitPattern() {
    // Independent reference: value = (-1)^s * 2^(e-15) * (1 + f/1024), subnormal 2^-14 * f/1024.
    for (int bits = 0; bits < 0x10000; bits++) {
      int s = bits >>> 15;
      int e = (bits >>> 10) & 0x1F;
      int frac = bits & 0x3FF;
      float got = NumericType.halfToFloat((short) bits);
      if (e == 0x1F) {
        assertEquals(frac != 0, Float.isNaN(got), "bits " + bits);
        if (frac == 0) {
          assertEquals(s == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY, got);
        }
        continue;
      }
      double magnitude = e == 0 ? Math.scalb(frac / 1024.0, -14) : Math.scalb(1 + frac / 1024.0, e - 15);
      double expected = s == 1 ? -magnitude : magnitude;
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got), "bits " + bits);
    }
  }

  @Test
  void unsigned64ConversionsRoundOnce() {
    // Against BigDecimal-free closed forms: 2^64 - 2049 lies 2047 above 2^64 - 4096 and 1 below 2^64 - 2048.
    assertEquals(18446744073709549568.0, NumericType.unsignedToDouble(-2049L));
    assertEquals(18446744073709549568.0, NumericType.unsignedToDouble(-2048L));
    // Floats near 2^63 are 2^40 apart: 2^63 + 2^39 ties to even (2^63), one more rounds up.
    assertEquals(0x1p63f, NumericType.unsignedToFloat(Long.MIN_VALUE + (1L << 39)));
    assertEquals(0x1p63f + 0x1p40f, NumericType.unsignedToFloat(Long.MIN_VALUE + (1L << 39) + 1));
    assertEquals(12345f, NumericType.unsignedToFloat(12345L));
  }
}
