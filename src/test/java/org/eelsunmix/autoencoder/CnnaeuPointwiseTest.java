package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * CNNAEU with this round's layers (the 1×1 convolution in Java, {@link PointwiseConvolution}; LeakyReLU in Java,
 * {@link LeakyRelu}) against the path before them (im2col + BLAS, {@link SameConvolution}; DL4J's activation) on
 * co-ru-pt: the first epoch's loss agrees to float rounding and the endmembers' mean SAD against the truth over
 * seeded short runs stays within 0.02 rad, the tolerance of the earlier rounds (the 1×1 layer sums in double, BLAS in
 * float, so the runs part after the first steps; LeakyReLU is DL4J's bit for bit, {@code FusedConvolutionTest}).
 * Bit-identical seeded training twice and whatever the thread count: {@code CnnaeuWinogradTest}, on this path.
 */
class CnnaeuPointwiseTest {
  private static double sad(SyntheticCube cube, CnnaeuOptions o, boolean now, double[][] losses, int slot) {
    boolean pointwise = FusedConvolutionLayer.allowPointwise(now);
    boolean activation = FusedConvolutionLayer.allowJavaActivation(now);
    try {
      return CnnaeuSeededRun.meanSad(cube, o, losses, slot);
    } finally {
      FusedConvolutionLayer.allowPointwise(pointwise);
      FusedConvolutionLayer.allowJavaActivation(activation);
    }
  }

  @Test
  void trainsAsThePathBeforeOnCoRuPt() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 0);
    long[] seeds = {1, 2, 3};
    double now = 0;
    double before = 0;
    for (long seed : seeds) {
      CnnaeuOptions o = new CnnaeuOptions(3, seed).withEpochs(12).withPatches(30, 24);
      double[][] losses = new double[2][];
      double f = sad(cube, o, true, losses, 0);
      double g = sad(cube, o, false, losses, 1);
      System.out.printf("CNNAEU co-ru-pt seed %d: mean SAD now %.5f, before %.5f; first loss %.7f vs %.7f%n", seed,
          f, g, losses[0][0], losses[1][0]);
      assertEquals(losses[1][0], losses[0][0], 1e-5 * losses[1][0], "seed " + seed + " first epoch");
      now += f / seeds.length;
      before += g / seeds.length;
    }
    System.out.printf("CNNAEU co-ru-pt mean SAD over %d seeds: now %.5f, before %.5f%n", seeds.length, now, before);
    assertEquals(before, now, 0.02, "mean SAD over the seeds");
  }
}
