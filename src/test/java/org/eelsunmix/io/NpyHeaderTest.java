package org.eelsunmix.io;

import static org.eelsunmix.io.NpyTestBytes.float32;
import static org.eelsunmix.io.NpyTestBytes.float64;
import static org.eelsunmix.io.NpyTestBytes.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eelsunmix.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyHeaderTest {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  @TempDir
  Path dir;

  private Path file(byte[] bytes) throws IOException {
    return NpyTestBytes.write(dir.resolve("a.npy"), bytes);
  }

  /** Expects a BadInputException whose message names the file and contains {@code fragment}. */
  private BadInputException refused(byte[] bytes, String fragment) throws IOException {
    Path f = file(bytes);
    BadInputException e = assertThrows(BadInputException.class, () -> NpyHeader.read(f));
    assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertEquals(f.toString(), e.source());
    // The whole-file reader must refuse it the same way, before allocating anything.
    BadInputException again = assertThrows(BadInputException.class, () -> NpyReader.read(f));
    assertEquals(e.getMessage(), again.getMessage());
    return e;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void readsAllThreeFormatVersions(int major) throws IOException {
    byte[] bytes = npy(major, "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }",
        float64(ByteOrder.BIG_ENDIAN, 1, 2, 3, 4, 5, 6));
    NpyHeader h = NpyHeader.read(file(bytes));
    assertEquals(NumericType.FLOAT64, h.dtype());
    assertEquals(ByteOrder.BIG_ENDIAN, h.byteOrder());
    assertArrayEquals(new long[] {2, 3}, h.shape());
    assertTrue(h.fortranOrder());
    assertEquals(8, h.elementSize());
    assertEquals(6, h.elementCount());
    assertEquals(bytes.length - 48, h.dataOffset());
    assertEquals(0, h.dataOffset() % 64);
    assertEquals(">f8", h.descr());
  }

  @Test
  void acceptsOtherDictSpellings() throws IOException {
    // Key order, double quotes, no spaces, no trailing comma, Python 2 longs: all valid Python literals.
    byte[] bytes = npy(1, "{\"shape\":(3L,2L),\"fortran_order\":False,\"descr\":\"<i2\"}",
        NpyTestBytes.ints(2, LE, 1, 2, 3, 4, 5, 6));
    NpyHeader h = NpyHeader.read(file(bytes));
    assertEquals(NumericType.INT16, h.dtype());
    assertArrayEquals(new long[] {3, 2}, h.shape());
    assertFalse(h.fortranOrder());
  }

  @Test
  void scalarAndEmptyShapes() throws IOException {
    NpyHeader scalar = NpyHeader.read(file(npy("<f4", false, "()", float32(LE, 2.5f))));
    assertEquals(0, scalar.dimensions());
    assertEquals(1, scalar.elementCount());
    assertEquals("()", scalar.shapeString());

    NpyHeader empty = NpyHeader.read(file(npy("<f4", false, "(0, 5)", new byte[0])));
    assertEquals(0, empty.elementCount());
    assertEquals(0, NpyReader.read(dir.resolve("a.npy")).size());

    NpyHeader oneD = NpyHeader.read(file(npy("|u1", false, "(3,)", new byte[] {1, 2, 3})));
    assertEquals("(3,)", oneD.shapeString());
    assertEquals("|u1", oneD.descr());
  }

  @Test
  void badMagicIsRefused() throws IOException {
    byte[] bytes = npy("<f4", false, "(1,)", float32(LE, 1f));
    bytes[5] = 'X';
    refused(bytes, "not a NumPy .npy file");
    refused("P5\n".getBytes(StandardCharsets.US_ASCII), "too short to be a NumPy .npy file");
  }

  @ParameterizedTest
  @CsvSource({"4, 0", "1, 1", "0, 0"})
  void unsupportedVersionsAreRefused(int major, int minor) throws IOException {
    byte[] bytes = npy("<f4", false, "(1,)", float32(LE, 1f));
    bytes[6] = (byte) major;
    bytes[7] = (byte) minor;
    refused(bytes, "unsupported .npy format version " + major + "." + minor);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3}",
      "{'descr': '<f4', 'fortran_order': False 'shape': (6,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), } trailing",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (6), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'descr': '<f4'}",
      "['descr', '<f4']",
      "",
  })
  void unparsableDictsAreRefused(String dict) throws IOException {
    refused(npy(1, dict, float32(LE, 1, 2, 3, 4, 5, 6)), "unreadable .npy header dict");
  }

  @Test
  void wrongKeysOrValuesAreRefused() throws IOException {
    refused(npy(1, "{'descr': '<f4', 'shape': (1,), }", float32(LE, 1)), "exactly the keys");
    refused(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'units': 'eV'}", float32(LE, 1)),
        "exactly the keys");
    refused(npy(1, "{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,), }", float32(LE, 1)),
        "'fortran_order' must be True or False");
    refused(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': [1], }", float32(LE, 1)),
        "'shape' must be a tuple of integers");
    refused(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", float32(LE, 1)),
        "negative dimension");
  }

  @Test
  void headerLongerThanTheFileIsRefused() throws IOException {
    byte[] bytes = npy("<f4", false, "(1,)", float32(LE, 1f));
    ByteBuffer.wrap(bytes).order(LE).putShort(8, (short) 5000);
    refused(bytes, "header claims 5000 bytes but the file has only");
    byte[] v2 = npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", float32(LE, 1f));
    ByteBuffer.wrap(v2).order(LE).putInt(8, -1); // 4 GiB - 1
    refused(v2, "header claims 4294967295 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"<c8", "<c16", ">c8"})
  void complexDataIsRefused(String descr) throws IOException {
    refused(npy(descr, false, "(2,)", new byte[2 * Integer.parseInt(descr.substring(2))]),
        "complex data cannot be unmixed");
  }

  @Test
  void nonNumericDtypesAreRefused() throws IOException {
    refused(npy("|b1", false, "(2,)", new byte[2]), "boolean");
    refused(npy("|O", false, "(2,)", new byte[16]), "Python objects");
    refused(npy("|S4", false, "(2,)", new byte[8]), "text, not numbers");
    refused(npy("<U2", false, "(2,)", new byte[16]), "text, not numbers");
    refused(npy("<M8[ns]", false, "(2,)", new byte[16]), "dates or time spans");
    refused(npy("|V8", false, "(2,)", new byte[16]), "void");
    refused(npy(1, "{'descr': [('a', '<f4'), ('b', '<i2')], 'fortran_order': False, 'shape': (2,), }",
        new byte[12]), "structured (record) arrays cannot be unmixed");
    refused(npy("<f16", false, "(1,)", new byte[16]), "unsupported dtype '<f16'");
    refused(npy("=f4", false, "(1,)", new byte[4]), "does not state a byte order");
    refused(npy("|f4", false, "(1,)", new byte[4]), "no byte order ('|') but its elements are 4 bytes");
  }

  @Test
  void truncatedDataIsRefused() throws IOException {
    refused(npy("<f8", false, "(10,)", new byte[40]), "truncated: expected 80 bytes of data");
    BadInputException e = refused(npy("<i2", false, "(3, 4)", new byte[23]), "truncated: expected 24 bytes");
    assertTrue(e.getMessage().contains("found 23"), e.getMessage());
  }

  @Test
  void trailingBytesAreRefused() throws IOException {
    refused(npy("<f4", false, "(2,)", new byte[12]), "4 bytes after the data");
  }

  @Test
  void absurdShapesAreRefusedBeforeAllocating() throws IOException {
    // The element count overflows a long.
    refused(npy("<f4", false, "(4294967296, 4294967296, 4294967296)", new byte[64]), "absurd shape");
    // The count fits but count x 8 bytes does not.
    refused(npy("<f8", false, "(1152921504606846976, 4)", new byte[64]), "absurd shape");
    // Fits in a long, not in the file: ten petabytes promised, 64 bytes present.
    refused(npy("<f4", false, "(50000, 50000, 1000000)", new byte[64]),
        "truncated: expected 10000000000000000 bytes of data");
    // A dimension beyond a long is unparsable.
    refused(npy("<f4", false, "(99999999999999999999,)", new byte[4]), "too large");
  }

  @Test
  void encodedHeaderMatchesNumpySave() {
    // numpy.save(f, np.arange(6, dtype='<f4').reshape(2, 3)) writes exactly these 128 header bytes.
    byte[] h = NpyHeader.encode(NumericType.FLOAT32, LE, new long[] {2, 3});
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    assertEquals(128, h.length);
    assertEquals((byte) 0x93, h[0]);
    assertEquals("NUMPY", new String(h, 1, 5, StandardCharsets.US_ASCII));
    assertEquals(1, h[6]);
    assertEquals(0, h[7]);
    assertEquals(118, (h[8] & 0xFF) | (h[9] & 0xFF) << 8);
    assertEquals(dict, new String(h, 10, dict.length(), StandardCharsets.US_ASCII));
    for (int i = 10 + dict.length(); i < 127; i++) {
      assertEquals(' ', h[i]);
    }
    assertEquals('\n', h[127]);
  }
}
