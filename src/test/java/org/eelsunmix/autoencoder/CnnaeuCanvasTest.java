package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * CNNAEU trained with its first convolution on the patches' canvas ({@link CanvasConvolution}) against the same
 * training patch by patch, on both built-in sets: the first epoch's loss agrees to float rounding, the endmembers'
 * mean SAD against the truth over seeded short runs stays within 0.02 rad (the runs part after the first steps, as
 * two float implementations do), and a seeded training on the canvas is bit-identical twice and whatever the thread
 * count.
 */
class CnnaeuCanvasTest {
  private static void compare(String set, int r, int epochs, int patches, long... seeds) {
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0).image();
    for (long seed : seeds) {
      CnnaeuOptions o = new CnnaeuOptions(r, seed).withEpochs(epochs).withPatches(patches, 32);
      PatchCanvas canvas = PatchCanvas.of(WindowSample.of(image, o.drawWindows(image.width(), image.height(),
          image.id()), o.windowPixels()), 32);
      assertNotNull(canvas, "the patches of seed " + seed + " connect");
      assertTrue(canvas.pays(o.batchSize(), Cnnaeu.ENCODER_KERNEL), "a batch is cheaper on the canvas");
    }
    double[][][] losses = CnnaeuSeededRun.comparePaths(set, r, epochs, patches, 32, PatchCanvas::allow, "canvas",
        "patch by patch", seeds);
    for (double[][] l : losses) {
      // Not the same bits: the canvas regroups the sums, so the canvas path did run.
      assertNotEquals(l[1][epochs - 1], l[0][epochs - 1]);
    }
  }

  @Test
  void theCanvasTrainsAsPatchByPatchOnCoRuPt() {
    compare("co-ru-pt", 3, 12, 30, 1, 2, 3);
  }

  @Test
  void theCanvasTrainsAsPatchByPatchOnKEdges() {
    compare("k-edges", 4, 8, 15, 1, 2);
  }

  @Test
  void seededTrainingOnTheCanvasIsBitIdenticalTwiceAndWhateverTheThreads() {
    CnnaeuSeededRun.assertBitIdentical(new CnnaeuOptions(3, 5).withEpochs(3).withPatches(30, 32), 2, 1, 3);
  }
}
