package org.eelsunmix.unmix;

import java.io.Serializable;
import java.util.Locale;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.linalg.SymmetricEigen;

/**
 * Starting point (W₀, H₀) of NMF, as scikit-learn's {@code _initialize_nmf} makes it.
 *
 * <ul>
 *   <li>{@code nndsvd}: non-negative double SVD (Boutsidis &amp; Gallopoulos, "SVD based initialization: a head
 *       start for nonnegative matrix factorization", Pattern Recognition 41(4):1350–1362, 2008). From the leading
 *       singular triplets {@code (σ_j, u_j, v_j)} of Y: {@code W₀[:,0] = √σ₀ |u₀|}, {@code H₀[0] = √σ₀ |v₀|};
 *       for j ≥ 1 the positive parts {@code (u⁺, v⁺)} or the negative parts {@code (u⁻, v⁻)}, whichever has the
 *       larger {@code m = ‖u^±‖ ‖v^±‖} (the negative parts on a tie), give
 *       {@code W₀[:,j] = √(σ_j m) u^± / ‖u^±‖}, {@code H₀[j] = √(σ_j m) v^± / ‖v^±‖}. Entries below
 *       {@value #ZERO_THRESHOLD} become 0.</li>
 *   <li>{@code nndsvda}: the same, zeros filled with the mean count {@code mean(Y)} (scikit-learn's default when
 *       {@code R ≤ min(N, B)}).</li>
 *   <li>{@code nndsvdar}: the same, zeros filled with {@code |mean(Y) · g| / 100}, g standard normal.</li>
 *   <li>{@code random}: every entry {@code √(mean(Y)/R) · |g|}.</li>
 * </ul>
 *
 * <h2>Distributed shape</h2>
 * The singular triplets come from the eigenpairs of the B × B Gram {@code YᵀY} (aggregated as
 * {@link SpectralMoments}): {@code σ_j = √λ_j}, {@code v_j} its eigenvector, and {@code u_j = Y v_j / σ_j}, one
 * pixel at a time. Building the start is then: (1) {@link #nndsvd} from the moments; (2) a pass over the pixels
 * adding {@code ‖u^±‖²} ({@link #addPartNorms}, a sum of 2R numbers per partition); (3) {@link #withPartNorms},
 * which fixes the signs and H₀; (4) a per-pixel map {@link #abundances}. The random draws are keyed on
 * {@code (seed, pixel address, component)} by a counter-based generator (the SplitMix64 finaliser, Steele, Lea
 * &amp; Flood, OOPSLA 2014, then Box–Muller), so every partitioning gives the same start. They are not numpy's
 * draws: random starts match scikit-learn in distribution, not bit for bit.
 *
 * <p>An eigenvalue at or below {@code 1e-12 λ₀} (Y of lower rank than R; the threshold sits above the rounding
 * of the Gram) gives a zero component, which the chosen fill then replaces. The SVD's sign ambiguity does not
 * matter: flipping both u and v swaps the positive and negative parts.
 *
 * <p>Immutable and thread-safe.
 */
