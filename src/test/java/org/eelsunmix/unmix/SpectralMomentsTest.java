package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.eelsunmix.linalg.VectorApi;
import org.junit.jupiter.api.Test;

/** Blocked, mergeable moments against a plain two-pass computation. */
class SpectralMomentsTest {

  @Test
  void blockedAccumulationMergeAndSerialisationMatchTwoPass() throws Exception {
    Random r = new Random(9);
    int n = 101; // not a multiple of the block
    int b = 13;
    double[][] y = new double[n][b];
    for (double[] row : y) {
      for (int i = 0; i < b; i++) {
        row[i] = 50 + 10 * r.nextGaussian();
      }
    }
    SpectralMoments left = new SpectralMoments(b);
    SpectralMoments right = new SpectralMoments(b);
    for (int p = 0; p < n; p++) {
      if (p < 45) {
        left.add(y[p]);
      } else {
        float[] f = new float[b + 3];
        for (int i = 0; i < b; i++) {
          f[i + 3] = (float) y[p][i];
          y[p][i] = f[i + 3]; // the reference sees the same float-rounded values
        }
        right.add(f, 3);
      }
    }
    // Pending (unflushed) pixels must survive serialisation, as when Spark ships a partition's accumulator.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(right);
    }
    SpectralMoments shipped;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      shipped = (SpectralMoments) in.readObject();
    }
    SpectralMoments all = left.merge(shipped);
    assertEquals(n, all.count());

    double[] mean = new double[b];
    double power = 0;
    for (double[] row : y) {
      for (int i = 0; i < b; i++) {
        mean[i] += row[i] / n;
        power += row[i] * row[i] / n;
      }
    }
    double[] cov = all.covariance();
    double[] second = all.secondMoment();
    for (int i = 0; i < b; i++) {
      assertEquals(mean[i], all.mean()[i], 1e-12 * Math.abs(mean[i]));
      for (int j = 0; j < b; j++) {
        double c = 0;
        double s = 0;
        for (double[] row : y) {
          c += (row[i] - mean[i]) * (row[j] - mean[j]) / n;
          s += row[i] * row[j] / n;
        }
        assertEquals(c, cov[i * b + j], 1e-9 * Math.abs(s), "covariance " + i + "," + j);
        assertEquals(s, second[i * b + j], 1e-12 * Math.abs(s), "second moment " + i + "," + j);
      }
    }
    assertEquals(power, all.meanPower(), 1e-12 * power);
  }

  /**
   * The tiled flush against the plain order it promises, bit for bit: per entry, groups of four pixels (from each
   * block's start) added as one sum, leftovers one by one; several column tiles, odd sizes, a merge in between.
   */
  @Test
  void tiledScatterHasTheBitsOfThePlainGroupOrder() {
    // Several column tiles and a partial one, rows near the diagonal not a multiple of four or of a vector's lanes.
    for (SpectralMoments.Kernel kernel : SpectralMoments.Kernel.values()) {
      assertScatterBits(2 * SpectralMoments.TILE + 19, 3 * SpectralMoments.PANEL_BLOCK + 7, kernel);
    }
  }

  /**
   * The Vector API kernels ({@link ScatterRowsVector}: the register tile and the panels, four rows at a time, whole
   * vectors, the rest scalar) and the scalar path all give the plain order's bits, for sizes below, at and around a
   * vector's lanes and a tile, whichever kernel this machine prefers.
   */
  @Test
  void vectorAndScalarPathsHaveTheBitsOfThePlainGroupOrder() {
    assertTrue(VectorApi.ENABLED, "the tests run with --add-modules=jdk.incubator.vector (pom.xml's argLine), "
        + "so that the vector path is the one tested");
    // 24, 40, 130: a tile's vectors in pairs and one alone (ScatterRowsVector's 4 x 2 and 4 x 1 tiles).
    for (int b : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 24, 40, 63, 64, 65, 130, 200}) {
      for (SpectralMoments.Kernel kernel : SpectralMoments.Kernel.values()) {
        assertScatterBits(b, 2 * SpectralMoments.BLOCK + 13, kernel);
        assertScatterBits(b, 2 * SpectralMoments.PANEL_BLOCK + 13, kernel);
        assertScatterBits(b, 3, kernel);
      }
    }
  }

  /**
   * Partial blocks with every number of leftover pixels (0 to 3 after the groups; groups or none before them), after
   * whole blocks, in both accumulators of a merge: the leftovers' own pass adds them after the groups, as the plain
   * order does.
   */
  @Test
  void partialBlocksWithEachNumberOfLeftoversHaveThePlainBits() {
    for (int block : new int[] {SpectralMoments.BLOCK, SpectralMoments.PANEL_BLOCK}) {
      for (int n : new int[] {block + 10 + 1, block + 10 + 2, 3 * block + 10 + 4, 4 * block + 10 + 27}) {
        for (SpectralMoments.Kernel kernel : SpectralMoments.Kernel.values()) {
          assertScatterBits(72, n, kernel);
        }
      }
    }
  }

  /** Pixels added to two accumulators (a partial block in the left one), merged; the scatter against the plain sum. */
  private static void assertScatterBits(int b, int n, SpectralMoments.Kernel kernel) {
    Random r = new Random(3 + b);
    int split = Math.min(n, SpectralMoments.BLOCK + 10); // the left part's last flush is a partial block
    float[] y = new float[n * b];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) (80 + 30 * r.nextGaussian());
    }
    SpectralMoments left = SpectralMoments.withKernel(b, kernel);
    SpectralMoments right = SpectralMoments.withKernel(b, kernel);
    for (int p = 0; p < n; p++) {
      (p < split ? left : right).add(y, p * b);
    }
    SpectralMoments merged = left.merge(right);
    double[] got = merged.secondMoment();
    assertSumBits(y, b, split, n, merged);

    double[] expected = new double[b * b];
    double[] rightPart = new double[b * b];
    plainScatter(y, b, 0, split, expected);
    plainScatter(y, b, split, n, rightPart);
    String where = "B = " + b + ", " + n + " pixels, " + kernel + " kernel, entry ";
    for (int i = 0; i < b; i++) {
      for (int j = i; j < b; j++) {
        double v = (expected[i * b + j] + rightPart[i * b + j]) / n;
        assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(got[i * b + j]), where + i + "," + j);
        assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(got[j * b + i]), where + j + "," + i);
      }
    }
  }

  /**
   * The mean and mean power against their plain sums, bit for bit: per channel the pixels in order, per pixel the
   * squares in channel order then added in pixel order; the two accumulators' sums added as {@code merge} does.
   */
  private static void assertSumBits(float[] y, int b, int split, int n, SpectralMoments merged) {
    double[] left = new double[b];
    double[] right = new double[b];
    double powerLeft = 0;
    double powerRight = 0;
    for (int p = 0; p < n; p++) {
      double[] sum = p < split ? left : right;
      double ss = 0;
      for (int i = 0; i < b; i++) {
        double v = y[p * b + i];
        sum[i] += v;
        ss += v * v;
      }
      if (p < split) {
        powerLeft += ss;
      } else {
        powerRight += ss;
      }
    }
    double[] mean = merged.mean();
    for (int i = 0; i < b; i++) {
      assertEquals(Double.doubleToRawLongBits((left[i] + right[i]) / n), Double.doubleToRawLongBits(mean[i]),
          "B = " + b + ", " + n + " pixels, mean " + i);
    }
    assertEquals(Double.doubleToRawLongBits((powerLeft + powerRight) / n),
        Double.doubleToRawLongBits(merged.meanPower()), "B = " + b + ", " + n + " pixels, mean power");
  }

  /** Σ y yᵀ over pixels [from, to), entry by entry, in blocks of BLOCK and groups of four within a block. */
  private static void plainScatter(float[] y, int b, int from, int to, double[] s) {
    for (int start = from; start < to; start += SpectralMoments.BLOCK) {
      int end = Math.min(to, start + SpectralMoments.BLOCK);
      for (int i = 0; i < b; i++) {
        for (int j = i; j < b; j++) {
          int k = start;
          for (; k + 3 < end; k += 4) {
            s[i * b + j] += (double) y[k * b + i] * y[k * b + j] + (double) y[(k + 1) * b + i] * y[(k + 1) * b + j]
                + (double) y[(k + 2) * b + i] * y[(k + 2) * b + j] + (double) y[(k + 3) * b + i] * y[(k + 3) * b + j];
          }
          for (; k < end; k++) {
            s[i * b + j] += (double) y[k * b + i] * y[k * b + j];
          }
        }
      }
    }
  }
}
