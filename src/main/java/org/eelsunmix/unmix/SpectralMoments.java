package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.linalg.VectorApi;

/**
 * First and second moments of a set of spectra: the count {@code N}, the channel sums {@code Σ y}, the
 * uncentred scatter {@code Σ y yᵀ} and {@code Σ ‖y‖²}. These are the sufficient statistics of VCA's subspace
 * projection and SNR estimate (and of PCA), so a distributed fit aggregates them over partitions
 * ({@link #merge}) and never needs the pixels themselves on the driver.
 *
 * <p>Only the upper triangle of the scatter is accumulated (it is symmetric). Pixels are buffered in blocks of
 * {@value #BLOCK} and added as one rank-{@value #BLOCK} update: column tiles of {@value #TILE}
 * so that the block's slice stays in L1, two scatter rows per pass sharing the pixel loads, eight pixels per load and
 * store of a scatter entry (on the Vector API a register tile of four rows by two vectors, {@link ScatterRowsVector}).
 * The B² accumulator is streamed once per block instead of once per pixel (at B = 903 it is 6.5 MB, far beyond the
 * caches). With vectors of four doubles (x86 AVX2) the Vector API path copies each block into panels and runs a
 * smaller tile ({@link Kernel#PANELS}, blocks of {@value #PANEL_BLOCK} pixels, column tiles of {@value #PANEL_TILE}).
 * The order of the additions into each entry is fixed (groups of four pixels from the block start, then a partial
 * block's last pixels one by one), so neither the tiling, the block size nor the path changes a bit. Mutable
 * accumulator; not thread-safe.
 */
