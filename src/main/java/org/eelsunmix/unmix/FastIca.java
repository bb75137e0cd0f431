package org.eelsunmix.unmix;

import java.io.Serializable;
import java.util.Random;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.linalg.SymmetricEigen;

/**
 * Independent component analysis by FastICA (Hyvärinen, IEEE TNN 10(3):626–634, 1999) as scikit-learn's
 * {@code FastICA} runs it with its defaults, which is what HyperSpy's {@code blind_source_separation()} calls:
 *
 * <ol>
 *   <li>PCA whitening to n components from the covariance ({@link IcaWhitening}): {@code z = Λ^{-1/2} Eᵀ (y − m)};</li>
 *   <li>a start {@code W₀} of standard Gaussian draws (seeded; {@code java.util.Random}, so not numerically
 *   scikit-learn's draws), symmetrically decorrelated;</li>
 *   <li>the symmetric ("parallel") fixed-point iteration with the logcosh contrast, α = 1:
 *   <pre>  W ← E[g(W z) zᵀ] − diag(E[g'(W z)]) W,   W ← (W Wᵀ)^{-1/2} W</pre>
 *   with g = tanh, until {@code max_i |1 − |(W_new W_oldᵀ)_ii|| < tol} (1e-4) or 200 iterations.</li>
 * </ol>
 *
 * The expectations are means over pixels of {@link IcaStatistics}, which merge across partitions: the distributed
 * fit runs {@link #iterate} with a pass that aggregates them over cached whitened pixels, the in-memory fit
 * ({@link #fit}) with a loop over an array. The decomposition, its sign convention and what its "endmembers" and
 * "abundances" are, is described in {@link IndependentComponents}.
 */
public final class FastIca {
  private FastIca() {}

  /** scikit-learn's default tolerance. */
  public static final double DEFAULT_TOL = 1e-4;
  /** scikit-learn's default iteration cap. */
  public static final int DEFAULT_MAX_ITERATIONS = 200;

  /**
   * @param components number of independent components n, ≥ 1 and ≤ the channel count
   * @param tol stopping tolerance, finite and &gt; 0
   * @param maxIterations iteration cap, ≥ 1
   * @param seed seed of the Gaussian start
   */
  public record Options(int components, double tol, int maxIterations, long seed) implements Serializable {
    /** Validates, naming the option at fault. */
    public Options {
      if (components < 1) {
        throw new BadInputException("components", "the number of components must be at least 1, got " + components);
      }
      if (!(tol > 0) || !Double.isFinite(tol)) {
        throw new BadInputException("tol", "the stopping tolerance must be a finite number > 0, got " + tol);
      }
      if (maxIterations < 1) {
        throw new BadInputException("maxIterations", "the iteration cap must be at least 1, got " + maxIterations);
      }
    }

    /** scikit-learn's defaults: tol 1e-4, 200 iterations. */
    public Options(int components, long seed) {
      this(components, DEFAULT_TOL, DEFAULT_MAX_ITERATIONS, seed);
    }
  }

  /** One pass over all pixels: the summed statistics for the unmixing matrix {@code w} (n × n, row-major). */
  @FunctionalInterface
  public interface StatisticsPass {
    IcaStatistics over(double[] w);
  }

  /** Separates one spectrum image into {@code o.components()} independent components, in memory. */
  public static IndependentComponents fit(SpectrumImage image, Options o) {
    int b = image.channels();
    int pixels = image.pixels();
    float[] data = image.data();
    if (o.components() > b) {
      throw new BadInputException("components", "asked for " + o.components() + " components but " + image.id()
          + " has only " + b + " channels");
    }
    SpectralMoments moments = new SpectralMoments(b);
    for (int p = 0; p < pixels; p++) {
      moments.add(data, p * b);
    }
    IcaWhitening whitening = IcaWhitening.fromMoments(moments, o.components());
    int n = whitening.dims();
    double[] z = new double[pixels * n];
    double[] zp = new double[n];
    for (int p = 0; p < pixels; p++) {
      whitening.whiten(data, p * b, zp);
      System.arraycopy(zp, 0, z, p * n, n);
    }
    return iterate(whitening, o, w -> {
      IcaStatistics s = new IcaStatistics(w, n);
      for (int p = 0; p < pixels; p++) {
        s.add(z, p * n);
      }
      return s;
    });
  }

