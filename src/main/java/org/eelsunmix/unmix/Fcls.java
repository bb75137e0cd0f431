package org.eelsunmix.unmix;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.linalg.Dot;
import org.eelsunmix.linalg.PivotedCholesky;

/**
 * Fully constrained least squares (FCLS) abundance estimation: for each pixel spectrum {@code y} (B channels) and
 * endmember matrix {@code M} (R × B),
 *
 * <pre>  minimise ‖y − Mᵀa‖²   subject to   a ≥ 0,  Σ a = 1</pre>
 *
 * as posed by Heinz &amp; Chang, "Fully constrained least squares linear spectral mixture analysis method for
 * material quantification in hyperspectral imagery", IEEE TGRS 39(3):529–545, 2001. The constraints hold
 * <em>exactly</em> (up to rounding): the problem is solved by a primal active-set method on the small
 * R-dimensional quadratic program (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithm 16.3),
 * not by the penalty row that Heinz &amp; Chang append to M.
 *
 * <h2>Method</h2>
 * On Σa = 1 the residual does not change when every spectrum is shifted by the same vector, so the problem is
 * solved on centred data: {@code C = M − 1m̄ᵀ} (m̄ the mean endmember), {@code ỹ = y − m̄}, {@code G = C Cᵀ},
 * {@code b = C ỹ}, objective {@code ½aᵀGa − bᵀa}. Centring removes the large background that EELS endmembers
 * share, which would otherwise cost digits in G (the multipliers below are the same as for the uncentred problem).
 * Starting from the feasible point {@code a = 1/R} with every endmember free, each iteration solves the
 * equality-constrained problem on the free set F (the others held at 0) by the null-space method:
 * {@code a_F = 1/|F| + Z t}, Z an orthonormal basis of the zero-sum directions (from the Householder reflection of
 * the all-ones vector), {@code (ZᵀG_FF Z) t = Zᵀ(b_F − G_FF 1/|F|)}. Working in the coordinates of Σa = 1 keeps
 * endmembers that are linearly but not affinely dependent (one a multiple of another) exactly solvable. If the
 * solution leaves the simplex, the iterate steps to the first bound it meets, which joins the working set;
 * otherwise the multipliers {@code λ_i = (Ga − b)_i − ν} of the working-set bounds are checked (ν: the sum-to-one
 * multiplier) and the most negative one below {@code −τ} is released. It stops when every {@code λ_i ≥ −τ}, with
 * {@code τ = 1e-10 · (max_i G_ii + max_i |b_i|)}: about a million times the rounding noise of λ, so that rounding
 * cannot make a bound flip back and forth.
 *
 * <h2>Fast path</h2>
 * With every endmember free the solution is {@code x = q + Q (D y)}, {@code D = ZᵀM} the (R − 1) × B zero-sum
 * combinations of the endmembers, and Q, q fixed by M; they are precomputed here. A pixel inside the simplex (the
 * usual case) therefore costs (R − 1)·B multiply-adds over a contiguous copy of D, two rows per pass
 * ({@link Dot#unrolledPair}; in blocks, two pixels per pass, {@link Dot#unrolledPairTwice}, the same bits), plus an
 * R × (R − 1) product, and allocates nothing.
 *
 * <h2>Degenerate endmembers</h2>
 * Duplicated or otherwise affinely dependent endmembers make {@code ZᵀG_FF Z} singular. It is factorised by
 * Cholesky with diagonal pivoting ({@link PivotedCholesky}), and a pivot at or below
 * {@code ε = 1e-12 · trace(G)/R} (about a thousand times the rounding noise of G's entries) ends the
 * factorisation: those directions do not change the fit and are left at 0, which gives an exact minimiser (a
 * basic solution) with no division by a near-zero pivot. The fit is then optimal, and how abundance is shared
 * between indistinguishable endmembers is deterministic but arbitrary. (A ridge {@code G + εI} was tried first
 * and rejected: dividing by ε amplifies rounding into 1e-4 abundance errors.) Each pixel takes at most
 * {@code 10R + 50} iterations; a pixel that reaches the cap (only conceivable with rounding-level ties) keeps the
 * last iterate, which is feasible.
 *
 * <p>Instances are immutable and thread-safe; per-thread state lives in a {@link Solver}.
 */
