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
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {
  @TempDir
  Path dir;

  private List<Path> folderContents() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void writesExactlyWhatNumpySaveWrites() throws IOException {
    // Bytes of numpy.save(f, np.arange(6, dtype='<f4').reshape(2, 3)), spelled out from NEP 1.
    Path f = dir.resolve("a.npy");
    NpyWriter.write(f, new int[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5});
    byte[] got = Files.readAllBytes(f);
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    ByteBuffer expected = ByteBuffer.allocate(128 + 24).order(ByteOrder.LITTLE_ENDIAN);
    expected.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    expected.putShort((short) 118).put(dict.getBytes(StandardCharsets.US_ASCII));
    while (expected.position() < 127) {
      expected.put((byte) ' ');
    }
    expected.put((byte) '\n');
    for (int i = 0; i < 6; i++) {
      expected.putFloat(i);
    }
    assertArrayEquals(expected.array(), got);
    assertEquals(List.of(f), folderContents(), "no temporary file left behind");
  }

  @Test
  void float32RoundTripIsBitIdentical() throws IOException {
    Random rnd = new Random(11);
    float[] v = new float[4 * 5 * 7];
    for (int i = 0; i < v.length; i++) {
      v[i] = Float.intBitsToFloat(rnd.nextInt());
    }
    float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x7fc00123)};
    System.arraycopy(specials, 0, v, 0, specials.length);
    Path f = dir.resolve("f32.npy");
    NpyWriter.write(f, new int[] {4, 5, 7}, v);
    NpyArray a = NpyReader.read(f);
    assertEquals(NumericType.FLOAT32, a.sourceType());
    assertArrayEquals(new int[] {4, 5, 7}, a.shape());
    float[] back = a.floats();
    for (int i = 0; i < v.length; i++) {
      assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "element " + i);
    }
    assertEquals(0, NpyHeader.read(f).dataOffset() % 64);
  }

  @Test
  void float64RoundTripIsBitIdentical() throws IOException {
    Random rnd = new Random(12);
    // More than one 1 MiB write buffer (131 072 doubles).
    double[] v = new double[200_001];
    for (int i = 0; i < v.length; i++) {
      v[i] = Double.longBitsToDouble(rnd.nextLong());
    }
    v[0] = -0.0;
    v[1] = Double.MIN_VALUE;
    v[2] = Double.NEGATIVE_INFINITY;
    Path f = dir.resolve("f64.npy");
    NpyWriter.write(f, new int[] {v.length}, v);
    NpyArray a = NpyReader.read(f);
    assertTrue(a.isDoublePrecision());
    double[] back = a.doubles();
    for (int i = 0; i < v.length; i++) {
      assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(back[i]), "element " + i);
    }
  }

  @Test
  void scalarAndEmptyArraysRoundTrip() throws IOException {
    Path s = dir.resolve("s.npy");
    NpyWriter.write(s, new int[0], new double[] {42.5});
    assertEquals("()", NpyHeader.read(s).shapeString());
    assertArrayEquals(new double[] {42.5}, NpyReader.read(s).doubles());

    Path e = dir.resolve("e.npy");
    NpyWriter.write(e, new int[] {0, 3}, new float[0]);
    NpyArray a = NpyReader.read(e);
    assertArrayEquals(new int[] {0, 3}, a.shape());
    assertEquals(0, a.size());
  }

  @Test
  void overwritesAnExistingFileAtomically() throws IOException {
    Path f = dir.resolve("a.npy");
    NpyWriter.write(f, new int[] {3}, new double[] {1, 2, 3});
    NpyWriter.write(f, new int[] {2}, new float[] {7, 8});
    NpyArray a = NpyReader.read(f);
    assertArrayEquals(new float[] {7, 8}, a.floats());
    assertEquals(List.of(f), folderContents());
  }

  @Test
  void failedWriteLeavesNoTemporaryFileAndTheTargetUntouched() throws IOException {
    // The target is a non-empty folder: the final rename fails after the data was written to the temp file.
    Path target = dir.resolve("busy.npy");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep.txt"), "x");
    assertThrows(IOException.class, () -> NpyWriter.write(target, new int[] {2}, new float[] {1, 2}));
    assertEquals(List.of(target), folderContents());
    assertTrue(Files.isDirectory(target));
    assertEquals("x", Files.readString(target.resolve("keep.txt")));
  }

  @Test
  void shapeMismatchIsRefusedBeforeWriting() throws IOException {
    Path f = dir.resolve("bad.npy");
    assertThrows(IllegalArgumentException.class, () -> NpyWriter.write(f, new int[] {2, 2}, new float[5]));
    assertThrows(IllegalArgumentException.class, () -> NpyWriter.write(f, new int[] {-1}, new float[0]));
    assertFalse(Files.exists(f));
    assertEquals(List.of(), folderContents());
  }

  @Test
  void missingFolderIsAnError() {
    Path f = dir.resolve("no/such/folder/a.npy");
    assertThrows(IOException.class, () -> NpyWriter.write(f, new int[] {1}, new float[] {1}));
  }
}