public final class SpectralMoments implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int channels;
  private long count;
  private final double[] sum;
  private final double[] scatter; // row-major B×B, upper triangle filled
  private double sumSquares;
  /** Pixels per rank-k update of the scatter ({@link Kernel#SCALAR}, {@link Kernel#TILE}). */
  static final int BLOCK = 32;
  /** Scatter columns per cache tile of {@link #flush()}: 32 pixels × 64 channels = 16 kB of the block. */
  static final int TILE = 64;
  /** Pixels per block of {@link Kernel#PANELS} (measured best of 32, 64 and 128 at B = 200 and 903). */
  static final int PANEL_BLOCK = 128;
  /** Scatter columns per cache tile of {@link Kernel#PANELS}: 128 pixels × 32 channels = 32 kB of the panels. */
  static final int PANEL_TILE = 32;
  private transient double[] pending; // up to a block of pixels, pixel-major, not yet in the scatter
  private transient double[] panels; // the block's copy for Kernel.PANELS
  private transient int pendingCount;
  /**
   * The kernel asked for; null for the preferred kernel of the JVM that runs the accumulator. An accumulator made on
   * a driver that has the Vector API runs on executors that may not (a cluster's executors without the module), so
   * the choice is made where the pixels are added, not where the accumulator was made.
   */
  private final Kernel requested;
  private transient Kernel kernel; // resolved on first use in this JVM (kernel())

  /**
   * How the scatter's rank-k updates run; each gives the same bits. {@link #SCALAR}: plain Java (the reference, and the
   * path without the Vector API); {@link #TILE}: the Vector API's 4 × 2-vector register tile on the pixel-major block;
   * {@link #PANELS}: the block copied into panels and a 2 × 2-vector tile ({@link ScatterRowsVector}).
   */
  public enum Kernel {
    SCALAR, TILE, PANELS;

    /** This machine's kernel: panels with vectors of four doubles, the register tile with wider ones. */
    public static Kernel preferred() {
      if (!VectorApi.ENABLED) {
        return SCALAR;
      }
      return ScatterRowsVector.panelsPreferred() ? PANELS : TILE;
    }

    /** Whether this JVM can run it (the vector kernels need the Vector API module). */
    public boolean available() {
      return this == SCALAR || VectorApi.ENABLED;
    }

    int block() {
      return this == PANELS ? PANEL_BLOCK : BLOCK;
    }
  }

  public SpectralMoments(int channels) {
    this(channels, null);
  }

  private SpectralMoments(int channels, Kernel kernel) {
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be ≥ 1, got " + channels);
    }
    if (kernel != null && !kernel.available()) {
      throw new IllegalArgumentException(kernel + " needs the Vector API (--add-modules=jdk.incubator.vector)");
    }
    this.channels = channels;
    this.sum = new double[channels];
    this.scatter = new double[channels * channels];
    this.requested = kernel;
  }

  /**
   * The kernel this JVM runs: the one asked for, or this JVM's preferred one; the scalar path where the one asked for
   * cannot run here (an accumulator shipped to a JVM without the Vector API). Every kernel gives the same bits.
   */
  private Kernel kernel() {
    if (kernel == null) {
      kernel = requested == null ? Kernel.preferred() : requested.available() ? requested : Kernel.SCALAR;
    }
    return kernel;
  }

  /** An accumulator on the given kernel (tests and benchmarks compare them; production takes the preferred one). */
  public static SpectralMoments withKernel(int channels, Kernel kernel) {
    return new SpectralMoments(channels, kernel);
  }

  public int channels() {
    return channels;
  }

  public long count() {
    return count;
  }

  /** Adds the spectrum {@code y[offset .. offset + B)}; returns this. */
  public SpectralMoments add(float[] y, int offset) {
    double[] row = nextRow();
    int base = pendingCount * channels;
    for (int i = 0; i < channels; i++) {
      row[base + i] = y[offset + i];
    }
    return accept();
  }

  /** Adds one spectrum of length B; returns this. */
  public SpectralMoments add(double[] y) {
    if (y.length < channels) {
      throw new IllegalArgumentException("spectrum has " + y.length + " channels, expected " + channels);
    }
    double[] row = nextRow();
    System.arraycopy(y, 0, row, pendingCount * channels, channels);
    return accept();
  }

  private double[] nextRow() {
    if (pending == null) {
      pending = new double[kernel().block() * channels];
    }
    return pending;
  }

  /** Counts the pixel just copied to {@code pending}; flushes a full block. */
  private SpectralMoments accept() {
    count++;
    if (++pendingCount == kernel().block()) {
      flush();
    }
    return this;
  }

  /**
   * Adds the buffered pixels to the sums ({@link #addSums}) and to the scatter:
   * {@code S[i][j] += Σ_k y_k[i] y_k[j]}, j ≥ i. Every entry gets the same
   * additions in the same order whatever the tiling: per group of four pixels (in order) one
   * {@code S += y0[i]y0[j] + y1[i]y1[j] + y2[i]y2[j] + y3[i]y3[j]}, then the leftover pixels one by one. The group
   * boundaries are multiples of four from the block start and {@link #BLOCK} is a multiple of four, so the bits do
   * not depend on the block size either. The groups go through {@link #flushGroups} or {@link #flushGroupsVector}
   * (same bits), the leftovers (only in a partial block: a partition's last pixels) through {@link #addSingles}.
   *
   * <p>Leftovers are kept out of the group kernels on purpose: those kernels then run the same loops on every call,
   * so C2 never compiles them with a leftover branch it has not seen taken. It did before, and every partition's end
   * (its partial block) threw the compiled vector kernel back to the interpreter until C2 had compiled it again
   * (about a second of 20-40x slower vector code on each task thread, under Spark's JIT load).
   */
  private void flush() {
    if (pendingCount == 0) {
      return;
    }
    addSums();
    final int groups = pendingCount & ~3;
    if (groups > 0) {
      switch (kernel()) {
        case PANELS -> flushGroupsOfPanels(groups);
        case TILE -> flushGroupsVector(groups, TILE, false);
        default -> flushGroups(groups);
      }
    }
    if (groups < pendingCount) {
      addSingles(groups);
    }
    pendingCount = 0;
  }

  /**
   * Adds the buffered pixels to {@code Σ y} and {@code Σ ‖y‖²}, in pixel order: {@code sum[i] += y[i]} per pixel (a
   * loop C2 vectorises, each channel its own sum) and {@code sumSquares += Σ_i y[i]²} with each pixel's sum in channel
   * order, four pixels' sums side by side so that four chains of additions overlap (one pixel alone waits on the
   * latency of every addition: ≈ 600 cycles at B = 200). The same additions in the same order as one pixel at a time,
   * so the same bits; a partial block's last pixels (fewer than four) go through {@link #addSquares} alone.
   */
  private void addSums() {
    final int b = channels;
    final double[] y = pending;
    for (int k = 0; k < pendingCount; k++) {
      final int o = k * b;
      for (int i = 0; i < b; i++) {
        sum[i] += y[o + i];
      }
    }
    final int groups = pendingCount & ~3;
    for (int k = 0; k < groups; k += 4) {
      final int o0 = k * b;
      final int o1 = o0 + b;
      final int o2 = o1 + b;
      final int o3 = o2 + b;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int i = 0; i < b; i++) {
        final double v0 = y[o0 + i];
        final double v1 = y[o1 + i];
        final double v2 = y[o2 + i];
        final double v3 = y[o3 + i];
        s0 += v0 * v0;
        s1 += v1 * v1;
        s2 += v2 * v2;
        s3 += v3 * v3;
      }
      sumSquares += s0;
      sumSquares += s1;
      sumSquares += s2;
      sumSquares += s3;
    }
    for (int k = groups; k < pendingCount; k++) {
      addSquares(k * b);
    }
  }

  /** {@code sumSquares += Σ_i y[i]²} of the one buffered pixel at {@code pending[o ..]}, in channel order. */
  private void addSquares(int o) {
    double ss = 0;
    for (int i = 0; i < channels; i++) {
      final double v = pending[o + i];
      ss += v * v;
    }
    sumSquares += ss;
  }

  /**
   * The groups of the block, scalar: columns in tiles of {@value #TILE}, so that the block's slice of each tile
   * ({@code BLOCK × TILE} values) and the scatter row's segment stay in L1 while every row passes over them; two rows
   * at a time share each load of the pixels.
   */
  private void flushGroups(int groups) {
    final int b = channels;
    for (int j0 = 0; j0 < b; j0 += TILE) {
      final int j1 = Math.min(b, j0 + TILE);
      int i = 0;
      for (; i + 1 < j1; i += 2) {
        rowPair(i, j0, j1, groups);
      }
      if (i < j1) {
        rows(i, Math.max(j0, i), j1, groups);
      }
    }
  }

  /**
   * {@link #flushGroups} on the Vector API: per column tile, rows in fours by {@link ScatterRowsVector}, in whole
   * vectors of columns counted from the tile's start; the columns after the tile's last whole vector and the last
   * rows (fewer than four) by {@link #rows}. Same additions in the same order per entry as the scalar path, so the
   * same bits. Near the diagonal a row's first vector may begin left of it: those entries of the lower triangle are
   * scratch (never read: {@link #secondMoment()} mirrors the upper one), cheaper to compute than to split the vector.
   * Column tiles of {@code tile}; the rows from the pixel-major block ({@link Kernel#TILE}) or from its panels
   * ({@link #flushGroupsOfPanels}).
   */
  private void flushGroupsVector(int groups, int tile, boolean ofPanels) {
    final int b = channels;
    final int lanes = ScatterRowsVector.lanes();
    for (int j0 = 0; j0 < b; j0 += tile) {
      final int j1 = Math.min(b, j0 + tile);
      final int whole = j0 + (j1 - j0) / lanes * lanes;
      int i = 0;
      for (; i + 3 < j1; i += 4) {
        // From a whole pair of vectors left of the diagonal: the 4 × 1 tile then runs only where a tile's vectors are
        // odd in number (its last columns, every row), so it is hot wherever it runs and C2 compiles it as early as
        // the rest. Started at the diagonal's own vector, it ran a few times a block near the diagonal, reached C2
        // seconds after the rest and ran meanwhile in C1 with boxed vectors (1 GB of garbage in a 640² VCA fit,
        // 12 GB at 2048², JFR). The extra entries are in the lower triangle: scratch.
        final int pair = 2 * lanes;
        final int from = i <= j0 ? j0 : j0 + (i - j0) / pair * pair;
        if (from < whole) {
          if (ofPanels) {
            ScatterRowsVector.fourRowsOfPanels(panels, groups, scatter, b, i, from, whole);
          } else {
            ScatterRowsVector.fourRows(pending, b, groups, scatter, i, from, whole);
          }
        }
        for (int r = 0; r < 4; r++) {
          final int rest = Math.max(whole, i + r);
          if (rest < j1) {
            rows(i + r, rest, j1, groups);
          }
        }
      }
      for (; i < j1; i++) {
        rows(i, Math.max(j0, i), j1, groups);
      }
    }
  }

  /**
   * {@link #flushGroupsVector} on {@link ScatterRowsVector}'s panels: the block's groups copied into them once, then
   * the same column tiles (of {@value #PANEL_TILE}), rows and leftovers; same bits.
   */
  private void flushGroupsOfPanels(int groups) {
    final int need = ScatterRowsVector.panelLength(channels, groups);
    if (panels == null || panels.length < need) {
      panels = new double[ScatterRowsVector.panelLength(channels, PANEL_BLOCK)];
    }
    ScatterRowsVector.pack(pending, channels, groups, panels);
    flushGroupsVector(groups, PANEL_TILE, true);
  }

  /**
   * Rows i and i + 1 of the scatter within the column tile {@code [tile0, j1)}, the first {@code groups} pixels: their
   * common entries {@code [max(tile0, i + 1), j1)} share the pixel loads; the diagonal entry (i, i), when in the
   * tile, goes alone.
   */
  private void rowPair(int i, int tile0, int j1, int groups) {
    final int b = channels;
    final double[] y = pending;
    final double[] s = scatter;
    final int base = i * b;
    final int next = base + b;
    if (i >= tile0) {
      rows(i, i, i + 1, groups);
    }
    final int j0 = Math.max(tile0, i + 1);
    int k = 0;
    for (; k + 4 < groups; k += 8) {
      // Two groups per pass: S + g0 + g1 in one expression is S += g0, then S += g1 (same roundings).
      int o0 = k * b;
      int o1 = o0 + b;
      int o2 = o1 + b;
      int o3 = o2 + b;
      int o4 = o3 + b;
      int o5 = o4 + b;
      int o6 = o5 + b;
      int o7 = o6 + b;
      double a0 = y[o0 + i];
      double a1 = y[o1 + i];
      double a2 = y[o2 + i];
      double a3 = y[o3 + i];
      double a4 = y[o4 + i];
      double a5 = y[o5 + i];
      double a6 = y[o6 + i];
      double a7 = y[o7 + i];
      double c0 = y[o0 + i + 1];
      double c1 = y[o1 + i + 1];
      double c2 = y[o2 + i + 1];
      double c3 = y[o3 + i + 1];
      double c4 = y[o4 + i + 1];
      double c5 = y[o5 + i + 1];
      double c6 = y[o6 + i + 1];
      double c7 = y[o7 + i + 1];
      for (int j = j0; j < j1; j++) {
        double v0 = y[o0 + j];
        double v1 = y[o1 + j];
        double v2 = y[o2 + j];
        double v3 = y[o3 + j];
        double v4 = y[o4 + j];
        double v5 = y[o5 + j];
        double v6 = y[o6 + j];
        double v7 = y[o7 + j];
        s[base + j] = s[base + j] + (a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3)
            + (a4 * v4 + a5 * v5 + a6 * v6 + a7 * v7);
        s[next + j] = s[next + j] + (c0 * v0 + c1 * v1 + c2 * v2 + c3 * v3)
            + (c4 * v4 + c5 * v5 + c6 * v6 + c7 * v7);
      }
    }
    for (; k < groups; k += 4) {
      int o0 = k * b;
      int o1 = o0 + b;
      int o2 = o1 + b;
      int o3 = o2 + b;
      double a0 = y[o0 + i];
      double a1 = y[o1 + i];
      double a2 = y[o2 + i];
      double a3 = y[o3 + i];
      double c0 = y[o0 + i + 1];
      double c1 = y[o1 + i + 1];
      double c2 = y[o2 + i + 1];
      double c3 = y[o3 + i + 1];
      for (int j = j0; j < j1; j++) {
        double v0 = y[o0 + j];
        double v1 = y[o1 + j];
        double v2 = y[o2 + j];
        double v3 = y[o3 + j];
        s[base + j] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
        s[next + j] += c0 * v0 + c1 * v1 + c2 * v2 + c3 * v3;
      }
    }
  }

  /** Entries {@code [j0, j1)} of row i alone, the first {@code groups} pixels of the block. */
  private void rows(int i, int j0, int j1, int groups) {
    final int b = channels;
    final double[] y = pending;
    final double[] s = scatter;
    final int base = i * b;
    for (int k = 0; k < groups; k += 4) {
      int o0 = k * b;
      int o1 = o0 + b;
      int o2 = o1 + b;
      int o3 = o2 + b;
      double a0 = y[o0 + i];
      double a1 = y[o1 + i];
      double a2 = y[o2 + i];
      double a3 = y[o3 + i];
      for (int j = j0; j < j1; j++) {
        s[base + j] += a0 * y[o0 + j] + a1 * y[o1 + j] + a2 * y[o2 + j] + a3 * y[o3 + j];
      }
    }
  }

  /**
   * The pixels {@code [from, pendingCount)} of a partial block (fewer than four, after its groups), one at a time over
   * the whole upper triangle: {@code S[i][j] += y[i]y[j]}. Rare (once per partition) and at most three pixels, so plain.
   */
  private void addSingles(int from) {
    final int b = channels;
    final double[] y = pending;
    final double[] s = scatter;
    for (int k = from; k < pendingCount; k++) {
      final int o = k * b;
      for (int i = 0; i < b; i++) {
        final double a = y[o + i];
        final int base = i * b;
        for (int j = i; j < b; j++) {
          s[base + j] += a * y[o + j];
        }
      }
    }
  }

  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    flush(); // the buffer is transient: fold it in before the state travels
    out.defaultWriteObject();
  }

  /** Adds the other accumulator's statistics into this one; returns this. */
  public SpectralMoments merge(SpectralMoments other) {
    if (other.channels != channels) {
      throw new IllegalArgumentException("cannot merge moments of " + other.channels + " and " + channels + " channels");
    }
    flush();
    other.flush();
    count += other.count;
    sumSquares += other.sumSquares;
    for (int i = 0; i < channels; i++) {
      sum[i] += other.sum[i];
    }
    for (int i = 0; i < scatter.length; i++) {
      scatter[i] += other.scatter[i];
    }
    return this;
  }

  private void requireData() {
    if (count == 0) {
      throw new IllegalStateException("no spectra were accumulated");
    }
  }

  /** Mean spectrum {@code Σ y / N}. */
  public double[] mean() {
    requireData();
    flush(); // the buffered pixels' sums are added with their block
    double[] m = new double[channels];
    for (int i = 0; i < channels; i++) {
      m[i] = sum[i] / count;
    }
    return m;
  }

  /** Uncentred second moment {@code Σ y yᵀ / N} (VCA's "R Rᵀ / N"), full symmetric B×B, row-major. */
  public double[] secondMoment() {
    requireData();
    flush();
    int b = channels;
    double[] r = new double[b * b];
    for (int i = 0; i < b; i++) {
      for (int j = i; j < b; j++) {
        double v = scatter[i * b + j] / count;
        r[i * b + j] = v;
        r[j * b + i] = v;
      }
    }
    return r;
  }

  /** Covariance {@code Σ (y − m)(y − m)ᵀ / N} (population normalisation, as VCA uses), full B×B row-major. */
  public double[] covariance() {
    double[] c = secondMoment();
    double[] m = mean();
    int b = channels;
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        c[i * b + j] -= m[i] * m[j];
      }
    }
    return c;
  }

  /** Mean power {@code Σ ‖y‖² / N} (VCA's {@code P_y}). */
  public double meanPower() {
    requireData();
    flush();
    return sumSquares / count;
  }

  /**
   * Moments from sums accumulated elsewhere (BLU sums them order-independently, {@link FixedPointSum}).
   *
   * @param sum Σ y (B)
   * @param upper Σ y yᵀ, upper triangle packed row by row (i ≤ j), B(B+1)/2 values
   */
  public static SpectralMoments of(long count, double[] sum, double[] upper) {
    int b = sum.length;
    if (upper.length != b * (b + 1) / 2) {
      throw new IllegalArgumentException(upper.length + " values are not the upper triangle of " + b + "x" + b);
    }
    SpectralMoments m = new SpectralMoments(b);
    m.count = count;
    System.arraycopy(sum, 0, m.sum, 0, b);
    int index = 0;
    for (int i = 0; i < b; i++) {
      m.sumSquares += upper[index];
      for (int j = i; j < b; j++) {
        m.scatter[i * b + j] = upper[index++];
      }
    }
    return m;
  }
}
