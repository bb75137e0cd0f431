package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written DM4 spectrum image reads back (band-sequential on disk, pixel-major in memory) with its axis. */
class DmWriterTest {
  @Test
  void roundTrip(@TempDir Path dir) throws Exception {
    int h = 3;
    int w = 4;
    int c = 5;
    float[] v = new float[h * w * c];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.5f - 7;
    }
    SpectrumImage image = new SpectrumImage("si", h, w, new EnergyAxis(300, 0.25, "eV", c), v);
    Path f = dir.resolve("si.dm4");
    DmWriter.write(f, image);
    SpectralFile back = DmReader.read(f);
    assertEquals("dm4", back.format());
    assertEquals("float32", back.dtype());
    assertArrayEquals(new long[] {h, w, c}, back.shape());
    assertEquals(image.axis(), back.image().axis());
    assertArrayEquals(v, back.image().data());
    try (SpectrumSource s = AcquisitionFiles.open(f)) {
      SpectrumSourceTest.assertRangesMatch(s, v, f.toString());
    }
  }
}
