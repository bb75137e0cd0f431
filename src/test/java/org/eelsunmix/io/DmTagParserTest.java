package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.DmTestFiles.Data;
import org.eelsunmix.io.DmTestFiles.Group;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every tag value form of the DM3/DM4 tag tree, written by {@link DmTestFiles} and parsed back. */
class DmTagParserTest {
  @TempDir
  Path dir;

  private DmTagParser.Tree parse(int version, ByteOrder order, Group root) throws IOException {
    Path file = dir.resolve("t.dm" + version);
    Files.write(file, DmTestFiles.file(version, order, root));
    try (FileChannel ch = FileChannel.open(file)) {
      return DmTagParser.parse(ch, file.toString());
    }
  }

  private static byte[] bytes(ByteOrder order, int size, java.util.function.Consumer<ByteBuffer> fill) {
    ByteBuffer b = ByteBuffer.allocate(size).order(order);
    fill.accept(b);
    return b.array();
  }

  @ParameterizedTest
  @CsvSource({"3, LITTLE", "4, LITTLE", "3, BIG", "4, BIG"})
  void everyValueFormRoundTrips(int version, String orderName) throws IOException {
    ByteOrder o = orderName.equals("BIG") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    Group root = DmTestFiles.group("",
        new Data("struct", new long[] {15, 0, 2, 0, 6, 0, 3}, bytes(o, 8, b -> b.putFloat(1.5f).putInt(-7))),
        new Data("string", new long[] {18, 5}, "hello".getBytes(StandardCharsets.ISO_8859_1)),
        new Data("structs", new long[] {20, 15, 0, 2, 0, 2, 0, 2, 3}, new byte[12]),
        new Data("strings", new long[] {20, 18, 4, 2}, new byte[8]),
        new Data("arrays", new long[] {20, 20, 2, 3, 2}, new byte[12]),
        DmTestFiles.number("u64", DmDataType.ULONG_LONG, -1, o),
        DmTestFiles.number("char", DmDataType.CHAR, -5, o),
        DmTestFiles.number("octet", DmDataType.OCTET, 250, o),
        DmTestFiles.number("bool", DmDataType.BOOL, 1, o),
        DmTestFiles.text("units", "µm", o),
        DmTestFiles.array("pair", DmDataType.DOUBLE, new double[] {0.25, -3}, o),
        DmTestFiles.group("Empty"),
        DmTestFiles.group("List", DmTestFiles.number("", DmDataType.SHORT, -300, o),
            DmTestFiles.number("", DmDataType.USHORT, 60000, o)),
        DmTestFiles.number("last", DmDataType.LONG_LONG, 1L << 40, o));
    DmTagParser.Tree t = parse(version, o, root);
    assertEquals(version, t.version());
    assertEquals(o, t.dataOrder());
    DmTag r = t.root();
    assertEquals(DmTag.Kind.STRUCT, r.child("struct").kind());
    assertArrayEquals(new double[] {1.5, -7}, r.child("struct").numbers());
    assertEquals("hello", r.child("string").asText());
    DmTag structs = r.child("structs");
    assertEquals(DmTag.Kind.ARRAY, structs.kind());
    assertNull(structs.elementType());
    assertEquals(3, structs.count());
    assertEquals(12, structs.byteLength());
    assertEquals(8, r.child("strings").byteLength());
    assertEquals(12, r.child("arrays").byteLength());
    assertEquals(18446744073709551615.0, r.child("u64").number());
    assertEquals(-5, r.child("char").number());
    assertEquals(250, r.child("octet").number());
    assertEquals(1, r.child("bool").number());
    assertEquals("µm", r.child("units").asText());
    assertArrayEquals(new double[] {0.25, -3}, r.child("pair").numbers());
    assertEquals(DmTag.Kind.GROUP, r.child("Empty").kind());
    assertTrue(r.child("Empty").children().isEmpty());
    assertEquals(-300, r.find("List", "[0]").number());
    assertEquals(60000, r.find("List", "[1]").number());
    assertNull(r.find("List", "[2]"));
    // Read after every composite form: the byte counting of each skipped value was right.
    assertEquals(1L << 40, r.child("last").number());
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4})
  void deepNestingIsRefused(int version) {
    Group g = DmTestFiles.group("leaf");
    for (int i = 0; i < 80; i++) {
      g = DmTestFiles.group("g" + i, g);
    }
    Group root = DmTestFiles.group("", g);
    BadInputException e = assertThrows(BadInputException.class, () -> parse(version, ByteOrder.LITTLE_ENDIAN, root));
    assertTrue(e.getMessage().contains("nested more than 64 deep"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4})
  void inconsistentTypeDescriptionsAreRefused(int version) {
    ByteOrder o = ByteOrder.LITTLE_ENDIAN;
    assertRefused(version, new Data("x", new long[] {3, 3}, new byte[4]), "x", "1 unexpected extra entries");
    assertRefused(version, new Data("x", new long[] {15, 0, 9, 0, 3}, new byte[4]), "x", "struct with 9 fields");
    assertRefused(version, new Data("x", new long[] {20, 3, 1L << 30}, new byte[4]), "x", "does not fit");
    assertRefused(version, new Data("x", new long[] {20, 40, 1}, new byte[4]), "x", "unknown value type 40");
    assertRefused(version, new Data("x", new long[] {18, 1000}, new byte[4]), "x", "string of 1000 bytes");
    assertRefused(version, DmTestFiles.number("x", DmDataType.LONG, 1, o), "x", null);
  }

  private void assertRefused(int version, Data d, String path, String phrase) {
    Group root = DmTestFiles.group("", DmTestFiles.group("G", d));
    if (phrase == null) {
      // Control: the same frame with a good tag parses.
      try {
        assertEquals(1, parse(version, ByteOrder.LITTLE_ENDIAN, root).root().find("G", path).number());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      return;
    }
    BadInputException e = assertThrows(BadInputException.class, () -> parse(version, ByteOrder.LITTLE_ENDIAN, root));
    assertTrue(e.getMessage().contains("tag G/" + path), e.getMessage());
    assertTrue(e.getMessage().contains(phrase), e.getMessage());
  }
}
