package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CNNAEU's batch layout ({@link CnnaeuOptions#layout}: the windows' pixel-major spectra into NCHW patches, scaled),
 * which deals the patches to the {@link PatchWorkers} and writes them in blocks of positions, against the direct
 * definition {@code out[(i·B + c)·P + p] = spectra[windows[order[from + i]·P + p]·B + c]·scale}, for 1, 2 and 3
 * threads and a patch whose position count is no multiple of the block.
 */
class CnnaeuLayoutTest {
  @Test
  void layoutEqualsTheDirectTransposeForEveryThreadCount() {
    int side = 5;
    int plane = side * side;
    int b = 7;
    int pixels = 40;
    int windows = 6;
    SplittableRandom r = new SplittableRandom(9);
    float[] spectra = new float[pixels * b];
    for (int i = 0; i < spectra.length; i++) {
      spectra[i] = (float) r.nextDouble(0, 100);
    }
    int[] indices = new int[windows * plane];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = r.nextInt(pixels);
    }
    WindowSample sample = new WindowSample(spectra, b, indices, plane);
    CnnaeuOptions o = new CnnaeuOptions(3, 1).withPatches(15, side); // the options need a whole batch; layout reads only `sample`
    int[] order = {4, 0, 5, 2, 1, 3};
    int from = 1;
    int count = 4;
    float scale = 0.25f;
    float[] expected = new float[count * b * plane];
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < b; c++) {
        for (int p = 0; p < plane; p++) {
          expected[(i * b + c) * plane + p] = spectra[indices[order[from + i] * plane + p] * b + c] * scale;
        }
      }
    }
    int previous = PatchWorkers.threads();
    try {
      for (int threads = 1; threads <= 3; threads++) {
        PatchWorkers.setThreads(threads);
        float[] out = new float[expected.length];
        o.layout(sample, order, from, count, scale, out);
        assertArrayEquals(expected, out, threads + " thread(s)");
      }
    } finally {
      PatchWorkers.setThreads(previous);
    }
  }
}
