package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Fcls.Solver#solveBlock}: the same bits as one pixel at a time, and residuals with the bits of the order
 * {@link MixtureResiduals} states (which the Spark transform's partitioning bit-identity rests on), within 1e-12 of a
 * plain channel-order sum of {@code (y − Mᵀa)²}.
 */
class FclsBlockTest {

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4, 6})
  void aBlockGivesEachPixelsSolveAndChannelOrderResidualBitForBit(int r) {
    Random random = new Random(5 + r);
    int b = 157; // not a multiple of the unrolling
    double[][] m = new double[r][b];
    for (double[] row : m) {
      for (int c = 0; c < b; c++) {
        row[c] = 100 + 20 * random.nextDouble(); // a shared background, as in EELS
      }
    }
    int pixels = 39; // nine side-by-side groups of four and a tail of three
    int offset = 3;
    float[] y = new float[offset + pixels * b];
    for (int p = 0; p < pixels; p++) {
      double[] a = new double[r];
      for (int k = 0; k < r; k++) {
        a[k] = random.nextDouble();
      }
      if (p % 3 == 0 && r > 1) {
        a[0] = -0.5; // every third pixel outside the simplex
      }
      for (int c = 0; c < b; c++) {
        double v = 0;
        for (int k = 0; k < r; k++) {
          v += a[k] * m[k][c];
        }
        y[offset + p * b + c] = (float) (v + random.nextGaussian());
      }
    }
    y[offset + 17 * b + 40] = Float.NaN; // a non-finite pixel inside a full group

    Fcls fcls = new Fcls(m);
    double[] flat = new double[r * b];
    for (int k = 0; k < r; k++) {
      System.arraycopy(m[k], 0, flat, k * b, b);
    }
    double[] abundances = new double[pixels * r];
    double[] residuals = new double[pixels];
    long iterations = fcls.newSolver().solveBlock(y, offset, pixels, abundances, residuals);

    Fcls.Solver one = fcls.newSolver();
    double[] a = new double[r];
    long expectedIterations = 0;
    int outside = 0;
    for (int p = 0; p < pixels; p++) {
      int it = one.solve(y, offset + p * b, a);
      expectedIterations += it;
      outside += it > 1 ? 1 : 0;
      double[] spectrum = new double[b];
      for (int c = 0; c < b; c++) {
        spectrum[c] = y[offset + p * b + c];
      }
      for (int k = 0; k < r; k++) {
        assertEquals(Double.doubleToRawLongBits(a[k]), Double.doubleToRawLongBits(abundances[p * r + k]),
            "pixel " + p + ", endmember " + k);
      }
      double reference = MixtureResidualsTest.statedOrder(y, offset + p * b, a, 0, flat, r, b);
      assertEquals(Double.doubleToRawLongBits(reference), Double.doubleToRawLongBits(residuals[p]), "pixel " + p);
      double plain = FclsTest.objective(m, spectrum, a); // channel order, one sum
      if (p != 17) { // the NaN pixel
        assertEquals(plain, reference, 1e-12 * plain, "pixel " + p + " against one sum in channel order");
      }
      assertEquals(Double.doubleToRawLongBits(reference),
          Double.doubleToRawLongBits(one.residualSquared(y, offset + p * b, a)), "pixel " + p + ", one by one");
      assertEquals(p == 17, Double.isNaN(residuals[p]), "pixel " + p);
    }
    assertEquals(expectedIterations, iterations);
    assertTrue(r == 1 || outside > 3, "the active set ran on " + outside + " pixels");
  }

  @Test
  void buffersTooSmallOrSpectraPastTheEndAreRefused() {
    Fcls fcls = new Fcls(new double[][] {{1, 2, 3}, {3, 2, 1}});
    Fcls.Solver solver = fcls.newSolver();
    float[] y = new float[9];
    assertThrows(IndexOutOfBoundsException.class, () -> solver.solveBlock(y, 1, 3, new double[6], new double[3]));
    assertThrows(IllegalArgumentException.class, () -> solver.solveBlock(y, 0, 3, new double[5], new double[3]));
    assertThrows(IllegalArgumentException.class, () -> solver.solveBlock(y, 0, 3, new double[6], new double[2]));
  }

  /**
   * {@link FclsResiduals} buffers pixels into block solves: its sums must still be the per-pixel sums in pixel order,
   * bit for bit, through a merge of an accumulator shipped (serialised) with pixels still buffered.
   */
  @Test
  void residualSumsOfBlocksHaveTheBitsOfPixelByPixelSums() throws Exception {
    Random random = new Random(8);
    int b = 60;
    double[][][] sets = new double[2][][];
    sets[0] = new double[3][b];
    sets[1] = new double[5][b];
    for (double[][] set : sets) {
      for (double[] row : set) {
        for (int c = 0; c < b; c++) {
          row[c] = 10 + random.nextDouble();
        }
      }
    }
    int pixels = FclsResiduals.BLOCK * 2 + 13;
    float[] y = new float[pixels * b];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) (10.5 + 0.5 * random.nextGaussian());
    }
    Fcls[] fcls = {new Fcls(sets[0]), new Fcls(sets[1])};
    int split = FclsResiduals.BLOCK + 20;
    FclsResiduals left = new FclsResiduals(fcls);
    FclsResiduals right = new FclsResiduals(fcls);
    for (int p = 0; p < pixels; p++) {
      (p < split ? left : right).add(y, p * b);
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(right);
    }
    FclsResiduals shipped;
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      shipped = (FclsResiduals) in.readObject();
    }
    double[] got = left.merge(shipped).means();
    assertEquals(pixels, left.count());

    for (int j = 0; j < 2; j++) {
      Fcls.Solver solver = fcls[j].newSolver();
      double[] a = new double[sets[j].length];
      double leftSum = 0;
      double rightSum = 0;
      for (int p = 0; p < pixels; p++) {
        solver.solve(y, p * b, a);
        double e = solver.residualSquared(y, p * b, a);
        if (p < split) {
          leftSum += e;
        } else {
          rightSum += e;
        }
      }
      double expected = (leftSum + rightSum) / pixels;
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got[j]), "set " + j);
    }
  }
}