public final class NmfInitialisation implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Let scikit-learn choose: {@code nndsvda} when {@code R ≤ min(N, B)}, else {@code random}. */
  public static final String AUTO = "auto";
  public static final String NNDSVD = "nndsvd";
  public static final String NNDSVDA = "nndsvda";
  public static final String NNDSVDAR = "nndsvdar";
  public static final String RANDOM = "random";
  /** scikit-learn's {@code eps}: NNDSVD entries below it count as zero. */
  public static final double ZERO_THRESHOLD = 1e-6;
  /** Eigenvalues at or below this fraction of the largest give zero components. */
  static final double RELATIVE_ZERO_EIGENVALUE = 1e-12;
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long ENDMEMBER_STREAM = 0x48L;
  private static final long ABUNDANCE_STREAM = 0x57L;

  private final String method;
  private final int components;
  private final int channels;
  private final long seed;
  /** mean(Y) over all counts. */
  private final double mean;
  /** σ_j (NNDSVD family), else null. */
  private final double[] singularValues;
  /** v_j, row-major R × B (NNDSVD family), else null. */
  private final double[] rightVectors;
  /** W₀_ij = leftScale_j · part(leftSign_j · (y_i · v_j)), part = |·| for sign 0, max(·, 0) otherwise. */
  private final double[] leftScale;
  private final int[] leftSign;
  /** H₀, row-major R × B; null until the part norms are known. */
  private final double[] endmembers;

  private NmfInitialisation(String method, int components, int channels, long seed, double mean,
      double[] singularValues, double[] rightVectors, double[] leftScale, int[] leftSign, double[] endmembers) {
    this.method = method;
    this.components = components;
    this.channels = channels;
    this.seed = seed;
    this.mean = mean;
    this.singularValues = singularValues;
    this.rightVectors = rightVectors;
    this.leftScale = leftScale;
    this.leftSign = leftSign;
    this.endmembers = endmembers;
  }

  /** Whether {@code name} is one of the NNDSVD family. */
  public static boolean isNndsvd(String name) {
    return NNDSVD.equals(name) || NNDSVDA.equals(name) || NNDSVDAR.equals(name);
  }

  /**
   * The random start: {@code √(mean/R) · |g|} for every entry of H₀ and W₀.
   *
   * @param meanCount mean of all counts of Y, ≥ 0
   */
  public static NmfInitialisation random(double meanCount, int components, int channels, long seed) {
    checkShape(components, channels);
    double scale = Math.sqrt(meanCount / components);
    double[] h = new double[components * channels];
    for (int i = 0; i < h.length; i++) {
      h[i] = scale * Math.abs(gaussian(seed, ENDMEMBER_STREAM, i));
    }
    return new NmfInitialisation(RANDOM, components, channels, seed, meanCount, null, null, null, null, h);
  }

  /**
   * Step 1 of an NNDSVD-family start: the leading R singular triplets of Y from its moments.
   *
   * @param method {@code nndsvd}, {@code nndsvda} or {@code nndsvdar}
   * @param moments the moments of every pixel of Y
   */
  public static NmfInitialisation nndsvd(String method, SpectralMoments moments, int components, long seed) {
    String m = method == null ? "" : method.toLowerCase(Locale.ROOT);
    if (!isNndsvd(m)) {
      throw new IllegalArgumentException("not an NNDSVD initialisation: " + method);
    }
    int b = moments.channels();
    checkShape(components, b);
    if (components > b || components > moments.count()) {
      throw new BadInputException("init", String.format("%s needs at most min(pixels, channels) = %d "
          + "components, got %d; use the random initialisation", m, Math.min(moments.count(), b), components));
    }
    double[] gram = moments.secondMoment();
    double n = moments.count();
    double total = 0;
    for (double v : moments.mean()) {
      total += v;
    }
    for (int i = 0; i < gram.length; i++) {
      gram[i] *= n;
    }
    SymmetricEigen eig = SymmetricEigen.leading(gram, b, components);
    double[] sigma = new double[components];
    double[] v = new double[components * b];
    double top = eig.values()[0];
    for (int j = 0; j < components; j++) {
      double lambda = eig.values()[j];
      if (lambda > RELATIVE_ZERO_EIGENVALUE * top && top > 0) {
        sigma[j] = Math.sqrt(lambda);
        System.arraycopy(eig.vectors()[j], 0, v, j * b, b);
      }
    }
    return new NmfInitialisation(m, components, b, seed, total / b, sigma, v, null, null, null);
  }

  private static void checkShape(int components, int channels) {
    if (components < 1) {
      throw new BadInputException("components", "the number of endmembers must be at least 1, got " + components);
    }
    if (channels < 1) {
      throw new IllegalArgumentException("NMF needs at least one channel");
    }
  }

  /** The method: {@code nndsvd}, {@code nndsvda}, {@code nndsvdar} or {@code random}. */
  public String method() {
    return method;
  }

  /** Number of components R. */
  public int components() {
    return components;
  }

  /** Number of channels B. */
  public int channels() {
    return channels;
  }

  /** The singular values σ_j of Y found in step 1 (a copy), or null for a random start. */
  public double[] singularValues() {
    return singularValues == null ? null : singularValues.clone();
  }

  /** Whether steps 2–3 ({@link #addPartNorms}, {@link #withPartNorms}) are still to do. */
  public boolean needsPartNorms() {
    return endmembers == null;
  }

  /** Length of the accumulator of {@link #addPartNorms}: 2R. */
  public int partNormsLength() {
    return 2 * components;
  }

  /**
   * Step 2: adds the pixel's {@code u_ij = (y · v_j)/σ_j} to {@code sums[2j] += max(u, 0)²} and
   * {@code sums[2j + 1] += min(u, 0)²}. Allocates nothing.
   */
  public void addPartNorms(float[] y, int offset, double[] sums) {
    if (singularValues == null) {
      throw new IllegalStateException("a random start has no singular vectors");
    }
    for (int j = 0; j < components; j++) {
      if (singularValues[j] == 0) {
        continue;
      }
      addPartNorm(j, project(y, offset, j), sums);
    }
  }

  /**
   * {@link #addPartNorms(float[], int, double[])} of a pixel whose {@code y · v_j} are {@code d[dOffset + j]}
   * ({@link #projectBlock}).
   */
  public void addPartNorms(double[] d, int dOffset, double[] sums) {
    if (singularValues == null) {
      throw new IllegalStateException("a random start has no singular vectors");
    }
    for (int j = 0; j < components; j++) {
      if (singularValues[j] == 0) {
        continue;
      }
      addPartNorm(j, d[dOffset + j], sums);
    }
  }

  /** {@code u = (y · v_j)/σ_j} into its part's sum of squares. */
  private void addPartNorm(int j, double projection, double[] sums) {
    double u = projection / singularValues[j];
    sums[u > 0 ? 2 * j : 2 * j + 1] += u * u;
  }

  /** Whether this start needs the pixels' {@code y · v_j} (an NNDSVD start; a random one draws W₀). */
  public boolean projects() {
    return rightVectors != null;
  }

  /**
   * Every {@code y · v_j} of the {@code count} spectra from pixel {@code first} of {@code y} (row-major, B values
   * each) into {@code d[0 .. count · R)}, row-major count × R: the same bits as one dot product at a time
   * ({@link NmfProjections}).
   */
  public void projectBlock(float[] y, int first, int count, double[] d) {
    projectBlock(y, first, count, d, NmfProjections.scratch(channels));
  }

  /** {@link #projectBlock(float[], int, int, double[])} with the caller's scratch ({@link NmfProjections#scratch}). */
  void projectBlock(float[] y, int first, int count, double[] d, double[][] scratch) {
    if (rightVectors == null) {
      throw new IllegalStateException("a random start has no singular vectors");
    }
    NmfProjections.projectBlock(rightVectors, components, channels, y, first, count, d, scratch);
  }


  /** Step 3: the start once the summed {@code ‖u_j^±‖²} of every pixel are known. */
  public NmfInitialisation withPartNorms(double[] sums) {
    if (singularValues == null) {
      throw new IllegalStateException("a random start has no singular vectors");
    }
    if (sums.length != 2 * components) {
      throw new IllegalArgumentException("expected " + 2 * components + " part norms, got " + sums.length);
    }
    final int b = channels;
    double[] h = new double[components * b];
    double[] scale = new double[components];
    int[] sign = new int[components];
    for (int j = 0; j < components; j++) {
      double sigma = singularValues[j];
      if (sigma == 0) {
        continue; // a zero component: W₀ and H₀ stay 0 until filled
      }
      if (j == 0) {
        // The leading singular vectors of a non-negative matrix are non-negative (Perron–Frobenius): |u₀|, |v₀|.
        double root = Math.sqrt(sigma);
        for (int c = 0; c < b; c++) {
          h[c] = root * Math.abs(rightVectors[c]);
        }
        scale[0] = 1.0 / root; // √σ₀ · |y·v₀| / σ₀
        continue;
      }
      double vPlus = 0;
      double vMinus = 0;
      for (int c = 0; c < b; c++) {
        double x = rightVectors[j * b + c];
        if (x > 0) {
          vPlus += x * x;
        } else {
          vMinus += x * x;
        }
      }
      double uPlus = Math.sqrt(sums[2 * j]);
      double uMinus = Math.sqrt(sums[2 * j + 1]);
      vPlus = Math.sqrt(vPlus);
      vMinus = Math.sqrt(vMinus);
      double mPlus = uPlus * vPlus;
      double mMinus = uMinus * vMinus;
      int s = mPlus > mMinus ? 1 : -1;
      double m = s > 0 ? mPlus : mMinus;
      double uNorm = s > 0 ? uPlus : uMinus;
      double vNorm = s > 0 ? vPlus : vMinus;
      if (m == 0) {
        continue; // both parts vanish: a zero component (scikit-learn would divide 0 by 0 here)
      }
      double lambda = Math.sqrt(sigma * m);
      for (int c = 0; c < b; c++) {
        h[j * b + c] = lambda * Math.max(s * rightVectors[j * b + c], 0.0) / vNorm;
      }
      scale[j] = lambda / (uNorm * sigma);
      sign[j] = s;
    }
    for (int i = 0; i < h.length; i++) {
      if (h[i] < ZERO_THRESHOLD) {
        h[i] = fill(ENDMEMBER_STREAM, i);
      }
    }
    return new NmfInitialisation(method, components, channels, seed, mean, singularValues, rightVectors, scale,
        sign, h);
  }

  /** H₀, row-major R × B (a copy). */
  public double[] endmembers() {
    requireReady();
    return endmembers.clone();
  }

  /**
   * Step 4: the starting abundances {@code w[wOffset .. wOffset + R)} of the pixel with spectrum
   * {@code y[yOffset .. yOffset + B)} and random-draw key {@code pixel} ({@link #drawKey} of its address).
   * Allocates nothing.
   */
  public void abundances(float[] y, int yOffset, long pixel, double[] w, int wOffset) {
    requireReady();
    for (int j = 0; j < components; j++) {
      double d = leftScale == null || leftScale[j] == 0 ? 0 : project(y, yOffset, j);
      w[wOffset + j] = abundance(j, d, pixel);
    }
  }

  /**
   * {@link #abundances(float[], int, long, double[], int)} of a pixel whose {@code y · v_j} are
   * {@code d[dOffset + j]} ({@link #projectBlock}; ignored for a random start).
   */
  public void abundancesProjected(double[] d, int dOffset, long pixel, double[] w, int wOffset) {
    requireReady();
    for (int j = 0; j < components; j++) {
      w[wOffset + j] = abundance(j, leftScale == null || leftScale[j] == 0 ? 0 : d[dOffset + j], pixel);
    }
  }

  /** Start abundance j of the pixel with draw key {@code pixel} and {@code d = y · v_j} (0 where not needed). */
  private double abundance(int j, double d, long pixel) {
    if (leftScale == null) {
      return Math.sqrt(mean / components) * Math.abs(gaussian(seed, ABUNDANCE_STREAM, pixel * components + j));
    }
    double value = leftSign[j] == 0 ? leftScale[j] * Math.abs(d) : leftScale[j] * Math.max(leftSign[j] * d, 0.0);
    return value < ZERO_THRESHOLD ? fill(ABUNDANCE_STREAM, pixel * components + j) : value;
  }


  /**
   * The key of a pixel's random draws: a function of its address alone (acquisition, row, column), so a pixel gets
   * the same draws however the pixels are ordered or partitioned, and pixels of different acquisitions fitted
   * together get different ones. {@link String#hashCode} is specified by the Java language, so keys are stable.
   */
  public static long drawKey(String acquisition, int y, int x) {
    long address = ((long) y << 32) | (x & 0xFFFFFFFFL);
    return address + (acquisition == null ? 0 : acquisition.hashCode()) * GOLDEN_GAMMA;
  }

  private void requireReady() {
    if (endmembers == null) {
      throw new IllegalStateException("the NNDSVD start needs its part norms first (withPartNorms)");
    }
  }

  /** What an NNDSVD zero becomes: 0, the mean count, or a small random multiple of it. */
  private double fill(long stream, long index) {
    return switch (method) {
      case NNDSVDA -> mean;
      case NNDSVDAR -> Math.abs(mean * gaussian(seed, stream, index) / 100);
      default -> 0.0;
    };
  }

  /** {@code y · v_j}. */
  private double project(float[] y, int offset, int j) {
    final int b = channels;
    int base = j * b;
    double s = 0;
    for (int c = 0; c < b; c++) {
      s += rightVectors[base + c] * y[offset + c];
    }
    return s;
  }

  /** A standard normal draw keyed on (seed, stream, index): two SplitMix64 hashes through Box–Muller. */
  static double gaussian(long seed, long stream, long index) {
    long key = mix64(mix64(seed + stream * GOLDEN_GAMMA) + 2 * index * GOLDEN_GAMMA);
    double u1 = ((key >>> 11) + 1) * 0x1.0p-53; // (0, 1]: the logarithm stays finite
    double u2 = (mix64(key + GOLDEN_GAMMA) >>> 11) * 0x1.0p-53;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** The SplitMix64 finaliser (Steele, Lea &amp; Flood 2014). */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