  /** The fixed-point iteration from the seeded start; {@code pass} supplies the statistics of each step. */
  public static IndependentComponents iterate(IcaWhitening whitening, Options o, StatisticsPass pass) {
    Rotation r = rotate(whitening.dims(), o, pass);
    return IndependentComponents.of(whitening, r.w(), r.iterations(), r.converged());
  }

  /**
   * The orthogonal rotation W (n × n, row-major) that FastICA finds for whitened data, with the count of
   * iterations run and whether the tolerance (not the cap) stopped them.
   */
  public record Rotation(double[] w, int iterations, boolean converged) {}

  /**
   * The symmetric fixed-point iteration on n whitened dimensions from the seeded start, whatever the samples are
   * (pixels for {@link #fit}, energy channels for {@link FactorIca}); {@code pass} supplies each step's sums.
   */
  public static Rotation rotate(int n, Options o, StatisticsPass pass) {
    double[] w = start(n, o.seed());
    int iterations = 0;
    boolean converged = false;
    while (iterations < o.maxIterations() && !converged) {
      double[] next = step(w, n, pass.over(w));
      converged = change(next, w, n) < o.tol();
      w = next;
      iterations++;
    }
    return new Rotation(w, iterations, converged);
  }

  /** The decorrelated Gaussian start (scikit-learn draws {@code w_init} from N(0, 1) too). */
  static double[] start(int n, long seed) {
    Random random = new Random(seed);
    double[] w = new double[n * n];
    for (int i = 0; i < w.length; i++) {
      w[i] = random.nextGaussian();
    }
    return decorrelate(w, n);
  }

  /** One fixed-point step: {@code (W Wᵀ)^{-1/2} (S/N − diag(d/N) W)} from the sums of {@code stats}. */
  static double[] step(double[] w, int n, IcaStatistics stats) {
    double count = stats.count();
    double[] next = stats.sumGz();
    double[] d = stats.sumDerivative();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        next[i * n + j] = next[i * n + j] / count - d[i] / count * w[i * n + j];
      }
    }
    return decorrelate(next, n);
  }

  /** {@code max_i |1 − |Σ_j a_ij b_ij||}: how far the rows of two unmixing matrices are from parallel. */
  static double change(double[] a, double[] b, int n) {
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double dot = 0;
      for (int j = 0; j < n; j++) {
        dot += a[i * n + j] * b[i * n + j];
      }
      worst = Math.max(worst, Math.abs(1 - Math.abs(dot)));
    }
    return worst;
  }

  /**
   * Symmetric decorrelation {@code (W Wᵀ)^{-1/2} W} = {@code U diag(1/√s) Uᵀ W} with {@code W Wᵀ = U diag(s) Uᵀ};
   * eigenvalues are clipped at the smallest positive double, as scikit-learn does.
   */
  static double[] decorrelate(double[] w, int n) {
    double[] wwt = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += w[i * n + k] * w[j * n + k];
        }
        wwt[i * n + j] = s;
      }
    }
    SymmetricEigen eig = SymmetricEigen.leading(wwt, n, n);
    double[] root = new double[n * n]; // U diag(1/√s) Uᵀ
    for (int k = 0; k < n; k++) {
      double f = 1 / Math.sqrt(Math.max(eig.values()[k], Double.MIN_VALUE));
      double[] u = eig.vectors()[k];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          root[i * n + j] += f * u[i] * u[j];
        }
      }
    }
    double[] out = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += root[i * n + k] * w[k * n + j];
        }
        out[i * n + j] = s;
      }
    }
    return out;
  }
}
