package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The first convolution on the patches' canvas ({@link CanvasConvolution}) against the same kernel run patch by
 * patch, forward (every pixel, the frames included) and backward (∂W, ∂b), in double to 1e-12 and in float to 1e-5 of
 * the largest value, with patches at the canvas's edges and corners, overlapping, repeated and apart, and a smaller
 * batch on the same instance (an epoch's last) and back; and the canvas
 * found from a sample's shared pixels ({@link PatchCanvas#of}) against the offsets the windows were drawn at.
 */
class CanvasConvolutionTest {
  /** Patches of {@code side} at the given offsets of a random {@code height × width × c} image, NCHW. */
  private static INDArray patches(DataType type, double[] image, int c, int height, int width, int side, int[] top,
      int[] left) {
    int n = top.length;
    double[] x = new double[n * c * side * side];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < side; y++) {
          for (int xx = 0; xx < side; xx++) {
            x[((i * c + ch) * side + y) * side + xx] = image[(ch * height + top[i] + y) * width + left[i] + xx];
          }
        }
      }
    }
    INDArray a = Nd4j.create(type, new long[] {n, c, side, side}, 'c');
    NdBuffers.write(x, a);
    return a;
  }

  private static INDArray random(DataType type, Random random, long... shape) {
    int length = 1;
    for (long d : shape) {
      length *= (int) d;
    }
    double[] v = new double[length];
    for (int i = 0; i < length; i++) {
      v[i] = random.nextDouble() * 2 - 1;
    }
    INDArray a = Nd4j.create(type, shape, 'c');
    NdBuffers.write(v, a);
    return a;
  }

  private static double[] values(INDArray a) {
    double[] v = new double[(int) a.length()];
    NdBuffers.read(a, v);
    return v;
  }

  /** Largest |a − b| over the largest |b|. */
  private static double relative(double[] a, double[] b) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return diff / scale;
  }

  private static void compare(DataType type, ConvolutionKernel reference, ConvolutionKernel onCanvas, int c, int o,
      int height, int width, int side, int[] top, int[] left, double tolerance) {
    Random random = new Random(11);
    double[] image = new double[c * height * width];
    for (int i = 0; i < image.length; i++) {
      image[i] = random.nextDouble();
    }
    INDArray x = patches(type, image, c, height, width, side, top, left);
    INDArray w = random(type, random, o, c, 3, 3);
    INDArray b = random(type, random, 1, o);
    int n = top.length;
    INDArray dz = random(type, random, n, o, side, side);
    INDArray z0 = Nd4j.create(type, new long[] {n, o, side, side}, 'c');
    INDArray dw0 = Nd4j.create(type, new long[] {o, c, 3, 3}, 'c');
    INDArray db0 = Nd4j.create(type, new long[] {1, o}, 'c');
    reference.forward(x, w, b, z0);
    reference.backward(x, w, dz, dw0, db0, null);

    PatchCanvas.Placement p = new PatchCanvas.Placement(side, height, width, top, left);
    CanvasConvolution canvas = new CanvasConvolution(c, o, 3);
    INDArray z1 = Nd4j.create(type, new long[] {n, o, side, side}, 'c');
    INDArray dw1 = Nd4j.create(type, new long[] {o, c, 3, 3}, 'c');
    INDArray db1 = Nd4j.create(type, new long[] {1, o}, 'c');
    canvas.forward(onCanvas, x, w, b, z1, p);
    canvas.backward(onCanvas, x, w, dz, dw1, db1, p, true);
    double fz = relative(values(z1), values(z0));
    double fw = relative(values(dw1), values(dw0));
    double fb = relative(values(db1), values(db0));
    System.out.printf("canvas %s %s C=%d O=%d %dx%d side %d, %d patches: z %.2e, dW %.2e, db %.2e%n", type,
        reference, c, o, height, width, side, n, fz, fw, fb);
    assertTrue(fz <= tolerance, "z off by " + fz);
    assertTrue(fw <= tolerance, "dW off by " + fw);
    assertTrue(fb <= tolerance, "db off by " + fb);

    // Backward without the forward pass before it (the bands and frames made again): the same values.
    CanvasConvolution fresh = new CanvasConvolution(c, o, 3);
    INDArray dw2 = Nd4j.create(type, new long[] {o, c, 3, 3}, 'c');
    INDArray db2 = Nd4j.create(type, new long[] {1, o}, 'c');
    fresh.backward(onCanvas, x, w, dz, dw2, db2, p, false);
    assertTrue(relative(values(dw2), values(dw0)) <= tolerance);
    assertTrue(relative(values(db2), values(db0)) <= tolerance);

    // The batch's values handed over with the placement (as the training loop does): the same bits as read from x.
    Object batch = Staging.array(type, (int) x.length());
    Staging.read(x, 0, batch, (int) x.length());
    INDArray z3 = Nd4j.create(type, new long[] {n, o, side, side}, 'c');
    new CanvasConvolution(c, o, 3).forward(onCanvas, x, w, b, z3,
        new PatchCanvas.Placement(side, height, width, top, left, batch));
    assertArrayEquals(values(z1), values(z3));

    // A smaller batch (an epoch's last) on the same instance, then the whole batch again: views of the same buffers.
    int m = Math.max(1, n / 2);
    INDArray xs = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, m)).dup('c');
    INDArray dzs = dz.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, m)).dup('c');
    INDArray zs0 = Nd4j.create(type, new long[] {m, o, side, side}, 'c');
    INDArray dws0 = Nd4j.create(type, new long[] {o, c, 3, 3}, 'c');
    INDArray dbs0 = Nd4j.create(type, new long[] {1, o}, 'c');
    reference.forward(xs, w, b, zs0);
    reference.backward(xs, w, dzs, dws0, dbs0, null);
    INDArray zs1 = Nd4j.create(type, new long[] {m, o, side, side}, 'c');
    INDArray dws1 = Nd4j.create(type, new long[] {o, c, 3, 3}, 'c');
    INDArray dbs1 = Nd4j.create(type, new long[] {1, o}, 'c');
    PatchCanvas.Placement ps = new PatchCanvas.Placement(side, height, width, java.util.Arrays.copyOf(top, m),
        java.util.Arrays.copyOf(left, m));
    canvas.forward(onCanvas, xs, w, b, zs1, ps);
    canvas.backward(onCanvas, xs, w, dzs, dws1, dbs1, ps, true);
    assertTrue(relative(values(zs1), values(zs0)) <= tolerance, "smaller batch z");
    assertTrue(relative(values(dws1), values(dws0)) <= tolerance, "smaller batch dW");
    assertTrue(relative(values(dbs1), values(dbs0)) <= tolerance, "smaller batch db");
    INDArray z4 = Nd4j.create(type, new long[] {n, o, side, side}, 'c');
    INDArray dw4 = Nd4j.create(type, new long[] {o, c, 3, 3}, 'c');
    INDArray db4 = Nd4j.create(type, new long[] {1, o}, 'c');
    canvas.forward(onCanvas, x, w, b, z4, p);
    canvas.backward(onCanvas, x, w, dz, dw4, db4, p, true);
    assertArrayEquals(values(z1), values(z4));
    assertArrayEquals(values(dw1), values(dw4));
    assertArrayEquals(values(db1), values(db4));
  }

  /** Corners, edges, overlaps, a repeated patch and one apart from the rest, on a canvas of odd height. */
  private static final int[] TOP = {0, 8, 3, 3, 0, 8};
  private static final int[] LEFT = {0, 6, 2, 2, 6, 0};

  @Test
  void equalsThePatchByPatchConvolutionInDouble() {
    compare(DataType.DOUBLE, new SameConvolution(3, 4, 3), new SameConvolution(3, 4, 3), 3, 4, 13, 11, 5, TOP, LEFT,
        1e-12);
    compare(DataType.DOUBLE, new WinogradConvolution(5, 2, 3), new WinogradConvolution(5, 2, 3), 5, 2, 13, 11, 5,
        TOP, LEFT, 1e-12);
    // Patches of 7 whose Winograd tiles (4×4) do not divide them, on a 16×15 canvas.
    compare(DataType.DOUBLE, new WinogradConvolution(4, 3, 3), new WinogradConvolution(4, 3, 3), 4, 3, 16, 15, 7,
        new int[] {0, 9, 4, 1}, new int[] {8, 0, 3, 8}, 1e-12);
  }

  @Test
  void equalsThePatchByPatchConvolutionInFloat() {
    compare(DataType.FLOAT, new WinogradConvolution(6, 4, 3), new WinogradConvolution(6, 4, 3), 6, 4, 13, 11, 5, TOP,
        LEFT, 1e-5);
  }

  @Test
  void theCanvasOfDrawnPatchesHasTheirOffsets() {
    int width = 23;
    int height = 19;
    int c = 2;
    float[] data = new float[width * height * c];
    for (int i = 0; i < data.length; i++) {
      data[i] = i;
    }
    SpectrumImage image = new SpectrumImage("grid", height, width, EnergyAxis.ofEv(0, 1, c), data);
    CnnaeuOptions o = new CnnaeuOptions(2, 3).withPatches(20, 9);
    int[] windows = o.drawWindows(width, height, "grid");
    PatchCanvas canvas = PatchCanvas.of(WindowSample.of(image, windows, o.windowPixels()), 9);
    assertNotNull(canvas);
    int plane = 81;
    int y0 = windows[0] / width;
    int x0 = windows[0] % width;
    int minY = Integer.MAX_VALUE;
    int minX = Integer.MAX_VALUE;
    int maxY = 0;
    int maxX = 0;
    for (int w = 0; w < 20; w++) {
      int y = windows[w * plane] / width;
      int x = windows[w * plane] % width;
      assertEquals(y - y0, canvas.top(w) - canvas.top(0), "window " + w + " row");
      assertEquals(x - x0, canvas.left(w) - canvas.left(0), "window " + w + " column");
      minY = Math.min(minY, y);
      minX = Math.min(minX, x);
      maxY = Math.max(maxY, y);
      maxX = Math.max(maxX, x);
    }
    assertEquals(maxY - minY + 9, canvas.height());
    assertEquals(maxX - minX + 9, canvas.width());
    PatchCanvas.Placement p = canvas.place(new int[] {4, 2, 7}, 1, 2);
    assertArrayEquals(new int[] {canvas.top(2), canvas.top(7)}, p.top());
    assertArrayEquals(new int[] {canvas.left(2), canvas.left(7)}, p.left());
  }

  @Test
  void patchesThatShareNoPixelsHaveNoCanvas() {
    int width = 20;
    float[] data = new float[width * 4];
    SpectrumImage image = new SpectrumImage("strip", 4, width, EnergyAxis.ofEv(0, 1, 1), data);
    // Two 2×2 patches far apart: no shared pixel ties them.
    int[] windows = {0, 1, width, width + 1, 10, 11, width + 10, width + 11};
    assertNull(PatchCanvas.of(WindowSample.of(image, windows, 4), 2));
    // Chained by shared pixels: one canvas.
    int[] chained = {0, 1, width, width + 1, 1, 2, width + 1, width + 2};
    PatchCanvas canvas = PatchCanvas.of(WindowSample.of(image, chained, 4), 2);
    assertNotNull(canvas);
    assertEquals(3, canvas.width());
    assertEquals(2, canvas.height());
  }

  @Test
  void aPlacementOutsideItsCanvasIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new PatchCanvas.Placement(5, 10, 10, new int[] {6}, new int[] {0}));
  }
}
