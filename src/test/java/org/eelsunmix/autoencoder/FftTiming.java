package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * Measurement, not a test: the calling thread's CPU of one 48×48 float transform of CNNAEU's decoder ({@link Fft2d},
 * a 40×40 patch zero padded, as {@link FftConvolution} runs it per patch and channel pair), forward and inverse, and of
 * the transpose between its two passes; median of 15 rounds of 4 000 after warm-up. With the argument {@code pruned},
 * also the transforms on the patch's 40 columns only (this class then links only against jars that have them).
 * Uses only {@link Fft2d#forward(Object[], Object[], Object[], Object[], Fft2d.Work)}, its inverse and
 * {@link SpectrumRows#transpose(Object[], Object[], Object[], Object[])} otherwise, so the same class compiled here
 * times an older jar. Run with the shaded jar: {@code java --add-modules=jdk.incubator.vector
 * -cp target/test-classes:target/eels-unmix-*-all.jar org.eelsunmix.autoencoder.FftTiming pruned}.
 */
final class FftTiming {
  private static final int SIDE = 48;
  private static final int PATCH = 40;
  private static final int ROUNDS = 15;
  private static final int CALLS = 4000;

  private FftTiming() {}

  public static void main(String[] args) {
    boolean pruned = args.length > 0 && args[0].equals("pruned");
    SpectrumRows<float[]> ops = SpectrumRows.FLOAT;
    Fft2d<float[]> fft = new Fft2d<>(SIDE, SIDE, ops);
    Fft2d.Work<float[]> work = fft.work();
    float[][] re = fft.image();
    float[][] im = fft.image();
    float[][] sRe = fft.spectrum();
    float[][] sIm = fft.spectrum();
    Random r = new Random(1);
    float[][][] patches = new float[8][SIDE][SIDE];
    for (float[][] p : patches) {
      for (int y = 0; y < PATCH; y++) {
        for (int x = 0; x < PATCH; x++) {
          p[y][x] = (float) r.nextGaussian();
        }
      }
    }
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    int kinds = pruned ? 5 : 3;
    double[][] micros = new double[kinds][ROUNDS];
    for (int round = -3; round < ROUNDS; round++) {
      for (int kind = 0; kind < kinds; kind++) {
        long t0 = bean.getCurrentThreadCpuTime();
        for (int k = 0; k < CALLS; k++) {
          switch (kind) {
            case 0, 3 -> {
              float[][] p = patches[k & 7];
              for (int y = 0; y < SIDE; y++) {
                System.arraycopy(p[y], 0, re[y], 0, SIDE);
                Arrays.fill(im[y], 0f);
              }
              if (kind == 0) {
                fft.forward(re, im, sRe, sIm, work);
              } else {
                fft.forward(re, im, PATCH, sRe, sIm, work);
              }
            }
            case 1 -> fft.inverse(sRe, sIm, re, im, work);
            case 4 -> fft.inverse(sRe, sIm, re, im, PATCH, work);
            default -> ops.transpose(re, im, sRe, sIm);
          }
        }
        if (round >= 0) {
          micros[kind][round] = (bean.getCurrentThreadCpuTime() - t0) / 1e3 / CALLS;
        }
      }
    }
    String[] names = {"forward (with the patch's copy in)", "inverse", "transpose", "forward, 40 columns",
        "inverse, 40 columns"};
    for (int kind = 0; kind < kinds; kind++) {
      Arrays.sort(micros[kind]);
      System.out.printf("48x48 float %s: median %.2f us CPU (min %.2f) of %d rounds%n", names[kind],
          micros[kind][ROUNDS / 2], micros[kind][0], ROUNDS);
    }
  }
}
