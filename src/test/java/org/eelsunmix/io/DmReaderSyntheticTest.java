package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small DM3/DM4 files written by {@link DmTestFiles} with known pixel values in every real pixel type, both byte
 * orders and both storage layouts (energy slowest, energy fastest).
 */
class DmReaderSyntheticTest {
  private static final int X = 3;
  private static final int Y = 2;
  private static final int E = 5;

  @TempDir
  Path dir;

  /** Image data type code, the Data tag's element type, NumPy name, signed. */
  record PixelType(int code, DmDataType element, String numpy, boolean signed) {}

  static Stream<Arguments> types() {
    List<PixelType> types = List.of(
        new PixelType(9, DmDataType.CHAR, "int8", true),
        new PixelType(6, DmDataType.OCTET, "uint8", false),
        new PixelType(1, DmDataType.SHORT, "int16", true),
        new PixelType(10, DmDataType.USHORT, "uint16", false),
        new PixelType(7, DmDataType.LONG, "int32", true),
        new PixelType(11, DmDataType.ULONG, "uint32", false),
        new PixelType(2, DmDataType.FLOAT, "float32", true),
        new PixelType(12, DmDataType.DOUBLE, "float64", true));
    return types.stream().flatMap(t -> Stream.of(
        Arguments.of(t, 3, ByteOrder.LITTLE_ENDIAN), Arguments.of(t, 4, ByteOrder.LITTLE_ENDIAN),
        Arguments.of(t, 3, ByteOrder.BIG_ENDIAN), Arguments.of(t, 4, ByteOrder.BIG_ENDIAN)));
  }

  /**
   * The value at (x, y, e): distinct everywhere, negative for signed types; pixel (0,0) channel 0 holds the type's
   * largest value so that unsigned types are checked beyond the signed range.
   */
  static double value(PixelType t, int x, int y, int e) {
    if (x == 0 && y == 0 && e == 0 && !t.signed()) {
      return switch (t.element()) {
        case OCTET -> 255;
        case USHORT -> 65535;
        default -> 4_000_000_000.0;
      };
    }
    double v = 20 * e + 3 * y + x;
    return t.signed() ? v - 50 : v;
  }

  @ParameterizedTest
  @MethodSource("types")
  void bandSequentialSpectrumImageOfEveryType(PixelType t, int version, ByteOrder order) throws IOException {
    double[] stored = new double[X * Y * E];
    for (int e = 0; e < E; e++) {
      for (int y = 0; y < Y; y++) {
        for (int x = 0; x < X; x++) {
          stored[x + X * (y + Y * e)] = value(t, x, y, e);
        }
      }
    }
    byte[] bytes = DmTestFiles.image(version, order, t.code(), t.element(), new long[] {X, Y, E},
        List.of(DmTestFiles.calibration(0, 1.5, "nm", order), DmTestFiles.calibration(0, 1.5, "nm", order),
            DmTestFiles.calibration(-20, 0.25, "eV", order)),
        DmTestFiles.values(t.element(), stored, order), "Spectrum image");
    Path file = dir.resolve("si." + (version == 3 ? "dm3" : "dm4"));
    Files.write(file, bytes);

    SpectralFile f = DmReader.read(file);
    assertEquals("dm" + version, f.format());
    assertEquals(t.numpy(), f.dtype());
    assertArrayEquals(new long[] {Y, X, E}, f.shape());
    assertEquals(1.5, f.navigationScale(), 1e-7);
    assertEquals("nm", f.navigationUnits());
    assertEquals("300", f.metadata().get("beam_energy_kV"));
    SpectrumImage si = f.image();
    assertEquals("si", si.id());
    assertEquals(Y, si.height());
    assertEquals(X, si.width());
    // Origin −20 channels at 0.25 eV/channel: channel 0 sits at +5 eV.
    assertEquals(5.0, si.axis().offset(), 1e-9);
    assertEquals(0.25, si.axis().scale(), 1e-9);
    for (int y = 0; y < Y; y++) {
      for (int x = 0; x < X; x++) {
        for (int e = 0; e < E; e++) {
          assertEquals((float) value(t, x, y, e), si.data()[(y * X + x) * E + e], 0f,
              "pixel y=" + y + " x=" + x + " channel " + e);
        }
      }
    }
  }

