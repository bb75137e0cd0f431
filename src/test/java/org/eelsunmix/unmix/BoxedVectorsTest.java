package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.eelsunmix.linalg.VectorApi;
import org.junit.jupiter.api.Test;

/**
 * FCLS's block solve, once C2 has compiled it, allocates nothing, also in a JVM that ran the B × B moments and VCA's
 * projection before it (as every VCA-FCLS fit does). A vector whose class C2 loses becomes a heap object: with FCLS's
 * row products and residuals at 256 bits and the moments at 512 on an AVX-512 machine, the solve allocated 3 744 bytes
 * a pixel (see {@link org.eelsunmix.linalg.DoubleLanes}); the allocation counter of the thread shows it whatever the
 * machine's speed.
 */
class BoxedVectorsTest {
  private static final int CHANNELS = 200;
  private static final int PIXELS = 2048;
  private static final int BLOCK = 256;

  @Test
  void fclsAfterTheMomentsAndTheProjectionAllocatesNothingOnceCompiled() {
    assertTrue(VectorApi.ENABLED, "the tests run with --add-modules=jdk.incubator.vector (pom.xml's argLine)");
    int b = CHANNELS;
    double[][] endmembers = KernelWarmUp.endmembers(b);
    float[] y = KernelWarmUp.pixels(endmembers, PIXELS, new SplittableRandom(3)); // a third outside the simplex
    // The classical kernels at their own shapes first, often enough for C2.
    VcaProjection projection = null;
    for (int round = 0; round < 20; round++) {
      SpectralMoments moments = new SpectralMoments(b);
      for (int p = 0; p < PIXELS; p++) {
        moments.add(y, p * b);
      }
      projection = VcaProjection.fromMoments(moments, 3, Double.NaN);
      projection.projectAll(y, PIXELS, new double[PIXELS * projection.dims()]);
    }
    Fcls.Solver solver = new Fcls(endmembers).newSolver();
    double[] abundances = new double[BLOCK * 3];
    double[] residuals = new double[BLOCK];
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long least = Long.MAX_VALUE;
    long deadline = System.nanoTime() + 90_000_000_000L;
    int rounds = 0;
    // Rounds until one allocates nothing (C2's code is in) or the time is up; the interpreter's rounds allocate.
    while (rounds < 2000 && System.nanoTime() < deadline && !(least == 0 && rounds >= 30)) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int p = 0; p + BLOCK <= PIXELS; p += BLOCK) {
        solver.solveBlock(y, p * b, BLOCK, abundances, residuals);
      }
      least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
      rounds++;
    }
    assertEquals(0, least, "bytes allocated by the least of " + rounds + " rounds of " + PIXELS + " pixels: the "
        + "compiled solve boxes its vectors (two double vector shapes in one JVM?)");
  }
}
