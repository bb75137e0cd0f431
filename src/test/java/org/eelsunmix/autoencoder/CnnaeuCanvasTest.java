package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticCube;
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
  private static double sad(SyntheticCube cube, CnnaeuOptions o, boolean canvas, double[][] losses, int slot) {
    boolean previous = PatchCanvas.allow(canvas);
    try {
      return CnnaeuSeededRun.meanSad(cube, o, losses, slot);
    } finally {
      PatchCanvas.allow(previous);
    }
  }

  private static void compare(String set, int r, int epochs, int patches, long... seeds) {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
    double onCanvas = 0;
    double byPatch = 0;
    for (long seed : seeds) {
      CnnaeuOptions o = new CnnaeuOptions(r, seed).withEpochs(epochs).withPatches(patches, 32);
      SpectrumImage image = cube.image();
      PatchCanvas canvas = PatchCanvas.of(WindowSample.of(image, o.drawWindows(image.width(), image.height(),
          image.id()), o.windowPixels()), 32);
      assertNotNull(canvas, "the patches of seed " + seed + " connect");
      assertTrue(canvas.pays(o.batchSize(), Cnnaeu.ENCODER_KERNEL), "a batch is cheaper on the canvas");
      double[][] losses = new double[2][];
      double f = sad(cube, o, true, losses, 0);
      double g = sad(cube, o, false, losses, 1);
      System.out.printf("CNNAEU %s seed %d: mean SAD canvas %.5f, patch by patch %.5f; first loss %.7f vs %.7f%n",
          set, seed, f, g, losses[0][0], losses[1][0]);
      assertEquals(losses[1][0], losses[0][0], 1e-5 * losses[1][0], set + " seed " + seed + " first epoch");
      // Not the same bits: the canvas regroups the sums, so the canvas path did run.
      assertNotEquals(losses[1][epochs - 1], losses[0][epochs - 1]);
      onCanvas += f / seeds.length;
      byPatch += g / seeds.length;
    }
    System.out.printf("CNNAEU %s mean SAD over %d seeds: canvas %.5f, patch by patch %.5f%n", set, seeds.length,
        onCanvas, byPatch);
    assertEquals(byPatch, onCanvas, 0.02, set + " mean SAD over the seeds");
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
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 0);
    CnnaeuOptions o = new CnnaeuOptions(3, 5).withEpochs(3).withPatches(30, 32);
    int previous = PatchWorkers.threads();
    try {
      PatchWorkers.setThreads(2);
      AutoencoderResult a = Cnnaeu.train(cube.image(), o);
      AutoencoderResult b = Cnnaeu.train(cube.image(), o);
      PatchWorkers.setThreads(1);
      AutoencoderResult c = Cnnaeu.train(cube.image(), o);
      PatchWorkers.setThreads(3);
      AutoencoderResult d = Cnnaeu.train(cube.image(), o);
      assertArrayEquals(a.losses(), b.losses());
      assertArrayEquals(a.unmixing().abundances().values(), b.unmixing().abundances().values());
      assertEquals(a.unmixing().endmembers(), b.unmixing().endmembers());
      assertArrayEquals(a.losses(), c.losses());
      assertEquals(a.unmixing().endmembers(), c.unmixing().endmembers());
      assertArrayEquals(a.losses(), d.losses());
      assertArrayEquals(a.unmixing().abundances().values(), d.unmixing().abundances().values());
    } finally {
      PatchWorkers.setThreads(previous);
    }
  }
}
