package org.eelsunmix.unmix;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticGenerator;

/**
 * Benchmark (not a test): thread CPU per pixel of the NMF transform's kernel ({@link NmfAbundances#solveBlock}, rows
 * taken 256 at a time as {@code NmfModel} does) on a co-ru-pt cube of the given side, with the endmembers of an
 * in-memory fit (R = 3, scikit-learn's defaults), and a check that it gives the bits of the pixel-by-pixel
 * {@link NmfAbundances#solve}. Only public API is used, so the same class runs against an older jar for a
 * back-to-back comparison:
 *
 * <pre>  java -cp target/test-classes:target/eels-unmix-*-all.jar org.eelsunmix.unmix.NmfAbundancesTiming 256 8</pre>
 */
public final class NmfAbundancesTiming {
  private NmfAbundancesTiming() {}

  public static void main(String[] args) {
    int side = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(side)
        .withBlock(side / 8).withSeed(1), 0).image();
    int r = 3;
    int b = image.channels();
    int n = image.pixels();
    double[][] m = Nmf.fit(image, new Nmf.Options(r, 0)).unmixing().endmembers().matrix();
    double[] h = new double[r * b];
    for (int t = 0; t < r; t++) {
      System.arraycopy(m[t], 0, h, t * b, b);
    }
    NmfAbundances kernel = new NmfAbundances(NmfSolver.CD, h, r, Nmf.DEFAULT_TOL, Nmf.DEFAULT_MAX_ITERATIONS, false);
    float[] y = image.data();
    double[] expected = new double[n * r];
    double[] work = new double[kernel.workLength()];
    for (int p = 0; p < n; p++) {
      kernel.solve(y, p * b, expected, p * r, work);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] w = new double[n * r];
    double[] blockWork = new double[kernel.blockWorkLength()];
    double best = Double.POSITIVE_INFINITY;
    for (int run = 0; run < runs; run++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int p = 0; p < n; p += 256) {
        int count = Math.min(256, n - p);
        float[] rows = Arrays.copyOfRange(y, p * b, (p + count) * b);
        double[] a = new double[count * r];
        kernel.solveBlock(rows, count, a, new double[count], blockWork);
        System.arraycopy(a, 0, w, p * r, count * r);
      }
      double ns = (threads.getCurrentThreadCpuTime() - start) / (double) n;
      best = Math.min(best, ns);
      System.out.printf("run %d: %.0f ns of thread CPU a pixel%n", run + 1, ns);
    }
    System.out.printf("%d pixels, best %.0f ns a pixel; same bits as pixel by pixel: %s%n", n, best,
        Arrays.equals(expected, w));
  }
}
