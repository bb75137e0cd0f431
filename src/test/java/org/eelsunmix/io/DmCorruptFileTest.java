package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.eelsunmix.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Truncated and bit-flipped copies of the real files: a BadInputException naming the file, never anything else. */
class DmCorruptFileTest {
  @TempDir
  Path dir;

  private static byte[] original(String name) throws IOException {
    return Files.readAllBytes(DmReaderRealFilesTest.dataDir().resolve(name));
  }

  private BadInputException refused(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    BadInputException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(BadInputException.class, () -> DmReader.read(file)));
    assertEquals(file.toString(), e.source());
    return e;
  }

  @ParameterizedTest
  @ValueSource(strings = {"1D_test-EELS_spectrum.dm3", "3D_EELS_SI.dm4"})
  void truncatedCopiesAreRefused(String name) throws IOException {
    byte[] full = original(name);
    for (int length : new int[] {0, 7, 15, 40, 1000, full.length / 2, full.length - 9}) {
      BadInputException e = refused("cut-" + name, Arrays.copyOf(full, length));
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not a DigitalMicrograph"),
          e.getMessage());
    }
  }

  @Test
  void wrongVersionIsNamed() throws IOException {
    byte[] b = original("3D_EELS_SI.dm4");
    b[3] = 5;
    BadInputException e = refused("v5.dm4", b);
    assertTrue(e.getMessage().contains("version field at byte 0 is 5"), e.getMessage());
  }

  @Test
  void corruptByteOrderFlagIsNamed() throws IOException {
    byte[] b = original("1D_test-EELS_spectrum.dm3");
    b[11] = 7; // DM3 header: version, size, byte order (bytes 8-11)
    BadInputException e = refused("order.dm3", b);
    assertTrue(e.getMessage().contains("byte order flag"), e.getMessage());
  }

  @Test
  void unknownTagKindNamesOffsetAndPath() throws IOException {
    byte[] b = original("1D_test-EELS_spectrum.dm3");
    // DM3: 12-byte header, sorted and open flags, 4-byte count: the first tag's kind byte is at 18.
    assertEquals(21, b[18]);
    b[18] = 22;
    BadInputException e = refused("kind.dm3", b);
    assertTrue(e.getMessage().contains("unknown tag kind 22 at byte offset 18"), e.getMessage());
    assertTrue(e.getMessage().contains("ApplicationBounds"), e.getMessage());
  }

  @Test
  void brokenDataMarkAndUnknownTypeAreNamed() throws IOException {
    byte[] b = original("3D_EELS_SI.dm4");
    // DM4: 16-byte header, 2 flags, 8-byte count; tag kind, 2-byte label length, "ApplicationBounds", 8-byte size.
    int mark = 16 + 2 + 8 + 1 + 2 + "ApplicationBounds".length() + 8;
    assertEquals('%', b[mark]);
    byte[] noMark = b.clone();
    noMark[mark + 2] = '#';
    assertTrue(refused("mark.dm4", noMark).getMessage().contains("ApplicationBounds at byte offset " + mark));
    // The info array follows the mark: its length (8 bytes), then struct code 15, name length, field count, fields.
    byte[] badType = b.clone();
    int firstFieldType = mark + 4 + 8 + 8 * 4;
    assertEquals(11, badType[firstFieldType + 7]);
    badType[firstFieldType + 7] = 99;
    BadInputException e = refused("type.dm4", badType);
    assertTrue(e.getMessage().contains("unknown value type 99"), e.getMessage());
  }

  @Test
  void hugeCountsAreRefusedBeforeAllocating() throws IOException {
    byte[] b = original("3D_EELS_SI.dm4");
    // The root group's tag count (bytes 18-25) set to 2^62.
    b[18] = 0x40;
    BadInputException e = refused("count.dm4", b);
    assertTrue(e.getMessage().contains("claims 4611686018427387919 tags"), e.getMessage());
  }

  /**
   * Seeded random single-byte corruption of the tag structure and pixel data: every copy either reads (a flip in a
   * value) or is refused with a BadInputException, quickly.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1D_test-EELS_spectrum.dm3", "3D_EELS_SI.dm4", "3D_test-2.dm3"})
  void randomBitFlipsGiveOnlyBadInput(String name) throws IOException {
    byte[] full = original(name);
    SplittableRandom random = new SplittableRandom(name.hashCode());
    Path file = dir.resolve("flip-" + name);
    int refusedCount = 0;
    for (int trial = 0; trial < 60; trial++) {
      byte[] b = full.clone();
      // Half the flips land in the first 4 KiB, where the dense tag structure is.
      int at = trial % 2 == 0 ? random.nextInt(Math.min(4096, b.length)) : random.nextInt(b.length);
      b[at] ^= (byte) (1 << random.nextInt(8));
      Files.write(file, b);
      int t = trial;
      boolean refused = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        try {
          DmReader.read(file);
          return false;
        } catch (BadInputException e) {
          assertEquals(file.toString(), e.source(), "trial " + t);
          return true;
        }
      }, "flip at byte " + at);
      refusedCount += refused ? 1 : 0;
    }
    // Some flips must have hit structure: the check is not vacuous.
    assertTrue(refusedCount > 0, "no corrupt copy was refused");
  }
}
