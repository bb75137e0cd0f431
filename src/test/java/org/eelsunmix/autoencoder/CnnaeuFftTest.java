package org.eelsunmix.autoencoder;

import org.junit.jupiter.api.Test;

/**
 * CNNAEU with its decoder by FFT ({@link FftConvolution}) against the same network with the decoder by im2col and
 * GEMMs ({@link SameConvolution}, the path before it), on both built-in sets with the reference's 13×13 decoder:
 * the first epoch's loss agrees to float rounding, the endmembers' mean SAD against the truth over seeded short
 * runs stays within 0.02 rad (the runs part after the first steps, as two float implementations do), and a seeded
 * training with the FFT decoder is bit-identical twice and whatever the thread count.
 */
class CnnaeuFftTest {
  @Test
  void fftDecoderTrainsAsTheGemmDecoderOnCoRuPt() {
    CnnaeuSeededRun.comparePaths("co-ru-pt", 3, 12, 30,
        24, FusedConvolutionLayer::allowFft, "FFT", "GEMM", 1, 2, 3);
  }

  @Test
  void fftDecoderTrainsAsTheGemmDecoderOnKEdges() {
    CnnaeuSeededRun.comparePaths("k-edges", 4, 8, 15,
        24, FusedConvolutionLayer::allowFft, "FFT", "GEMM", 1, 2);
  }

  @Test
  void seededTrainingIsBitIdenticalTwiceAndWhateverTheThreads() {
    CnnaeuSeededRun.assertBitIdentical(new CnnaeuOptions(3, 5).withEpochs(3).withPatches(30, 24), 2, 1);
  }
}
