package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dense layer on GEMMs ({@link DenseGemm}) against a double-precision product computed here and against the
 * plain loops it replaces ({@link DenseMath}): both float paths lie within the float rounding bound
 * {@code n · 2⁻²⁴ · Σ |terms|} of the exact value, for MTAEU's 903 × 903 layer and for odd shapes; results do not
 * depend on the thread count.
 */
class DenseGemmTest {
  private static final double UNIT = Math.pow(2, -24);

  /** A layer's inputs: weights and bias inside a longer parameter vector, a batch and an output gradient. */
  private record Case(int in, int out, int rows, int wOffset, int biasOffset, float[] params, float[] x, float[] dz) {
    static Case random(int in, int out, int rows, long seed) {
      Random random = new Random(seed);
      int wOffset = 5;
      int biasOffset = wOffset + in * out + 3;
      float[] params = new float[biasOffset + out + 2];
      for (int i = 0; i < params.length; i++) {
        params[i] = (float) (random.nextGaussian() / Math.sqrt(in));
      }
      float[] x = new float[rows * in + 4];
      for (int i = 0; i < x.length; i++) {
        // Some exact zeros: the loops skip them, the GEMM does not.
        x[i] = random.nextInt(10) == 0 ? 0f : (float) random.nextGaussian();
      }
      float[] dz = new float[rows * out + 2];
      for (int i = 0; i < dz.length; i++) {
        dz[i] = (float) random.nextGaussian();
      }
      return new Case(in, out, rows, wOffset, biasOffset, params, x, dz);
    }

    float w(int i, int j) {
      return params[wOffset + i * out + j];
    }
  }

  /**
   * Forward outputs, parameter gradient and ∂x of one implementation. The gradient vector starts non-zero: the loops
   * add to it, the GEMM layer overwrites its own part and must leave the rest.
   */
  private record Result(float[] z, float[] gradient, float[] dx) {}

  private static final int X_BASE = 4;
  private static final int DZ_BASE = 2;

  private static float[] startGradient(Case c) {
    float[] g = new float[c.params.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = 0.25f * (i % 7);
    }
    return g;
  }

  private static Result gemm(DenseGemm layer, Case c) {
    float[] z = new float[c.rows * c.out + 3];
    layer.forward(c.x, X_BASE, c.rows, c.params, c.wOffset, c.biasOffset, z, 3);
    float[] gradient = startGradient(c);
    float[] dx = new float[c.rows * c.in + 1];
    layer.backward(c.x, X_BASE, c.rows, c.params, c.wOffset, c.biasOffset, c.dz, DZ_BASE, gradient, dx, 1);
    return new Result(z, gradient, dx);
  }

  private static Result loops(Case c) {
    float[] z = new float[c.rows * c.out + 3];
    DenseMath.forward(c.x, X_BASE, c.rows, c.in, c.params, c.wOffset, c.biasOffset, c.out, z, 3);
    float[] gradient = startGradient(c);
    float[] dx = new float[c.rows * c.in + 1];
    DenseMath.backward(c.x, X_BASE, c.rows, c.in, c.params, c.wOffset, c.biasOffset, c.out, c.dz, DZ_BASE, gradient,
        dx, 1);
    return new Result(z, gradient, dx);
  }

