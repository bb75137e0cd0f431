package org.eelsunmix.unmix;

import java.util.SplittableRandom;

/**
 * Runs the classical methods' hot kernels — the B × B moments ({@link SpectralMoments}), VCA's projection
 * ({@link VcaProjection#projectAll}), FCLS's block solve with its residuals ({@link Fcls.Solver#solveBlock}, blocks of
 * both parities, pixels inside and outside the simplex) and the restarts' residuals ({@link FclsResiduals}) — on a
 * small synthetic cube on a background daemon thread, so that the JIT has compiled them by the time a local Spark
 * job's first tasks call them.
 *
 * <p>Why: in a fresh JVM the vector kernels run 20–40× slower until C2 compiles them, and a task thread paid
 * 0.4–0.8 s of CPU for that on the first 30 000 pixels. In local mode the tasks run in the driver's JVM, and while
 * the driver reads the store and plans the first job (one thread, ≈ 0.8 s on a 640 × 640 store) a core is left to
 * the JIT; this thread gives it the kernels to compile then. Measured on the quiet 2-core machine, {@code unmix
 * --method vca-fcls} on 640 × 640 × 200, off and on in turn: 6.87, 7.12, 6.83 s → 6.14, 6.62, 6.85 s wall (the fit
 * 3.06–3.36 → 2.24–2.67 s, the store's reading 0.45–0.52 → 0.84–0.94 s, as it shares the core); two passes over the
 * synthetic cube instead of one gained less (6.65, 6.56, 6.81 s). Started before the session it slowed the
 * session's start as much as it saved (again at stop 32: the session 0.75–0.96 → 1.46–1.69 s, no gain), and for NMF
 * (whose own kernels it does not run) it cost more than it saved (7.86, 8.53, 7.75 → 8.58, 7.74, 8.79 s), so
 * {@code unmix} starts it for VCA-FCLS only. A warm-up of NMF's own kernels (moments, NNDSVD start, an iteration, the
 * transform's lanes; stop 32) cut its jobs' task time at 640² but not the command's wall time (eight pairs, mean
 * 8.49 against 8.61 s, within the noise), and cost 64² about 0.3 s: not kept.
 *
 * <p>Changes no result: the kernels are pure functions of their arguments, the thread uses its own buffers and its
 * own generator, and nothing it computes is kept.
 */
public final class KernelWarmUp {
  /** Channels of the synthetic spectra; compiled code does not depend on B. */
  private static final int CHANNELS = 200;
  /** Pixels of the synthetic cube: enough calls for C2 at the launcher's thresholds, about 0.1 s once compiled. */
  private static final int PIXELS = 4096;
  /** Pixels per FCLS block, as the Spark passes hand them over. */
  private static final int BLOCK = 256;

  private static volatile double seconds = Double.NaN;

  private KernelWarmUp() {}

  /** Wall seconds the warm-up took, or NaN when none ran or it has not finished (for {@code --timings}). */
  public static double seconds() {
    return seconds;
  }

  /** Starts the warm-up; returns the (daemon) thread running it. */
  public static Thread start() {
    Thread t = new Thread(KernelWarmUp::run, "kernel-warm-up");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Three smooth endmember spectra of {@code b} channels (Gaussian peaks on a flat 100 counts). */
  static double[][] endmembers(int b) {
    double[][] m = new double[3][b];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < b; c++) {
        m[r][c] = 100 + 200 * Math.exp(-Math.pow((c - 60.0 * (r + 1)) / 25.0, 2));
      }
    }
    return m;
  }

  /**
   * {@code n} noisy mixtures of {@code m}'s three spectra, pixel-major; every third pixel outside the simplex, as noisy
   * pixels of real cubes (FCLS's active set then meets its bounds).
   */
  static float[] pixels(double[][] m, int n, SplittableRandom random) {
    int b = m[0].length;
    float[] y = new float[n * b];
    for (int p = 0; p < n; p++) {
      double a0 = random.nextDouble();
      double a1 = (1 - a0) * random.nextDouble();
      double a2 = 1 - a0 - a1;
      if (p % 3 == 0) {
        a0 += 0.3;
        a2 -= 0.3;
      }
      for (int c = 0; c < b; c++) {
        double v = a0 * m[0][c] + a1 * m[1][c] + a2 * m[2][c];
        y[p * b + c] = (float) Math.rint(v + 3 * random.nextGaussian());
      }
    }
    return y;
  }

  /** The warm-up itself, on the calling thread. */
  static void run() {
    long t0 = System.nanoTime();
    int b = CHANNELS;
    double[][] endmembers = endmembers(b);
    float[] y = pixels(endmembers, PIXELS, new SplittableRandom(1));
    SpectralMoments moments = new SpectralMoments(b);
    for (int p = 0; p < PIXELS; p++) {
      moments.add(y, p * b);
    }
    VcaProjection projection = VcaProjection.fromMoments(moments, 3, Double.NaN);
    projection.projectAll(y, PIXELS, new double[PIXELS * projection.dims()]);
    Fcls fcls = new Fcls(endmembers);
    Fcls.Solver solver = fcls.newSolver();
    double[] abundances = new double[BLOCK * 3];
    double[] residuals = new double[BLOCK];
    // Blocks of every parity (a partition's last block is any size): C2 then compiles the odd pixel's path too, which
    // a first pass of whole blocks left as a trap that sent the compiled solve back to the interpreter.
    for (int p = 0, size = BLOCK; p < PIXELS; p += size, size = size == BLOCK ? BLOCK - 1 : BLOCK) {
      solver.solveBlock(y, p * b, Math.min(size, PIXELS - p), abundances, residuals);
    }
    // The restarts' pass: several sets' residuals, pixel by pixel (VCA's two candidate sets here).
    double[][] other = {endmembers[2], endmembers[0], endmembers[1]};
    FclsResiduals restarts = new FclsResiduals(new Fcls[] {fcls, new Fcls(other)});
    for (int p = 0; p < PIXELS; p++) {
      restarts.add(y, p * b);
    }
    restarts.means();
    seconds = (System.nanoTime() - t0) / 1e9;
  }
}