public final class Fcls implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Pivot below which a reduced-Hessian direction counts as flat, relative to {@code trace(G)/R}. */
  static final double RELATIVE_ZERO_PIVOT = 1e-12;
  /** Multiplier tolerance relative to {@code max G_ii + max |b_i|}. */
  static final double RELATIVE_MULTIPLIER_TOLERANCE = 1e-10;

  private final int count;
  private final int channels;
  /** M, row-major R × B, for residuals. */
  private final double[] spectra;
  /** D = ZᵀM, row-major (R − 1) × B, contiguous for the per-pixel product. */
  private final double[] zeroSumSpectra;
  /** D m̄, so that Zᵀ b = D y − D m̄. */
  private final double[] zeroSumOfMean;
  /** G = C Cᵀ of the centred endmembers, row-major R × R. */
  private final double[] gram;
  /** ε: Cholesky pivots at or below it are treated as zero. */
  private final double zeroPivot;
  private final double maxGramDiagonal;
  /** Full-set solution x = q + Q (D y): Q row-major R × (R − 1). */
  private final double[] fullSolution;
  private final double[] fullOffset;
  /** For k = 2..R: orthonormal basis of the zero-sum directions in R^k, row-major k × (k − 1). */
  private final double[][] zeroSumBases;
  private final int maxIterations;

  /**
   * Prepares FCLS for one endmember set.
   *
   * @param endmembers {@code R × B} spectra, {@code 1 ≤ R ≤ B}, all rows of the same length, finite, not all zero
   *     (copied)
   * @throws BadInputException naming {@code endmembers} when the matrix is empty, ragged, non-finite, all zero or
   *     has more endmembers than channels
   */
  public Fcls(double[][] endmembers) {
    if (endmembers == null || endmembers.length == 0) {
      throw new BadInputException("endmembers", "no endmember spectra were given; FCLS needs at least one");
    }
    count = endmembers.length;
    channels = endmembers[0] == null ? 0 : endmembers[0].length;
    for (int r = 0; r < count; r++) {
      if (endmembers[r] == null) {
        throw new BadInputException("endmembers", "endmember " + r + " is missing (null)");
      }
      if (endmembers[r].length != channels) {
        throw new BadInputException("endmembers", String.format(
            "endmember %d has %d channels but endmember 0 has %d; all spectra must share one energy axis", r,
            endmembers[r].length, channels));
      }
    }
    if (count > channels) {
      throw new BadInputException("endmembers", String.format(
          "%d endmembers but only %d energy channels; unmixing needs at least as many channels as endmembers",
          count, channels));
    }
    spectra = new double[count * channels];
    double energy = 0;
    for (int r = 0; r < count; r++) {
      for (int c = 0; c < channels; c++) {
        double v = endmembers[r][c];
        if (!Double.isFinite(v)) {
          throw new BadInputException("endmembers",
              String.format("endmember %d has a non-finite value (%s) at channel %d", r, v, c));
        }
        spectra[r * channels + c] = v;
        energy += v * v;
      }
    }
    if (energy == 0) {
      throw new BadInputException("endmembers", "every endmember spectrum is zero; there is nothing to unmix with");
    }
    if (!Double.isFinite(energy)) {
      throw new BadInputException("endmembers",
          "endmember values are too large: their squared sum overflows double precision");
    }
    maxIterations = 10 * count + 50;
    zeroSumBases = new double[count + 1][];
    for (int k = 2; k <= count; k++) {
      zeroSumBases[k] = zeroSumBasis(k);
    }

    // Centred endmembers C = M − 1m̄ᵀ and their Gram matrix.
    double[] mean = new double[channels];
    for (int r = 0; r < count; r++) {
      for (int c = 0; c < channels; c++) {
        mean[c] += spectra[r * channels + c];
      }
    }
    for (int c = 0; c < channels; c++) {
      mean[c] /= count;
    }
    double[] centred = new double[count * channels];
    for (int r = 0; r < count; r++) {
      for (int c = 0; c < channels; c++) {
        centred[r * channels + c] = spectra[r * channels + c] - mean[c];
      }
    }
    gram = new double[count * count];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j <= i; j++) {
        double s = Dot.dot(centred, i * channels, centred, j * channels, channels);
        gram[i * count + j] = s;
        gram[j * count + i] = s;
      }
    }
    double trace = 0;
    double maxDiagonal = 0;
    for (int i = 0; i < count; i++) {
      trace += gram[i * count + i];
      maxDiagonal = Math.max(maxDiagonal, gram[i * count + i]);
    }
    zeroPivot = RELATIVE_ZERO_PIVOT * trace / count;
    maxGramDiagonal = maxDiagonal;

    int n = count - 1;
    zeroSumSpectra = new double[n * channels];
    zeroSumOfMean = new double[n];
    fullSolution = new double[count * n];
    fullOffset = new double[count];
    if (count == 1) {
      fullOffset[0] = 1.0;
      return;
    }
    // D = ZᵀC (= ZᵀM, as Zᵀ1 = 0; from C it carries no shared background to cancel).
    double[] z = zeroSumBases[count];
    for (int p = 0; p < n; p++) {
      for (int i = 0; i < count; i++) {
        double zip = z[i * n + p];
        for (int c = 0; c < channels; c++) {
          zeroSumSpectra[p * channels + c] += zip * centred[i * channels + c];
        }
      }
      zeroSumOfMean[p] = Dot.dot(zeroSumSpectra, p * channels, mean, 0, channels);
    }
    // Reduced Hessian H = ZᵀGZ = D Dᵀ, straight from D.
    double[] h = new double[n * n];
    for (int p = 0; p < n; p++) {
      for (int q = 0; q <= p; q++) {
        double s = Dot.dot(zeroSumSpectra, p * channels, zeroSumSpectra, q * channels, channels);
        h[p * n + q] = s;
        h[q * n + p] = s;
      }
    }
    int[] order = new int[n];
    int rank = PivotedCholesky.factor(h, n, zeroPivot, order);
    // G a0 = 0 (the rows of C sum to zero), so x = a0 + Z H⁻ (D y − D m̄): Q = Z H⁻, q = a0 − Q D m̄.
    double[] column = new double[n];
    double[] work = new double[n];
    for (int p = 0; p < n; p++) {
      java.util.Arrays.fill(column, 0.0);
      column[p] = 1.0;
      PivotedCholesky.solve(h, n, rank, order, column, work);
      for (int i = 0; i < count; i++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += z[i * n + k] * column[k];
        }
        fullSolution[i * n + p] = s;
      }
    }
    for (int i = 0; i < count; i++) {
      double s = 1.0 / count;
      for (int p = 0; p < n; p++) {
        s -= fullSolution[i * n + p] * zeroSumOfMean[p];
      }
      fullOffset[i] = s;
    }
  }

  /** Number of endmembers R. */
  public int endmemberCount() {
    return count;
  }

  /** Number of channels B. */
  public int channels() {
    return channels;
  }

  /** The maximum number of active-set iterations per pixel, {@code 10R + 50}. */
  public int maxIterations() {
    return maxIterations;
  }

  /** A solver with its own work buffers: one per thread or Spark partition. */
  public Solver newSolver() {
    return new Solver(this);
  }

  /**
   * Abundance maps of every pixel of an in-memory spectrum image (one solver, pixel by pixel).
   *
   * @throws BadInputException naming the image when its channel count differs from the endmembers'
   */
  public Abundances unmix(SpectrumImage image) {
    if (image.channels() != channels) {
      throw new BadInputException(image.id(), String.format(
          "spectrum image has %d energy channels but the endmembers have %d", image.channels(), channels));
    }
    Solver solver = newSolver();
    float[] data = image.data();
    int pixels = image.pixels();
    double[] values = new double[pixels * count];
    double[] a = new double[count];
    for (int p = 0; p < pixels; p++) {
      solver.solve(data, p * channels, a);
      System.arraycopy(a, 0, values, p * count, count);
    }
    return new Abundances(image.height(), image.width(), count, values);
  }

  /**
   * Columns 0..k−2 of the Householder reflection that swaps {@code 1/√k} and the last unit vector: an orthonormal
   * basis of the directions {@code d} with {@code Σ d = 0}, row-major k × (k − 1).
   */
  private static double[] zeroSumBasis(int k) {
    double u = 1.0 / Math.sqrt(k);
    double[] v = new double[k];
    for (int i = 0; i < k; i++) {
      v[i] = u;
    }
    v[k - 1] -= 1.0;
    double vv = 2.0 * (1.0 - u);
    double[] z = new double[k * (k - 1)];
    for (int i = 0; i < k; i++) {
      for (int p = 0; p < k - 1; p++) {
        z[i * (k - 1) + p] = (i == p ? 1.0 : 0.0) - 2.0 * v[i] * v[p] / vv;
      }
    }
    return z;
  }

  /**
   * Per-thread FCLS solver: reuses its buffers and allocates nothing per pixel. Not thread-safe; create one per
   * thread (or Spark partition) with {@link Fcls#newSolver()}.
   */
  public static final class Solver {
    private final Fcls fcls;
    private final int count;
    private final int channels;
    private final double[] zeroSumSpectra;
    private final double[] gram;
    // Work buffers, all sized once.
    private final double[] projection;
    /** A second pixel's {@code D y} ({@link #solveBlock} projects two at a time). */
    private final double[] secondProjection;
    private final double[] b;
    private final double[] x;
    private final double[] a;
    private final boolean[] free;
    private final int[] freeIndex;
    private final double[] gz;
    private final double[] h;
    private final double[] t;
    private final double[] gradient;
    private final int[] order;
    private final double[] work;
    private final double[] single;

    private Solver(Fcls fcls) {
      this.fcls = fcls;
      count = fcls.count;
      channels = fcls.channels;
      zeroSumSpectra = fcls.zeroSumSpectra;
      gram = fcls.gram;
      int n = Math.max(count - 1, 1);
      projection = new double[n];
      secondProjection = new double[n];
      b = new double[count];
      x = new double[count];
      a = new double[count];
      free = new boolean[count];
      freeIndex = new int[count];
      gz = new double[count * n];
      h = new double[n * n];
      t = new double[n];
      gradient = new double[count];
      order = new int[n];
      work = new double[n];
      single = new double[count];
    }

    /**
     * FCLS abundances of the spectrum {@code y[offset .. offset + B)}.
     *
     * @param abundancesOut receives the R abundances (≥ 0, summing to 1) in its first R entries
     * @return the number of active-set iterations (1 for a pixel inside the simplex; at most
     *     {@link Fcls#maxIterations()}), or 0 when the spectrum holds a non-finite value (the abundances are
     *     then NaN)
     */
    public int solve(float[] y, int offset, double[] abundancesOut) {
      checkRange(y.length, offset, abundancesOut);
      final int rows = count - 1;
      int p = 0;
      for (; p + 1 < rows; p += 2) {
        Dot.unrolledPair(zeroSumSpectra, p * channels, channels, y, offset, projection, p);
      }
      if (p < rows) {
        projection[p] = Dot.unrolled(zeroSumSpectra, p * channels, channels, y, offset);
      }
      return solveFromProjection(count > 1 || isFinite(y, offset), abundancesOut);
    }

    /** As {@link #solve(float[], int, double[])} for a {@code double[]} spectrum of exactly B channels. */
    public int solve(double[] y, double[] abundancesOut) {
      if (y.length != channels) {
        throw new IllegalArgumentException("spectrum has " + y.length + " channels, endmembers have " + channels);
      }
      checkRange(y.length, 0, abundancesOut);
      // Row by row: the same bits as the float path's row pairs (off the per-pixel hot path).
      for (int p = 0; p < count - 1; p++) {
        projection[p] = Dot.unrolled(zeroSumSpectra, p * channels, channels, y, 0);
      }
      boolean finite = true;
      for (int c = 0; count == 1 && c < channels; c++) {
        finite &= Double.isFinite(y[c]);
      }
      return solveFromProjection(finite, abundancesOut);
    }

    /**
     * The squared residual {@code ‖y − Mᵀa‖²} of abundances {@code a} for the spectrum
     * {@code y[offset .. offset + B)}, summed channel by channel (not from G and b, which would cancel), in the order
     * {@link MixtureResiduals} states.
     */
    public double residualSquared(float[] y, int offset, double[] a) {
      checkRange(y.length, offset, a);
      return MixtureResiduals.one(y, offset, a, 0, fcls.spectra, count, channels);
    }

    /**
     * FCLS abundances and squared residuals of {@code pixels} spectra stored one after another from
     * {@code y[offset]}: pixel k's abundances go to {@code abundancesOut[kR .. kR + R)}, its {@code ‖y − Mᵀa‖²} to
     * {@code residualsOut[k]}. Each value is bit-identical to {@link #solve(float[], int, double[])} and
     * {@link #residualSquared}. The residuals are computed after the block's abundances, in one call: the vector
     * residual kernel ({@link MixtureResiduals#all}) then has one call site here, so C2 compiles it once within this
     * method's compilation. Computed per pixel right after its abundances (two call sites, one per pixel of the
     * pairs below), C2 inlined the kernel twice into this method, ran out of its node budget inside the second copy
     * ({@code NodeCountInliningCutoff}) and left that copy's vectors as heap objects: on a co-ru-pt cube with its true
     * endmembers (B = 200, R = 3, 2.2 active-set iterations a pixel) 720–770 ns a pixel against 230–330 ns with the
     * kernel kept apart.
     *
     * @return the total number of active-set iterations
     */
    public long solveBlock(float[] y, int offset, int pixels, double[] abundancesOut, double[] residualsOut) {
      if (pixels < 0 || offset < 0 || (long) offset + (long) pixels * channels > y.length) {
        throw new IndexOutOfBoundsException(pixels + " spectra of " + channels + " channels at offset " + offset
            + " lie outside an array of " + y.length);
      }
      if (abundancesOut.length < (long) pixels * count || residualsOut.length < pixels) {
        throw new IllegalArgumentException("output buffers hold " + abundancesOut.length + " abundances and "
            + residualsOut.length + " residuals, need " + (long) pixels * count + " and " + pixels);
      }
      long iterations = 0;
      int k = 0;
      for (; k + 1 < pixels; k += 2) { // D y of two pixels in one pass (Dot.unrolledPairTwice: the same bits)
        int at = offset + k * channels;
        int next = at + channels;
        projectTwo(y, at, next);
        iterations += finish(y, at, k, abundancesOut);
        System.arraycopy(secondProjection, 0, projection, 0, secondProjection.length);
        iterations += finish(y, next, k + 1, abundancesOut);
      }
      for (; k < pixels; k++) {
        iterations += solve(y, offset + k * channels, single);
        System.arraycopy(single, 0, abundancesOut, k * count, count);
      }
      MixtureResiduals.all(y, offset, pixels, abundancesOut, 0, fcls.spectra, count, channels, residualsOut);
      return iterations;
    }

    /** {@code D y} of the spectra at {@code a} and {@code b} into {@link #projection} and {@link #secondProjection}. */
    private void projectTwo(float[] y, int a, int b) {
      final int rows = count - 1;
      int p = 0;
      for (; p + 1 < rows; p += 2) {
        Dot.unrolledPairTwice(zeroSumSpectra, p * channels, channels, y, a, b, projection, secondProjection, p);
      }
      if (p < rows) {
        projection[p] = Dot.unrolled(zeroSumSpectra, p * channels, channels, y, a);
        secondProjection[p] = Dot.unrolled(zeroSumSpectra, p * channels, channels, y, b);
      }
    }

    /** Pixel k of a block from its projection in {@link #projection}: its abundances to the block's output. */
    private int finish(float[] y, int at, int k, double[] abundancesOut) {
      int iterations = solveFromProjection(count > 1 || isFinite(y, at), single);
      System.arraycopy(single, 0, abundancesOut, k * count, count);
      return iterations;
    }

    private void checkRange(int length, int offset, double[] abundances) {
      if (offset < 0 || offset > length - channels) {
        throw new IndexOutOfBoundsException(
            "spectrum of " + channels + " channels at offset " + offset + " lies outside an array of " + length);
      }
      if (abundances.length < count) {
        throw new IllegalArgumentException("abundance buffer holds " + abundances.length + " values, need " + count);
      }
    }

    /** Whether {@code y[offset .. offset + B)} is finite; only needed for R = 1, where D y is empty. */
    private boolean isFinite(float[] y, int offset) {
      for (int c = 0; c < channels; c++) {
        if (!Float.isFinite(y[offset + c])) {
          return false;
        }
      }
      return true;
    }

    /**
     * Everything after D y: the fast full-set answer, else the active-set iterations. A non-finite value in y
     * reaches every entry of D y (0·NaN and 0·∞ are NaN), so for R &gt; 1 {@code finite} is tested there.
     */
    private int solveFromProjection(boolean finite, double[] out) {
      final int n = count;
      for (int p = 0; p < n - 1; p++) {
        finite &= Double.isFinite(projection[p]);
      }
      if (!finite) {
        for (int i = 0; i < n; i++) {
          out[i] = Double.NaN;
        }
        return 0;
      }
      if (n == 1) {
        out[0] = 1.0;
        return 1;
      }
      final int dim = n - 1;
      final double[] q = fcls.fullSolution;
      boolean inside = true;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double s = fcls.fullOffset[i];
        for (int p = 0; p < dim; p++) {
          s += q[i * dim + p] * projection[p];
        }
        x[i] = s;
        sum += s;
        inside &= s >= 0;
      }
      if (inside) {
        normalise(x, sum, out);
        return 1;
      }
      // Centred b = C ỹ = Z (D y − D m̄): the full basis Z spans every C column, as they sum to zero.
      final double[] z = fcls.zeroSumBases[n];
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int p = 0; p < dim; p++) {
          s += z[i * dim + p] * (projection[p] - fcls.zeroSumOfMean[p]);
        }
        b[i] = s;
      }
      int iterations = activeSet();
      double total = 0;
      for (int i = 0; i < n; i++) {
        total += a[i];
      }
      normalise(a, total, out);
      return iterations;
    }

    /**
     * out = v / sum. Σv = 1 holds only up to rounding amplified by the shared background of the spectra (about
     * 1e-12 for nearly collinear EELS endmembers), and dividing restores it to the last bits without ever making
     * an entry negative.
     */
    private void normalise(double[] v, double sum, double[] out) {
      double scale = 1.0 / sum;
      for (int i = 0; i < count; i++) {
        out[i] = v[i] * scale;
      }
    }

    /**
     * Primal active-set iterations from a = 1/R with every endmember free; {@code x} already holds the first
     * equality-constrained solution. Leaves the answer in {@code a}.
     */
    private int activeSet() {
      final int n = count;
      double maxAbsB = 0;
      for (int i = 0; i < n; i++) {
        a[i] = 1.0 / n;
        free[i] = true;
        maxAbsB = Math.max(maxAbsB, Math.abs(b[i]));
      }
      final double tolerance = RELATIVE_MULTIPLIER_TOLERANCE * (fcls.maxGramDiagonal + maxAbsB);
      int freeCount = n;
      int iterations = 1;
      while (true) {
        // Longest step from a towards x that keeps a ≥ 0; the first bound met blocks it.
        double step = 1.0;
        int blocking = -1;
        for (int i = 0; i < n; i++) {
          if (free[i] && x[i] < 0) {
            double ratio = a[i] / (a[i] - x[i]);
            if (ratio < step) {
              step = ratio;
              blocking = i;
            }
          }
        }
        if (blocking >= 0) {
          for (int i = 0; i < n; i++) {
            if (free[i]) {
              double v = a[i] + step * (x[i] - a[i]);
              a[i] = v > 0 ? v : 0.0;
            }
          }
          a[blocking] = 0.0;
          free[blocking] = false;
          freeCount--;
        } else {
          for (int i = 0; i < n; i++) {
            if (free[i]) {
              a[i] = x[i];
            }
          }
          int release = mostNegativeMultiplier(tolerance);
          if (release < 0) {
            return iterations;
          }
          free[release] = true;
          freeCount++;
        }
        if (iterations >= fcls.maxIterations) {
          return iterations;
        }
        solveOnFreeSet(freeCount);
        iterations++;
      }
    }

    /**
     * Index of the bound in the working set whose multiplier {@code λ_i = (Ga − b)_i − ν} is most negative and
     * below {@code −tolerance}, or −1 when a is optimal. ν is the mean of {@code (Ga − b)} over the free set
     * (where stationarity makes the entries equal).
     */
    private int mostNegativeMultiplier(double tolerance) {
      final int n = count;
      double nu = 0;
      int freeCount = 0;
      for (int i = 0; i < n; i++) {
        double g = -b[i];
        int row = i * n;
        for (int j = 0; j < n; j++) {
          g += gram[row + j] * a[j];
        }
        gradient[i] = g;
        if (free[i]) {
          nu += g;
          freeCount++;
        }
      }
      nu /= freeCount;
      int worst = -1;
      double worstValue = -tolerance;
      for (int i = 0; i < n; i++) {
        if (!free[i]) {
          double lambda = gradient[i] - nu;
          if (lambda < worstValue) {
            worstValue = lambda;
            worst = i;
          }
        }
      }
      return worst;
    }

    /**
     * x = argmin ½xᵀGx − bᵀx with Σx = 1 and the bounds outside the free set held at 0, by the null-space
     * method: x_F = 1/k + Z t with (ZᵀG_FF Z) t = Zᵀ(b_F − G_FF 1/k).
     */
    private void solveOnFreeSet(int k) {
      final int n = count;
      int f = 0;
      for (int i = 0; i < n; i++) {
        x[i] = 0.0;
        if (free[i]) {
          freeIndex[f++] = i;
        }
      }
      if (k == 1) {
        x[freeIndex[0]] = 1.0;
        return;
      }
      final int dim = k - 1;
      final double[] z = fcls.zeroSumBases[k];
      // gz = G_FF Z, then H = Zᵀ gz.
      for (int i = 0; i < k; i++) {
        int row = freeIndex[i] * n;
        for (int p = 0; p < dim; p++) {
          double s = 0;
          for (int j = 0; j < k; j++) {
            s += gram[row + freeIndex[j]] * z[j * dim + p];
          }
          gz[i * dim + p] = s;
        }
      }
      for (int p = 0; p < dim; p++) {
        for (int q = 0; q <= p; q++) {
          double s = 0;
          for (int i = 0; i < k; i++) {
            s += z[i * dim + p] * gz[i * dim + q];
          }
          h[p * dim + q] = s;
          h[q * dim + p] = s;
        }
      }
      // Right-hand side Zᵀ(b_F − G_FF 1/k).
      double a0 = 1.0 / k;
      for (int p = 0; p < dim; p++) {
        t[p] = 0.0;
      }
      for (int i = 0; i < k; i++) {
        int row = freeIndex[i] * n;
        double gRowSum = 0;
        for (int j = 0; j < k; j++) {
          gRowSum += gram[row + freeIndex[j]];
        }
        double residual = b[freeIndex[i]] - a0 * gRowSum;
        for (int p = 0; p < dim; p++) {
          t[p] += z[i * dim + p] * residual;
        }
      }
      int rank = PivotedCholesky.factor(h, dim, fcls.zeroPivot, order);
      PivotedCholesky.solve(h, dim, rank, order, t, work);
      for (int i = 0; i < k; i++) {
        double s = a0;
        for (int p = 0; p < dim; p++) {
          s += z[i * dim + p] * t[p];
        }
        x[freeIndex[i]] = s;
      }
    }
  }
}
