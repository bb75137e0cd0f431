package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SpectralMoments}' rank-k scatter update {@code S += Σ_k y_k y_kᵀ} on the JDK's Vector API, as a register
 * tile: four scatter rows × two vectors of columns (4 × 16 entries with AVX-512) held in registers over the whole block
 * of pixels. Per group of four pixels the tile loads the pixels' two column vectors once for its four rows and the
 * sixteen scalars {@code y_k[i .. i + 3]} once (broadcast) for its two column vectors: 8 vector loads and 16
 * broadcasts for 64 lane-wise multiplications and 64 additions, where one column vector at a time needed 16
 * broadcasts for 32 of each. This is the micro-kernel shape of a blocked GEMM (Goto &amp; van de Geijn, "Anatomy of
 * high-performance matrix multiplication", ACM TOMS 34(3), 2008), kept to the scalar path's order of additions.
 *
 * <p>The additions into each entry are the scalar path's, in its order: per group of four pixels
 * {@code S + (y0[i]y0[j] + y1[i]y1[j] + y2[i]y2[j] + y3[i]y3[j])}, summed left to right; lane-wise {@code mul} and
 * {@code add} each round once, as Java's scalar {@code *} and {@code +} do (never a fused multiply-add), so the scatter
 * is bit-identical to the scalar path's ({@code SpectralMomentsTest}). Only whole groups come here (the caller adds a
 * partial block's last pixels itself), so the compiled loops are the same on every call. Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 *
 * <p><b>Panels</b> ({@link #pack}, {@link #fourRowsOfPanels}), the kernel where a vector holds four doubles (x86 AVX2,
 * 16 vector registers). The 4 × 2 tile above keeps 8 sums, 8 pixel vectors and the broadcasts live, more than AVX2's
 * 16 registers, and its loads {@code y[k·B + j]} scale the loop index by a variable, so C2 checks every one against the
 * array's bounds. Here the block is first copied into panels of one vector's width of columns, each panel pixel-major
 * ({@code panel[p·lanes + c]}: every index in the loop is the pixel index times a constant, so C2 hoists the checks),
 * and a 2 × 2-vector tile streams the group's pixels one at a time: per pixel two column vectors and one broadcast a
 * row, the four partial sums {@code ((p0 + p1) + p2) + p3} in registers, then added to the tile's four sums (12 live
 * registers). Same additions per entry in the same order, so the same bits. Measured on a 2-core AMD EPYC (Zen 3,
 * AVX2), {@code MomentsThroughput}, thread CPU: B = 200 3.0 → 2.0 µs a pixel, B = 903 61 → 41 µs, with blocks of
 * {@value SpectralMoments#PANEL_BLOCK} pixels and column tiles of {@value SpectralMoments#PANEL_TILE}. With AVX-512 the
 * register tile stays: its 32 registers hold it, and packed panels under the 4 × 2 tile were measured there within
 * ±5 % of it; the 2 × 2 tile has not been measured on such a machine ({@code MomentsThroughput} prints both kernels'
 * figures wherever it runs).
 */
final class ScatterRowsVector {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private ScatterRowsVector() {}

  /** Doubles per vector on this machine (8 with AVX-512, 4 with AVX2). */
  static int lanes() {
    return SPECIES.length();
  }

  /** Whether the panel kernel is this machine's: vectors of four doubles (x86 AVX2 and its 16 registers). */
  static boolean panelsPreferred() {
    return SPECIES.length() == 4;
  }

  /** Doubles of the panels for {@code pixels} spectra of {@code b} channels ({@link #pack}). */
  static int panelLength(int b, int pixels) {
    final int lanes = SPECIES.length();
    return (b + lanes - 1) / lanes * lanes * pixels;
  }

  /**
   * Copies the first {@code pixels} spectra of {@code y} (pixel-major, B values each) into {@code panels}: column
   * {@code c} of pixel {@code p} at {@code (c / lanes)·pixels·lanes + p·lanes + c % lanes}. The last panel's columns
   * past B are left as they are: no tile reads them.
   */
  static void pack(double[] y, int b, int pixels, double[] panels) {
    final int lanes = SPECIES.length();
    final int panelSize = pixels * lanes;
    final int whole = b / lanes * lanes;
    // Panel by panel, one vector a pixel (a four-double System.arraycopy a pixel and panel was 10 % of the pass).
    for (int c = 0; c < whole; c += lanes) {
      final int base = c / lanes * panelSize;
      for (int p = 0; p < pixels; p++) {
        DoubleVector.fromArray(SPECIES, y, p * b + c).intoArray(panels, base + p * lanes);
      }
    }
    for (int c = whole; c < b; c++) {
      final int at = whole / lanes * panelSize + c - whole;
      for (int p = 0; p < pixels; p++) {
        panels[at + p * lanes] = y[p * b + c];
      }
    }
  }

  /**
   * {@link #fourRows} on panels ({@link #pack} of the same {@code groups} pixels): rows {@code i .. i + 3} of the
   * scatter, columns {@code [from, to)} (a whole number of vectors from a multiple of the vector width), as two
   * 2 × 2-vector tiles, then the last vector alone when their count is odd.
   */
  static void fourRowsOfPanels(double[] panels, int groups, double[] s, int b, int i, int from, int to) {
    final int lanes = SPECIES.length();
    final int end = from + SPECIES.loopBound(to - from);
    int j = from;
    for (; j + lanes < end; j += 2 * lanes) {
      twoRowsOfPanels(panels, groups, s, b, i, j);
      twoRowsOfPanels(panels, groups, s, b, i + 2, j);
    }
    if (j < end) {
      columnOfPanels(panels, groups, s, b, i, j);
    }
  }

  /** Where row {@code i}'s value of pixel 0 lies in panels of {@code groups} pixels (pixel p: plus p·lanes). */
  private static int rowStart(int i, int groups) {
    final int lanes = SPECIES.length();
    return i / lanes * groups * lanes + i % lanes;
  }

  /** The 2 × 2-vector tile at rows {@code i, i + 1}, columns {@code j ..}, the group's pixels streamed one by one. */
  private static void twoRowsOfPanels(double[] panels, int groups, double[] s, int b, int i, int j) {
    final int lanes = SPECIES.length();
    final int c0 = j / lanes * groups * lanes;
    final int c1 = c0 + groups * lanes;
    final int a0 = rowStart(i, groups);
    final int a1 = rowStart(i + 1, groups);
    final int r0 = i * b + j;
    final int r1 = r0 + b;
    DoubleVector s00 = DoubleVector.fromArray(SPECIES, s, r0);
    DoubleVector s01 = DoubleVector.fromArray(SPECIES, s, r0 + lanes);
    DoubleVector s10 = DoubleVector.fromArray(SPECIES, s, r1);
    DoubleVector s11 = DoubleVector.fromArray(SPECIES, s, r1 + lanes);
    for (int k = 0; k < groups; k += 4) {
      int q = k * lanes;
      DoubleVector v0 = DoubleVector.fromArray(SPECIES, panels, c0 + q);
      DoubleVector v1 = DoubleVector.fromArray(SPECIES, panels, c1 + q);
      DoubleVector a = DoubleVector.broadcast(SPECIES, panels[a0 + q]);
      DoubleVector t00 = v0.mul(a);
      DoubleVector t01 = v1.mul(a);
      a = DoubleVector.broadcast(SPECIES, panels[a1 + q]);
      DoubleVector t10 = v0.mul(a);
      DoubleVector t11 = v1.mul(a);
      // Pixels 1 to 3 of the group, written out (a counted inner loop here measured 50 % slower).
      q += lanes;
      v0 = DoubleVector.fromArray(SPECIES, panels, c0 + q);
      v1 = DoubleVector.fromArray(SPECIES, panels, c1 + q);
      a = DoubleVector.broadcast(SPECIES, panels[a0 + q]);
      t00 = t00.add(v0.mul(a));
      t01 = t01.add(v1.mul(a));
      a = DoubleVector.broadcast(SPECIES, panels[a1 + q]);
      t10 = t10.add(v0.mul(a));
      t11 = t11.add(v1.mul(a));
      q += lanes;
      v0 = DoubleVector.fromArray(SPECIES, panels, c0 + q);
      v1 = DoubleVector.fromArray(SPECIES, panels, c1 + q);
      a = DoubleVector.broadcast(SPECIES, panels[a0 + q]);
      t00 = t00.add(v0.mul(a));
      t01 = t01.add(v1.mul(a));
      a = DoubleVector.broadcast(SPECIES, panels[a1 + q]);
      t10 = t10.add(v0.mul(a));
      t11 = t11.add(v1.mul(a));
      q += lanes;
      v0 = DoubleVector.fromArray(SPECIES, panels, c0 + q);
      v1 = DoubleVector.fromArray(SPECIES, panels, c1 + q);
      a = DoubleVector.broadcast(SPECIES, panels[a0 + q]);
      t00 = t00.add(v0.mul(a));
      t01 = t01.add(v1.mul(a));
      a = DoubleVector.broadcast(SPECIES, panels[a1 + q]);
      t10 = t10.add(v0.mul(a));
      t11 = t11.add(v1.mul(a));
      s00 = s00.add(t00);
      s01 = s01.add(t01);
      s10 = s10.add(t10);
      s11 = s11.add(t11);
    }
    s00.intoArray(s, r0);
    s01.intoArray(s, r0 + lanes);
    s10.intoArray(s, r1);
    s11.intoArray(s, r1 + lanes);
  }

  /** The 4 × 1-vector tile at rows {@code i ..}, columns {@code j ..} on panels. */
  private static void columnOfPanels(double[] panels, int groups, double[] s, int b, int i, int j) {
    final int lanes = SPECIES.length();
    final int c = j / lanes * groups * lanes;
    final int a0 = rowStart(i, groups);
    final int a1 = rowStart(i + 1, groups);
    final int a2 = rowStart(i + 2, groups);
    final int a3 = rowStart(i + 3, groups);
    final int r0 = i * b + j;
    DoubleVector s0 = DoubleVector.fromArray(SPECIES, s, r0);
    DoubleVector s1 = DoubleVector.fromArray(SPECIES, s, r0 + b);
    DoubleVector s2 = DoubleVector.fromArray(SPECIES, s, r0 + 2 * b);
    DoubleVector s3 = DoubleVector.fromArray(SPECIES, s, r0 + 3 * b);
    for (int k = 0; k < groups; k += 4) {
      int q = k * lanes;
      DoubleVector v = DoubleVector.fromArray(SPECIES, panels, c + q);
      DoubleVector t0 = v.mul(panels[a0 + q]);
      DoubleVector t1 = v.mul(panels[a1 + q]);
      DoubleVector t2 = v.mul(panels[a2 + q]);
      DoubleVector t3 = v.mul(panels[a3 + q]);
      q += lanes;
      v = DoubleVector.fromArray(SPECIES, panels, c + q);
      t0 = t0.add(v.mul(panels[a0 + q]));
      t1 = t1.add(v.mul(panels[a1 + q]));
      t2 = t2.add(v.mul(panels[a2 + q]));
      t3 = t3.add(v.mul(panels[a3 + q]));
      q += lanes;
      v = DoubleVector.fromArray(SPECIES, panels, c + q);
      t0 = t0.add(v.mul(panels[a0 + q]));
      t1 = t1.add(v.mul(panels[a1 + q]));
      t2 = t2.add(v.mul(panels[a2 + q]));
      t3 = t3.add(v.mul(panels[a3 + q]));
      q += lanes;
      v = DoubleVector.fromArray(SPECIES, panels, c + q);
      t0 = t0.add(v.mul(panels[a0 + q]));
      t1 = t1.add(v.mul(panels[a1 + q]));
      t2 = t2.add(v.mul(panels[a2 + q]));
      t3 = t3.add(v.mul(panels[a3 + q]));
      s0 = s0.add(t0);
      s1 = s1.add(t1);
      s2 = s2.add(t2);
      s3 = s3.add(t3);
    }
    s0.intoArray(s, r0);
    s1.intoArray(s, r0 + b);
    s2.intoArray(s, r0 + 2 * b);
    s3.intoArray(s, r0 + 3 * b);
  }

  /**
   * Rows {@code i .. i + 3} of the scatter {@code s} (B × B row-major), columns {@code [from, to)} (a whole number of
   * vectors), over the first {@code groups} pixels buffered in {@code y} (pixel-major, B values each): two column
   * vectors at a time, then the last one alone when their count is odd.
   *
   * @param groups the number of pixels, a multiple of four
   */
  static void fourRows(double[] y, int b, int groups, double[] s, int i, int from, int to) {
    final int lanes = SPECIES.length();
    final int end = from + SPECIES.loopBound(to - from);
    int j = from;
    for (; j + lanes < end; j += 2 * lanes) {
      tile(y, b, groups, s, i, j);
    }
    if (j < end) {
      column(y, b, groups, s, i, j);
    }
  }

  /** The 4 × 2-vector tile at rows {@code i ..}, columns {@code j ..}. */
  private static void tile(double[] y, int b, int groups, double[] s, int i, int j) {
    final int lanes = SPECIES.length();
    final int r0 = i * b + j;
    final int r1 = r0 + b;
    final int r2 = r1 + b;
    final int r3 = r2 + b;
    DoubleVector s00 = DoubleVector.fromArray(SPECIES, s, r0);
    DoubleVector s01 = DoubleVector.fromArray(SPECIES, s, r0 + lanes);
    DoubleVector s10 = DoubleVector.fromArray(SPECIES, s, r1);
    DoubleVector s11 = DoubleVector.fromArray(SPECIES, s, r1 + lanes);
    DoubleVector s20 = DoubleVector.fromArray(SPECIES, s, r2);
    DoubleVector s21 = DoubleVector.fromArray(SPECIES, s, r2 + lanes);
    DoubleVector s30 = DoubleVector.fromArray(SPECIES, s, r3);
    DoubleVector s31 = DoubleVector.fromArray(SPECIES, s, r3 + lanes);
    for (int k = 0; k < groups; k += 4) {
      final int o0 = k * b;
      final int o1 = o0 + b;
      final int o2 = o1 + b;
      final int o3 = o2 + b;
      // The group's four pixels at the tile's two column vectors.
      DoubleVector v00 = DoubleVector.fromArray(SPECIES, y, o0 + j);
      DoubleVector v01 = DoubleVector.fromArray(SPECIES, y, o0 + j + lanes);
      DoubleVector v10 = DoubleVector.fromArray(SPECIES, y, o1 + j);
      DoubleVector v11 = DoubleVector.fromArray(SPECIES, y, o1 + j + lanes);
      DoubleVector v20 = DoubleVector.fromArray(SPECIES, y, o2 + j);
      DoubleVector v21 = DoubleVector.fromArray(SPECIES, y, o2 + j + lanes);
      DoubleVector v30 = DoubleVector.fromArray(SPECIES, y, o3 + j);
      DoubleVector v31 = DoubleVector.fromArray(SPECIES, y, o3 + j + lanes);
      // Row by row: the four pixels' values at that row, broadcast once for both column vectors.
      DoubleVector a0 = DoubleVector.broadcast(SPECIES, y[o0 + i]);
      DoubleVector a1 = DoubleVector.broadcast(SPECIES, y[o1 + i]);
      DoubleVector a2 = DoubleVector.broadcast(SPECIES, y[o2 + i]);
      DoubleVector a3 = DoubleVector.broadcast(SPECIES, y[o3 + i]);
      s00 = s00.add(v00.mul(a0).add(v10.mul(a1)).add(v20.mul(a2)).add(v30.mul(a3)));
      s01 = s01.add(v01.mul(a0).add(v11.mul(a1)).add(v21.mul(a2)).add(v31.mul(a3)));
      a0 = DoubleVector.broadcast(SPECIES, y[o0 + i + 1]);
      a1 = DoubleVector.broadcast(SPECIES, y[o1 + i + 1]);
      a2 = DoubleVector.broadcast(SPECIES, y[o2 + i + 1]);
      a3 = DoubleVector.broadcast(SPECIES, y[o3 + i + 1]);
      s10 = s10.add(v00.mul(a0).add(v10.mul(a1)).add(v20.mul(a2)).add(v30.mul(a3)));
      s11 = s11.add(v01.mul(a0).add(v11.mul(a1)).add(v21.mul(a2)).add(v31.mul(a3)));
      a0 = DoubleVector.broadcast(SPECIES, y[o0 + i + 2]);
      a1 = DoubleVector.broadcast(SPECIES, y[o1 + i + 2]);
      a2 = DoubleVector.broadcast(SPECIES, y[o2 + i + 2]);
      a3 = DoubleVector.broadcast(SPECIES, y[o3 + i + 2]);
      s20 = s20.add(v00.mul(a0).add(v10.mul(a1)).add(v20.mul(a2)).add(v30.mul(a3)));
      s21 = s21.add(v01.mul(a0).add(v11.mul(a1)).add(v21.mul(a2)).add(v31.mul(a3)));
      a0 = DoubleVector.broadcast(SPECIES, y[o0 + i + 3]);
      a1 = DoubleVector.broadcast(SPECIES, y[o1 + i + 3]);
      a2 = DoubleVector.broadcast(SPECIES, y[o2 + i + 3]);
      a3 = DoubleVector.broadcast(SPECIES, y[o3 + i + 3]);
      s30 = s30.add(v00.mul(a0).add(v10.mul(a1)).add(v20.mul(a2)).add(v30.mul(a3)));
      s31 = s31.add(v01.mul(a0).add(v11.mul(a1)).add(v21.mul(a2)).add(v31.mul(a3)));
    }
    s00.intoArray(s, r0);
    s01.intoArray(s, r0 + lanes);
    s10.intoArray(s, r1);
    s11.intoArray(s, r1 + lanes);
    s20.intoArray(s, r2);
    s21.intoArray(s, r2 + lanes);
    s30.intoArray(s, r3);
    s31.intoArray(s, r3 + lanes);
  }

  /** The 4 × 1-vector tile at rows {@code i ..}, columns {@code j ..} (a tile's last vector when their count is odd). */
  private static void column(double[] y, int b, int groups, double[] s, int i, int j) {
    final int r0 = i * b + j;
    final int r1 = r0 + b;
    final int r2 = r1 + b;
    final int r3 = r2 + b;
    DoubleVector s0 = DoubleVector.fromArray(SPECIES, s, r0);
    DoubleVector s1 = DoubleVector.fromArray(SPECIES, s, r1);
    DoubleVector s2 = DoubleVector.fromArray(SPECIES, s, r2);
    DoubleVector s3 = DoubleVector.fromArray(SPECIES, s, r3);
    for (int k = 0; k < groups; k += 4) {
      final int o0 = k * b;
      final int o1 = o0 + b;
      final int o2 = o1 + b;
      final int o3 = o2 + b;
      DoubleVector v0 = DoubleVector.fromArray(SPECIES, y, o0 + j);
      DoubleVector v1 = DoubleVector.fromArray(SPECIES, y, o1 + j);
      DoubleVector v2 = DoubleVector.fromArray(SPECIES, y, o2 + j);
      DoubleVector v3 = DoubleVector.fromArray(SPECIES, y, o3 + j);
      s0 = s0.add(v0.mul(y[o0 + i]).add(v1.mul(y[o1 + i])).add(v2.mul(y[o2 + i])).add(v3.mul(y[o3 + i])));
      s1 = s1.add(v0.mul(y[o0 + i + 1]).add(v1.mul(y[o1 + i + 1])).add(v2.mul(y[o2 + i + 1]))
          .add(v3.mul(y[o3 + i + 1])));
      s2 = s2.add(v0.mul(y[o0 + i + 2]).add(v1.mul(y[o1 + i + 2])).add(v2.mul(y[o2 + i + 2]))
          .add(v3.mul(y[o3 + i + 2])));
      s3 = s3.add(v0.mul(y[o0 + i + 3]).add(v1.mul(y[o1 + i + 3])).add(v2.mul(y[o2 + i + 3]))
          .add(v3.mul(y[o3 + i + 3])));
    }
    s0.intoArray(s, r0);
    s1.intoArray(s, r1);
    s2.intoArray(s, r2);
    s3.intoArray(s, r3);
  }
}
