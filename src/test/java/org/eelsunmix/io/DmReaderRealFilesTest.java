package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real DM3/DM4 files of {@code shared/data/dm} (from rosettasciio's test data) against the values HyperSpy
 * 1.7.3 reports for them (shared/data/README.md), and against the raw bytes of the files.
 */
class DmReaderRealFilesTest {

  static Path dataDir() {
    return Path.of(System.getProperty("eelsunmix.shared.data", "../shared/data")).resolve("dm");
  }

  /** A spectrum file the reader must read, with HyperSpy's numbers. */
  record Expected(String file, String format, String dtype, long[] shape, double offset, double scale, double sum,
      double first) {}

  static Stream<Expected> readable() {
    return Stream.of(
        new Expected("1D_test-EELS_spectrum.dm3", "dm3", "float32", new long[] {2048}, -100, 0.5, -7678.56,
            -20.6796),
        new Expected("3D_EELS_SI.dm4", "dm4", "float32", new long[] {2, 2, 2048}, 300, 1, 7.16907e+06, 8473.01));
  }

  /** Files that must be refused, with a phrase the message must contain. */
  static final Map<String, String> REFUSED = Map.of(
      "3D_test-1.dm3", "is an image stack",
      "3D_test-1.dm4", "is an image stack",
      "3D_test-2.dm3", "is an image stack",
      "3D_test-2.dm4", "is an image stack",
      "3D_test-13.dm4", "complex128 data",
      "3D_test-27.dm4", "complex64 data",
      "3D_test-3.dm3", "complex64 data",
      "3D_test-3.dm4", "complex64 data");

  @ParameterizedTest
  @MethodSource("readable")
  void readsSpectraAsHyperSpyDoes(Expected e) {
    SpectralFile f = DmReader.read(dataDir().resolve(e.file()));
    assertEquals(e.format(), f.format());
    assertEquals(e.dtype(), f.dtype());
    assertArrayEquals(e.shape(), f.shape());
    SpectrumImage si = f.image();
    assertEquals(e.shape()[e.shape().length - 1], si.channels());
    assertEquals(e.offset(), si.axis().offset(), 1e-9);
    assertEquals(e.scale(), si.axis().scale(), 1e-12);
    assertEquals("eV", si.axis().units());
    double sum = 0;
    for (float v : si.data()) {
      sum += v;
    }
    // The README gives six significant digits.
    assertEquals(e.sum(), sum, 1e-5 * Math.abs(e.sum()));
    assertEquals(e.first(), si.data()[0], 1e-5 * Math.abs(e.first()));
    assertEquals(e.file().replaceFirst("\\.dm[34]$", ""), si.id());
    assertEquals(f.path(), dataDir().resolve(e.file()).toString());
  }

  @Test
  void spectrumIsOneByOnePixel() {
    SpectralFile f = DmReader.read(dataDir().resolve("1D_test-EELS_spectrum.dm3"));
    assertEquals(1, f.image().height());
    assertEquals(1, f.image().width());
    assertTrue(Double.isNaN(f.navigationScale()));
    assertEquals("200", f.metadata().get("beam_energy_kV"));
    assertEquals("EELS", f.metadata().get("signal_type"));
  }

  @Test
  void spectrumImageCalibrationAndMetadata() {
    SpectralFile f = DmReader.read(dataDir().resolve("3D_EELS_SI.dm4"));
    assertEquals(2, f.image().height());
    assertEquals(2, f.image().width());
    assertEquals(0.00199207, f.navigationScale(), 1e-8);
    assertEquals("µm", f.navigationUnits());
    assertEquals(300.0, f.image().axis().energy(0), 1e-9);
    assertEquals(2347.0, f.image().axis().end(), 1e-9);
    Map<String, String> m = f.metadata();
    assertEquals("200", m.get("beam_energy_kV"));
    assertEquals("FEI Titan", m.get("microscope"));
    assertEquals("14/05/2019", m.get("acquisition_date"));
    assertEquals("20:50:13", m.get("acquisition_time"));
    assertEquals("Spectrum image", m.get("format"));
    assertTrue(m.get("exposure_s").startsWith("0.01995"), m.get("exposure_s"));
  }

  /**
   * The transposition against the raw file: DM stores the SI band-sequential (x fastest, then y, then energy), so
   * stored value {@code x + X·(y + Y·e)} must land at pixel (y, x), channel e.
   */
  @Test
  void spectrumImageIsTransposedFromBandSequentialBytes() throws IOException {
    Path file = dataDir().resolve("3D_EELS_SI.dm4");
    float[] raw = rawData(file);
    SpectrumImage si = DmReader.read(file).image();
    int w = 2;
    int h = 2;
    int c = 2048;
    assertEquals(w * h * c, raw.length);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double[] s = si.spectrum(y, x);
        for (int e = 0; e < c; e++) {
          assertEquals(raw[x + w * (y + h * e)], s[e], 0.0, "pixel " + y + "," + x + " channel " + e);
        }
      }
    }
    // The spectra differ from pixel to pixel, so a wrong transposition could not pass by accident.
    assertTrue(si.spectrum(0, 1)[100] != si.spectrum(1, 0)[100]);
  }

  /** The refused image stacks still parse: their data, read raw at the Data tag's offset, sum to 36, first 1. */
  @ParameterizedTest
  @MethodSource("realStacks")
  void imageStackDataIsFoundByTheTagParser(String name) throws IOException {
    float[] raw = rawData(dataDir().resolve(name));
    assertEquals(8, raw.length);
    double sum = 0;
    for (float v : raw) {
      sum += v;
    }
    assertEquals(36.0, sum, 0.0);
    assertEquals(1.0f, raw[0]);
  }

  static Stream<String> realStacks() {
    return Stream.of("3D_test-1.dm3", "3D_test-1.dm4", "3D_test-2.dm3", "3D_test-2.dm4");
  }

  @Test
  void stacksAndComplexDataAreRefusedWithReasons() {
    for (Map.Entry<String, String> e : REFUSED.entrySet()) {
      Path file = dataDir().resolve(e.getKey());
      BadInputException x = assertThrows(BadInputException.class, () -> DmReader.read(file), e.getKey());
      assertTrue(x.getMessage().startsWith(file.toString() + ": "), x.getMessage());
      assertTrue(x.getMessage().contains(e.getValue()), x.getMessage());
      if (e.getValue().contains("complex")) {
        assertTrue(x.getMessage().contains("complex data cannot be unmixed"), x.getMessage());
      } else {
        assertTrue(x.getMessage().contains("not a spectrum image"), x.getMessage());
      }
    }
  }

  /** Every DM file in the folder is covered by one of the tests above. */
  @Test
  void everyFileInTheFolderIsCovered() throws IOException {
    List<String> known = Stream.concat(readable().map(Expected::file), REFUSED.keySet().stream()).toList();
    try (Stream<Path> files = Files.list(dataDir())) {
      List<String> present = files.map(p -> p.getFileName().toString()).filter(n -> n.matches(".*\\.dm[34]"))
          .sorted().collect(Collectors.toList());
      assertEquals(known.stream().sorted().toList(), present);
    }
  }

  /**
   * The pixels of the data image, decoded here independently of DmReader: int16 or float32 elements read from
   * the Data tag's file offset in the header's byte order.
   */
  private static float[] rawData(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file)) {
      DmTagParser.Tree tree = DmTagParser.parse(ch, file.toString());
      // The thumbnail (RGBA, DataType 23) is larger than these tiny images: take the one image that is not RGBA.
      DmTag best = null;
      for (DmTag image : tree.root().child("ImageList").children()) {
        if (image.find("ImageData", "DataType").number() != 23) {
          assertEquals(null, best);
          best = image.find("ImageData", "Data");
        }
      }
      ByteBuffer b = ByteBuffer.allocate((int) best.byteLength()).order(tree.dataOrder());
      ch.read(b, best.offset());
      b.flip();
      float[] out = new float[(int) best.count()];
      for (int i = 0; i < out.length; i++) {
        out[i] = best.elementType() == DmDataType.SHORT ? b.getShort() : b.getFloat();
      }
      assertEquals(ByteOrder.LITTLE_ENDIAN, tree.dataOrder());
      return out;
    }
  }
}
