package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticGenerator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * CNNAEU trained with its first convolution on the patches' canvas ({@link CanvasConvolution}) against the same
 * training patch by patch, on both built-in sets: the first epoch's loss agrees to float rounding, the endmembers'
 * mean SAD against the truth over seeded short runs stays within 0.02 rad (the runs part after the first steps, as
 * two float implementations do), a seeded training on the canvas is bit-identical twice and whatever the thread
 * count, and its steps that skip the batch's copy into the network's input (the loss reading its labels from the
 * batch itself, {@link NetworkSteps#shareLabels}) give the bits of the steps that copy it.
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

  @Test
  void stepsThatSkipTheInputCopyTrainBitForBitAsThoseThatCopyIt() {
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0).image();
      CnnaeuOptions o = new CnnaeuOptions(3, 11).withEpochs(2).withPatches(20, 32);
      WindowSample sample = WindowSample.of(image, o.drawWindows(image.width(), image.height(), image.id()),
          o.windowPixels());
      Object[] shared = trained(o, sample, image, true);
      Object[] copied = trained(o, sample, image, false);
      assertTrue((int) shared[3] > 0, set + ": steps skipped the copy");
      assertEquals(0, (int) copied[3], set + ": no step skipped the copy");
      assertArrayEquals((double[]) copied[0], (double[]) shared[0], set + ": losses");
      double[][] m = (double[][]) copied[1];
      for (int r = 0; r < m.length; r++) {
        assertArrayEquals(m[r], ((double[][]) shared[1])[r], set + ": endmember " + r);
      }
      assertArrayEquals((double[]) copied[2], (double[]) shared[2], set + ": abundances");
    }
  }

  /** Losses, endmembers, abundances and the steps that skipped the copy of one seeded training. */
  private static Object[] trained(CnnaeuOptions o, WindowSample sample, SpectrumImage image, boolean share) {
    boolean previous = NetworkSteps.shareLabels(share);
    try {
      MultiLayerNetwork net = Cnnaeu.network(image.channels(), o);
      NetworkSteps steps = new NetworkSteps(o, net, image.channels());
      TrainedNetwork t = AutoencoderFit.fit(o, sample, image.id(), net, steps);
      return new Object[] {t.losses(), Cnnaeu.decoderEndmembers(t.network()),
          Cnnaeu.abundances(t.network(), image).values(), steps.sharedSteps()};
    } finally {
      NetworkSteps.shareLabels(previous);
    }
  }
}
