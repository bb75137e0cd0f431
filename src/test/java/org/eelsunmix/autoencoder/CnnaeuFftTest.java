package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * CNNAEU with its decoder by FFT ({@link FftConvolution}) against the same network with the decoder by im2col and
 * GEMMs ({@link SameConvolution}, the path before it), on both built-in sets with the reference's 13×13 decoder:
 * the first epoch's loss agrees to float rounding, the endmembers' mean SAD against the truth over seeded short
 * runs stays within 0.02 rad (the runs part after the first steps, as two float implementations do), and a seeded
 * training with the FFT decoder is bit-identical twice and whatever the thread count.
 */
class CnnaeuFftTest {
  private static double sad(SyntheticCube cube, CnnaeuOptions o, boolean fft, double[][] losses, int slot) {
    boolean previous = FusedConvolutionLayer.allowFft(fft);
    try {
      return CnnaeuSeededRun.meanSad(cube, o, losses, slot);
    } finally {
      FusedConvolutionLayer.allowFft(previous);
    }
  }

  private static void compare(String set, int r, int epochs, int patches, long... seeds) {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
    double fft = 0;
    double gemm = 0;
    for (long seed : seeds) {
      CnnaeuOptions o = new CnnaeuOptions(r, seed).withEpochs(epochs).withPatches(patches, 24);
      double[][] losses = new double[2][];
      double f = sad(cube, o, true, losses, 0);
      double g = sad(cube, o, false, losses, 1);
      System.out.printf("CNNAEU %s seed %d, 13x13 decoder: mean SAD FFT %.5f, GEMM %.5f; first loss %.7f vs %.7f%n",
          set, seed, f, g, losses[0][0], losses[1][0]);
      assertEquals(losses[1][0], losses[0][0], 1e-5 * losses[1][0], set + " seed " + seed + " first epoch");
      fft += f / seeds.length;
      gemm += g / seeds.length;
    }
    System.out.printf("CNNAEU %s mean SAD over %d seeds: FFT %.5f, GEMM %.5f%n", set, seeds.length, fft, gemm);
    assertEquals(gemm, fft, 0.02, set + " mean SAD over the seeds");
  }

  @Test
  void fftDecoderTrainsAsTheGemmDecoderOnCoRuPt() {
    compare("co-ru-pt", 3, 12, 30, 1, 2, 3);
  }

  @Test
  void fftDecoderTrainsAsTheGemmDecoderOnKEdges() {
    compare("k-edges", 4, 8, 15, 1, 2);
  }

  @Test
  void seededTrainingIsBitIdenticalTwiceAndWhateverTheThreads() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 0);
    CnnaeuOptions o = new CnnaeuOptions(3, 5).withEpochs(3).withPatches(30, 24);
    int previous = PatchWorkers.threads();
    try {
      PatchWorkers.setThreads(2);
      AutoencoderResult a = Cnnaeu.train(cube.image(), o);
      AutoencoderResult b = Cnnaeu.train(cube.image(), o);
      PatchWorkers.setThreads(1);
      AutoencoderResult c = Cnnaeu.train(cube.image(), o);
      assertArrayEquals(a.losses(), b.losses());
      assertArrayEquals(a.unmixing().abundances().values(), b.unmixing().abundances().values());
      assertEquals(a.unmixing().endmembers(), b.unmixing().endmembers());
      assertArrayEquals(a.losses(), c.losses());
      assertEquals(a.unmixing().endmembers(), c.unmixing().endmembers());
    } finally {
      PatchWorkers.setThreads(previous);
    }
  }
}
