package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.dataset.ChunkedDataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pixel ranges read through {@link SpectrumSource} equal the same pixels of the whole image, for every real file of
 * ../shared/data and for layouts those files lack (band-sequential Ripple, multi-block transposes, chunked and
 * contiguous HDF5 with chunks that do not divide the array).
 */
class SpectrumSourceTest {
  static final Path DATA = Path.of(System.getProperty("eelsunmix.shared.data", "../shared/data"));

  @TempDir
  Path dir;

  /** Every readable real file, every range [p0, p1) of up to 5 pixels and the whole image. */
  @Test
  void rangesOfRealFilesEqualTheWholeImage() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String folder : new String[] {"dm", "hspy", "ripple"}) {
      try (Stream<Path> s = Files.list(DATA.resolve(folder))) {
        s.filter(f -> AcquisitionFiles.formatOf(f) != null).sorted().forEach(files::add);
      }
    }
    int readable = 0;
    for (Path f : files) {
      SpectralFile whole;
      try {
        whole = AcquisitionFiles.read(f);
      } catch (org.eelsunmix.core.BadInputException e) {
        continue; // image stacks and complex data: refused, as DmReaderRealFilesTest checks
      }
      readable++;
      try (SpectrumSource s = AcquisitionFiles.open(f)) {
        assertEquals(whole.image().width(), s.header().width(), f.toString());
        assertEquals(whole.image().height(), s.header().height(), f.toString());
        assertEquals(whole.image().axis(), s.header().axis(), f.toString());
        assertRangesMatch(s, whole.image().data(), f.toString());
      }
    }
    assertEquals(2 + 3 + 8, readable);
  }

  static void assertRangesMatch(SpectrumSource s, float[] expected, String what) throws IOException {
    int c = s.header().axis().channels();
    int pixels = (int) s.header().pixels();
    for (int p0 = 0; p0 < pixels; p0++) {
      for (int p1 = p0; p1 <= Math.min(pixels, p0 + 5); p1++) {
        float[] got = new float[(p1 - p0) * c + 3];
        s.readPixels(p0, p1, got, 3);
        assertArrayEquals(Arrays.copyOfRange(expected, p0 * c, p1 * c), Arrays.copyOfRange(got, 3, got.length),
            what + " pixels [" + p0 + ", " + p1 + ")");
      }
    }
  }

  /** A record-by image (band-sequential) Ripple pair read in ranges equals the pixel-major values. */
  @Test
  void bandSequentialRippleRangesArePixelMajor() throws IOException {
    int w = 7;
    int h = 5;
    int depth = 6;
    short[] pixelMajor = new short[w * h * depth];
    ByteBuffer raw = ByteBuffer.allocate(2 * pixelMajor.length).order(ByteOrder.BIG_ENDIAN);
    for (int e = 0; e < depth; e++) {
      for (int p = 0; p < w * h; p++) {
        short v = (short) (p * 100 - e * 7);
        pixelMajor[p * depth + e] = v;
        raw.putShort(v);
      }
    }
    Files.write(dir.resolve("bands.raw"), raw.array());
    Files.writeString(dir.resolve("bands.rpl"), "width " + w + "\nheight " + h + "\ndepth " + depth + "\noffset 0\n"
        + "data-length 2\ndata-type signed\nbyte-order big-endian\nrecord-by image\n");
    float[] expected = new float[pixelMajor.length];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = pixelMajor[i];
    }
    try (SpectrumSource s = AcquisitionFiles.open(dir.resolve("bands.rpl"))) {
      assertEquals(NumericType.INT16, s.header().dtype());
      assertRangesMatch(s, expected, "bands.rpl");
    }
  }

  /** Transposes larger than one 1 MiB block: runs of pixels and blocks of bands both split. */
  @Test
  void bandSequentialReadsSplitIntoBlocksGiveTheSameValues() throws IOException {
    long plane = 600_000;
    int channels = 3;
    Path f = dir.resolve("planes.bin");
    ByteBuffer b = ByteBuffer.allocate((int) (plane * channels * 2)).order(ByteOrder.LITTLE_ENDIAN);
    for (int e = 0; e < channels; e++) {
      for (int p = 0; p < plane; p++) {
        b.putShort((short) ((p * 31 + e * 1000) & 0xFFFF));
      }
    }
    Files.write(f, b.array());
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      StoredValues v = new StoredValues("planes.bin", ch, 0, plane * channels, NumericType.UINT16,
          ByteOrder.LITTLE_ENDIAN);
      for (long[] r : new long[][] {{0, 600_000}, {12_345, 590_001}, {599_999, 600_000}, {7, 300}}) {
        int n = (int) (r[1] - r[0]);
        float[] got = new float[n * channels];
        v.readBandSequential(plane, channels, r[0], n, got, 0);
        for (int k = 0; k < n; k += 997) {
          for (int e = 0; e < channels; e++) {
            assertEquals(((r[0] + k) * 31 + e * 1000) & 0xFFFF, got[k * channels + e], 0.0, "pixel " + (r[0] + k));
          }
        }
        assertEquals(((r[1] - 1) * 31 + 2 * 1000) & 0xFFFF, got[n * channels - 1], 0.0);
      }
    }
  }

  /**
   * HDF5 chunks that do not divide the array (edge chunks), shuffled and deflated, and contiguous storage. jHDF 0.13
   * writes a group holding a dataset beside other groups unreadably, so the array is written alone and the layout
   * (what {@link HspyReader#open} derives from the axis groups) is given directly.
   */
  @Test
  void hdf5ChunkedAndContiguousRangesEqualTheArray() throws IOException {
    int h = 5;
    int w = 7;
    int e = 11;
    float[][][] cube = new float[h][w][e];
    float[] flat = new float[h * w * e];
    Random random = new Random(3);
    for (int i = 0; i < flat.length; i++) {
      flat[i] = random.nextInt(1000);
      cube[i / (w * e)][i / e % w][i % e] = flat[i];
    }
    DatasetCreationOptions chunked = DatasetCreationOptions.builder().chunkDimensions(2, 3, 4).shuffle().deflate()
        .build();
    for (DatasetCreationOptions options : new DatasetCreationOptions[] {chunked, DatasetCreationOptions.DEFAULT}) {
      Path f = dir.resolve("array" + options.isChunked() + ".h5");
      try (WritableHdfFile hdf = HdfFile.write(f)) {
        hdf.putDataset("data", cube, options);
      }
      try (HdfFile hdf = new HdfFile(f)) {
        assertEquals(options.isChunked(), hdf.getDatasetByPath("/data") instanceof ChunkedDataset);
      }
      try (SpectrumSource s = HspyReader.openArray(f, "/data", new EnergyAxis(100, 0.5, "eV", e))) {
        assertEquals(h, s.header().height());
        assertEquals(w, s.header().width());
        assertRangesMatch(s, flat, f.toString());
      }
      BadInputException wrong = assertThrows(BadInputException.class,
          () -> HspyReader.openArray(f, "/data", new EnergyAxis(100, 0.5, "eV", e + 1)));
      assertTrue(wrong.getMessage().contains(f.toString()) && wrong.getMessage().contains("channels"),
          wrong.getMessage());
    }
  }
}