  /** A line scan stored energy-fastest ({@code [E, N]}) is already pixel-major: one row of N pixels. */
  @Test
  void energyFastestLineScan() throws IOException {
    ByteOrder le = ByteOrder.LITTLE_ENDIAN;
    int n = 4;
    double[] stored = new double[E * n];
    for (int p = 0; p < n; p++) {
      for (int e = 0; e < E; e++) {
        stored[e + E * p] = 10 * p + e;
      }
    }
    byte[] bytes = DmTestFiles.image(4, le, 2, DmDataType.FLOAT, new long[] {E, n},
        List.of(DmTestFiles.calibration(10, 2, "eV", le), DmTestFiles.calibration(0, 0.5, "µm", le)),
        DmTestFiles.values(DmDataType.FLOAT, stored, le), "Spectrum image");
    Path file = dir.resolve("line.dm4");
    Files.write(file, bytes);
    SpectralFile f = DmReader.read(file);
    assertArrayEquals(new long[] {n, E}, f.shape());
    assertEquals(1, f.image().height());
    assertEquals(n, f.image().width());
    assertEquals(-20.0, f.image().axis().offset(), 1e-9);
    assertEquals("µm", f.navigationUnits());
    for (int p = 0; p < n; p++) {
      for (int e = 0; e < E; e++) {
        assertEquals(10 * p + e, f.image().data()[p * E + e], 0f);
      }
    }
  }

  /** More planes than fit one 1 MiB block, and planes larger than a block: both transposition paths. */
  @Test
  void largeSpectrumImagesAreTransposedInBlocks() throws IOException {
    for (int[] size : new int[][] {{64, 48, 300}, {600, 500, 2}}) {
      int w = size[0];
      int h = size[1];
      int c = size[2];
      double[] stored = new double[w * h * c];
      for (int i = 0; i < stored.length; i++) {
        stored[i] = i % 1_000_003; // distinct, exactly representable as float
      }
      ByteOrder le = ByteOrder.LITTLE_ENDIAN;
      byte[] bytes = DmTestFiles.image(3, le, 2, DmDataType.FLOAT, new long[] {w, h, c},
          List.of(DmTestFiles.calibration(0, 1, "nm", le), DmTestFiles.calibration(0, 1, "nm", le),
              DmTestFiles.calibration(0, 1, "eV", le)),
          DmTestFiles.values(DmDataType.FLOAT, stored, le), "Spectrum image");
      Path file = dir.resolve("big" + w + ".dm3");
      Files.write(file, bytes);
      float[] got = DmReader.read(file).image().data();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int e = 0; e < c; e++) {
            int i = x + w * (y + h * e);
            if (got[(y * w + x) * c + e] != (float) stored[i]) {
              throw new AssertionError("wrong value at y=" + y + " x=" + x + " e=" + e + " for " + w + "x" + h);
            }
          }
        }
      }
    }
  }

  @Test
  void refusesColourImagesStacksAndPlainImages() throws IOException {
    ByteOrder le = ByteOrder.LITTLE_ENDIAN;
    List<DmTestFiles.Group> cal3 = List.of(DmTestFiles.calibration(0, 1, "", le), DmTestFiles.calibration(0, 1, "", le),
        DmTestFiles.calibration(0, 1, "", le));
    byte[] rgb = DmTestFiles.image(3, le, 23, DmDataType.ULONG, new long[] {2, 2, 2}, cal3,
        new byte[32], "Spectrum image");
    assertRefused("rgb.dm3", rgb, "RGB colour image");
    byte[] stack = DmTestFiles.image(4, le, 2, DmDataType.FLOAT, new long[] {2, 2, 2}, cal3, new byte[32], null);
    assertRefused("stack.dm4", stack, "is an image stack");
    byte[] image = DmTestFiles.image(4, le, 2, DmDataType.FLOAT, new long[] {2, 2}, cal3.subList(0, 2),
        new byte[16], "Image");
    assertRefused("image.dm4", image, "is a 2-D image");
    byte[] wrongSize = DmTestFiles.image(4, le, 2, DmDataType.FLOAT, new long[] {2, 2, 3}, cal3, new byte[32],
        "Spectrum image");
    assertRefused("short.dm4", wrongSize, "needs 48 bytes but the Data tag holds 32");
    byte[] zeroScale = DmTestFiles.image(3, le, 2, DmDataType.FLOAT, new long[] {4},
        List.of(DmTestFiles.calibration(0, 0, "eV", le)), new byte[16], "Spectrum");
    assertRefused("zero.dm3", zeroScale, "invalid energy calibration");
    float[] nan = {1, Float.NaN, 3, 4};
    byte[] nanData = DmTestFiles.image(3, le, 2, DmDataType.FLOAT, new long[] {4},
        List.of(DmTestFiles.calibration(0, 1, "eV", le)),
        DmTestFiles.values(DmDataType.FLOAT, new double[] {nan[0], nan[1], nan[2], nan[3]}, le), "Spectrum");
    assertRefused("nan.dm3", nanData, "non-finite value");
  }

  @Test
  void missingFileIsBadInput() {
    Path file = dir.resolve("absent.dm4");
    BadInputException e = assertThrows(BadInputException.class, () -> DmReader.read(file));
    assertEquals(file.toString() + ": no such file", e.getMessage());
  }

  private void assertRefused(String name, byte[] bytes, String phrase) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    BadInputException e = assertThrows(BadInputException.class, () -> DmReader.read(file), name);
    assertEquals(file.toString(), e.source());
    assertTrue(e.getMessage().contains(phrase), e.getMessage());
  }
}