  /**
   * Asserts |got − exact| ≤ (n + 2)·2⁻²⁴·Σ|terms| for every output of the layer; the gradient's exact value includes
   * the start value when {@code adds}.
   */
  private static void assertWithinRounding(Case c, Result r, boolean adds, String what) {
    float[] start = startGradient(c);
    float[] base = adds ? start : new float[start.length];
    int in = c.in;
    int out = c.out;
    for (int p = 0; p < c.rows; p++) {
      for (int j = 0; j < out; j++) {
        double exact = c.params[c.biasOffset + j];
        double size = Math.abs(exact);
        for (int i = 0; i < in; i++) {
          double term = (double) c.x[X_BASE + p * in + i] * c.w(i, j);
          exact += term;
          size += Math.abs(term);
        }
        assertNear(exact, r.z[3 + p * out + j], (in + 2) * UNIT * size, what + " z[" + p + "][" + j + "]");
      }
    }
    for (int i = 0; i < in; i++) {
      for (int j = 0; j < out; j++) {
        double exact = base[c.wOffset + i * out + j];
        double size = Math.abs(exact);
        for (int p = 0; p < c.rows; p++) {
          double term = (double) c.x[X_BASE + p * in + i] * c.dz[DZ_BASE + p * out + j];
          exact += term;
          size += Math.abs(term);
        }
        assertNear(exact, r.gradient[c.wOffset + i * out + j], (c.rows + 2) * UNIT * size,
            what + " dW[" + i + "][" + j + "]");
      }
    }
    for (int j = 0; j < out; j++) {
      double exact = base[c.biasOffset + j];
      double size = Math.abs(exact);
      for (int p = 0; p < c.rows; p++) {
        exact += c.dz[DZ_BASE + p * out + j];
        size += Math.abs(c.dz[DZ_BASE + p * out + j]);
      }
      assertNear(exact, r.gradient[c.biasOffset + j], (c.rows + 2) * UNIT * size, what + " db[" + j + "]");
    }
    for (int p = 0; p < c.rows; p++) {
      for (int i = 0; i < in; i++) {
        double exact = 0;
        double size = 0;
        for (int j = 0; j < out; j++) {
          double term = (double) c.dz[DZ_BASE + p * out + j] * c.w(i, j);
          exact += term;
          size += Math.abs(term);
        }
        assertNear(exact, r.dx[1 + p * in + i], (out + 2) * UNIT * size, what + " dx[" + p + "][" + i + "]");
      }
    }
    // Parameters outside the layer keep their start values.
    for (int i = 0; i < r.gradient.length; i++) {
      boolean layer = i >= c.wOffset && i < c.wOffset + in * out || i >= c.biasOffset && i < c.biasOffset + out;
      assertTrue(layer || r.gradient[i] == start[i], what + " touched gradient " + i);
    }
  }

  private static void assertNear(double exact, float got, double bound, String what) {
    assertTrue(Math.abs(got - exact) <= bound + Double.MIN_NORMAL,
        what + ": " + got + " vs exact " + exact + " (bound " + bound + ")");
  }

  private static void check(int in, int out, int rows, long seed) {
    Case c = Case.random(in, out, rows, seed);
    String shape = in + "×" + out + ", " + rows + " rows";
    assertWithinRounding(c, gemm(new DenseGemm(in, out), c), false, "GEMM " + shape);
    assertWithinRounding(c, loops(c), true, "loops " + shape);
  }

  @Test
  void mtaeuSharedLayerEqualsTheExactProductsWithinFloatRounding() {
    // MTAEU's k-edges layer: 15 neighbourhoods of 4 tasks, 903 channels (four column blocks).
    check(903, 903, 60, 1);
  }

  @Test
  void oddShapesAndBlockEdgesEqualTheExactProducts() {
    check(7, 3, 5, 2);
    check(40, 257, 1, 3);
    check(33, 700, 9, 4);
  }

  @Test
  void buffersFollowTheBatchSizeUpAndDown() {
    DenseGemm layer = new DenseGemm(50, 300);
    for (int rows : new int[] {12, 3, 20, 12}) {
      Case c = Case.random(50, 300, rows, rows);
      assertWithinRounding(c, gemm(layer, c), false, rows + " rows after other sizes");
    }
  }

  @Test
  void theThreadCountChangesNothing() {
    Case c = Case.random(903, 903, 60, 5);
    int previous = PatchWorkers.setThreads(1);
    try {
      Result one = gemm(new DenseGemm(903, 903), c);
      for (int threads : new int[] {2, 3, 4}) {
        PatchWorkers.setThreads(threads);
        Result more = gemm(new DenseGemm(903, 903), c);
        assertArrayEquals(one.z, more.z, threads + " threads: z");
        assertArrayEquals(one.gradient, more.gradient, threads + " threads: gradient");
        assertArrayEquals(one.dx, more.dx, threads + " threads: dx");
      }
    } finally {
      PatchWorkers.setThreads(previous);
    }
  }
}
