package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One seeded in-memory CNNAEU training on a synthetic cube and the mean SAD of its endmembers against the truth: the
 * run the layer-comparison tests ({@code CnnaeuFftTest}, {@code CnnaeuWinogradTest}, {@code CnnaeuCanvasTest}) make
 * once per path, their comparison of the two paths over seeds, and their check that a seeded training repeats bit for
 * bit whatever the thread count.
 */
final class CnnaeuSeededRun {
  private CnnaeuSeededRun() {}

  /** Trains with {@code o}, stores the per-epoch losses in {@code losses[slot]}, returns the mean SAD (rad). */
  static double meanSad(SyntheticCube cube, CnnaeuOptions o, double[][] losses, int slot) {
    SpectrumImage image = cube.image();
    WindowSample sample = WindowSample.of(image, o.drawWindows(image.width(), image.height(), image.id()),
        o.windowPixels());
    MultiLayerNetwork net = Cnnaeu.network(image.channels(), o);
    TrainedNetwork t = AutoencoderFit.fit(o, sample, image.id(), net);
    losses[slot] = t.losses();
    Endmembers m = new Endmembers(Cnnaeu.decoderEndmembers(t.network()), null, image.axis());
    return UnmixingScores.score(cube.truthEndmembers(), cube.truthAbundances(), m,
        Cnnaeu.abundances(t.network(), image), image).meanSad();
  }

  /** Turns a computing path on or off for networks trained from now on; returns the previous setting. */
  interface Path {
    boolean allow(boolean on);
  }

  /**
   * Seeded short trainings of the built-in {@code set} (replicate 0) with {@code path} on and off: prints each seed's
   * mean SAD and first loss, asserts the first epoch's losses equal to float rounding (1e-5 relative) and the mean
   * SAD over the seeds within 0.02 rad.
   *
   * @return each seed's per-epoch losses, {@code [seed][0]} with the path, {@code [seed][1]} without
   */
  static double[][][] comparePaths(String set, int r, int epochs, int patches, int patchSize, Path path, String on,
      String off, long... seeds) {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
    double[][][] losses = new double[seeds.length][2][];
    double with = 0;
    double without = 0;
    for (int s = 0; s < seeds.length; s++) {
      CnnaeuOptions o = new CnnaeuOptions(r, seeds[s]).withEpochs(epochs).withPatches(patches, patchSize);
      double f = trained(cube, o, path, true, losses[s], 0);
      double g = trained(cube, o, path, false, losses[s], 1);
      System.out.printf("CNNAEU %s seed %d: mean SAD %s %.5f, %s %.5f; first loss %.7f vs %.7f%n", set, seeds[s], on,
          f, off, g, losses[s][0][0], losses[s][1][0]);
      assertEquals(losses[s][1][0], losses[s][0][0], 1e-5 * losses[s][1][0], set + " seed " + seeds[s]
          + " first epoch");
      with += f / seeds.length;
      without += g / seeds.length;
    }
    System.out.printf("CNNAEU %s mean SAD over %d seeds: %s %.5f, %s %.5f%n", set, seeds.length, on, with, off,
        without);
    assertEquals(without, with, 0.02, set + " mean SAD over the seeds");
    return losses;
  }

  private static double trained(SyntheticCube cube, CnnaeuOptions o, Path path, boolean on, double[][] losses,
      int slot) {
    boolean previous = path.allow(on);
    try {
      return meanSad(cube, o, losses, slot);
    } finally {
      path.allow(previous);
    }
  }

  /**
   * Trains {@code o} on co-ru-pt (replicate 0) twice on {@code threads} threads, then once on each of {@code others},
   * and asserts the same losses, endmembers and abundances, bit for bit.
   */
  static void assertBitIdentical(CnnaeuOptions o, int threads, int... others) {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 0);
    int previous = PatchWorkers.threads();
    try {
      PatchWorkers.setThreads(threads);
      AutoencoderResult a = Cnnaeu.train(cube.image(), o);
      AutoencoderResult b = Cnnaeu.train(cube.image(), o);
      assertSame(a, b, threads + " threads twice");
      for (int t : others) {
        PatchWorkers.setThreads(t);
        assertSame(a, Cnnaeu.train(cube.image(), o), t + " threads against " + threads);
      }
    } finally {
      PatchWorkers.setThreads(previous);
    }
  }

  static void assertSame(AutoencoderResult a, AutoencoderResult b, String what) {
    assertArrayEquals(a.losses(), b.losses(), what + ": losses");
    assertEquals(a.unmixing().endmembers(), b.unmixing().endmembers(), what + ": endmembers");
    assertArrayEquals(a.unmixing().abundances().values(), b.unmixing().abundances().values(), what
        + ": abundances");
  }
}
