package org.eelsunmix.unmix;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.Unmixing;

/**
 * Bayesian linear unmixing, BLU (Dobigeon, Moussaoui, Coulon, Tourneret &amp; Hero, "Joint Bayesian endmember
 * extraction and linear unmixing for hyperspectral imagery", IEEE TSP 57(11):4355–4368, 2009): a Gibbs sampler
 * for
 *
 * <pre>  y_p = M a_p + n_p,   n_p ~ N(0, σ² I_B),   a_p uniform on the simplex,
 *   m_r = U t_r + ȳ,      t_r ~ N(t_r⁰, s₀² I_K) truncated to {t : U t + ȳ ≥ 0},   p(σ²) ∝ 1/σ²,</pre>
 *
 * with U the K = R − 1 leading principal axes of the data and ȳ their mean. One sweep draws, in the authors' order:
 *
 * <ol>
 *   <li>σ² ~ IG(NB/2, ‖Y − MA‖²/2);</li>
 *   <li>every pixel's abundances ({@link SimplexGibbs}: one component ℓ, drawn per sweep and shared by all pixels,
 *       is eliminated, the others take {@value #GIBBS_PASSES} passes of truncated-normal draws);</li>
 *   <li>each endmember's coordinates t_r, one at a time, coordinate-wise from the textbook conditional
 *       {@code N(μ_r, v_r I)} truncated to the interval that keeps every channel of {@code U t_r + ȳ}
 *       non-negative, {@code v_r⁻¹ = (AAᵀ)_rr/σ² + 1/s₀²},
 *       {@code μ_r = v_r [ (Σ_p a_rp z_p − Σ_{j≠r} (AAᵀ)_rj t_j)/σ² + t_r⁰/s₀² ]}, with the other endmembers at
 *       their current values.</li>
 * </ol>
 *
 * Since every endmember lies in {@code ȳ + span U}, {@code ‖y_p − M a_p‖² = ‖y_p − ȳ − U z_p‖² + ‖z_p − T a_p‖²}
 * with {@code z_p = Uᵀ(y_p − ȳ)}: after one start pass each pixel is K numbers, and a sweep needs only
 * {@code Z Aᵀ} (K × R, the projection of {@code Y Aᵀ}) and {@code A Aᵀ} from the pixels ({@link BluStatistics}).
 * The MMSE estimates are running means of the draws after burn-in (no chain is stored), the uncertainties their
 * running second moments: per pixel and abundance a posterior standard deviation, per endmember and channel the
 * standard deviation {@code sqrt(u_bᵀ Cov(t_r) u_b)}.
 *
 * <p>Start: endmembers from our VCA with restarts ({@link VcaRestarts}: {@link Vca#DEFAULT_RESTARTS} searches
 * sharing the passes, the set with the lowest mean FCLS residual on the counts kept, as VCA-FCLS does; the
 * authors draw a randomised N-FINDR), projected on the subspace (and pulled towards ȳ just enough to be non-negative; they are also the
 * prior means t⁰), abundances {@code |pinv(M₀) y|} renormalised, as in the authors' code. Defaults are theirs: 100
 * sweeps, ⌊100/3⌋ = 33 burn-in, prior variance s₀² = 10.
 *
 * <p>Where the authors' MATLAB is not the model of the paper, this follows the paper:
 * <ul>
 *   <li>their MMSE averages one empty (all-zero) sample with the drawn ones (abundances come out about 1.5 % too
 *       small); here only drawn samples are averaged;</li>
 *   <li>their endmember conditional uses the other endmembers' prior means; here their current values (the
 *       textbook Gibbs conditional);</li>
 *   <li>they invert the same K × K abundance precision once per pixel; here it is built once per sweep and used in
 *       information form ({@link SimplexGibbs}), no inverse at all;</li>
 *   <li>their prior variance 10 is in the units of the data, tight against EELS counts (10³–10⁵ per channel): the
 *       data are divided by the norm of their mean spectrum, s, before the chain, and the outputs multiplied back
 *       (endmembers and their bands by s, σ² by s²; the log-likelihood is that of the counts).</li>
 * </ul>
 *
 * <p>Measured (64 × 64 built-in cubes at dose 1e5, 2 replicates, {@code evaluate --set co-ru-pt,k-edges
 * --replicates 2 --method vca-fcls,blu}): mean SAD co-ru-pt 0.0113 / 0.0127 (VCA-FCLS 0.0084 / 0.0083), k-edges
 * 0.0175 / 0.0183 (0.0089 / 0.0085). The posterior mean trails VCA-FCLS on these cubes, and more so with more
 * sweeps (co-ru-pt, one replicate: 0.0071 after 2 sweeps, 0.0112 after 100, 0.0139 after 300, σ² flat from sweep
 * 10), because the chain moves away from the VCA start: the simplex widens (Σ_r ‖m_r − c‖ over the truth's, c its
 * centroid: 1.03 after 2 sweeps, 1.08 after 100, 1.10 after 300). This is the posterior of the model, not a fault
 * of the sampler, and it is the abundance prior that the built-in cubes do not meet:
 * <ul>
 *   <li>every conditional matches a brute-force reference (BluConditionalsTest, SimplexGibbsTest), and on data drawn
 *       from the model itself (built-in endmembers, abundances uniform on the simplex, Gaussian noise of the Poisson
 *       cube's mean variance) the posterior mean converges to the truth and beats VCA-FCLS (co-ru-pt: SAD 0.0040
 *       after 2 sweeps, 0.0031 after 100, 0.0028 after 300, VCA-FCLS 0.0044; k-edges with Poisson noise 0.026,
 *       0.014, 0.011 against 0.028; BluModelDataTest);</li>
 *   <li>the same endmembers and Gaussian noise with the cube's chequerboard abundances drift as the built-in cube
 *       does (SAD 0.0058, 0.0101, 0.0130; width 1.03, 1.07, 1.09): not the Poisson noise, not the subspace estimated
 *       from noisy data (the uniform case estimates it the same way), not the scaling. Weighting each channel by
 *       1/√(mean count), which makes Poisson noise about homoscedastic, does not help either (0.0065, 0.0120, 0.0134
 *       on the built-in cube), so the chain runs on the scaled counts as the issue asks;</li>
 *   <li>the filtered chequerboard piles pixels at the vertices and along the edges; noise scatters each pile across
 *       the simplex's faces, where the uniform prior has no mass, so the posterior widens the simplex by a few noise
 *       standard deviations (in the subspace) until the piles lie inside: an O(σ) bias (width − 1 after 100 sweeps
 *       0.069 at the cube's σ, 0.008 at σ/10; SAD twice VCA-FCLS's at every dose: 0.0042 against 0.0022 on
 *       co-ru-pt at 1e6), which the chain approaches slowly from the VCA start (width 1.07, 1.08, 1.10, 1.11 after
 *       100, 300, 1000, 3000 sweeps at σ: the drift levels off, it does not run away).</li>
 * </ul>
 * No change the issue allows (scaling, a per-channel weighting, another subspace) removes a bias of the prior, so
 * the model and the authors' schedule stay; a prior that puts mass on the faces (e.g. a Dirichlet with
 * concentration below 1) would be a different model. The posterior standard deviations shrink with dose at the
 * authors' schedule (co-ru-pt 64 × 64, mean abundance std 0.059, 0.040, 0.016, 0.0055 at doses 1e3 … 1e6).
 * Seconds for 100 sweeps (bench --blu, load 10 from other builds on the 2-core machine): co-ru-pt 2.8 in memory,
 * 5.3 on Spark; k-edges 5.5 and 7.4.
 *
 * <p>Reproducibility: each pixel's draws come from a stream keyed by (seed, chain, sweep, pixel address), the
 * driver's by (seed, chain, sweep, purpose), and every sum is a {@link FixedPointSum}, including the moments VCA and
 * PCA start from. The chain is therefore bit-identical however the pixels are split ({@link BluPixels}): in memory
 * here, or over any number of Spark partitions. With {@code chains} &gt; 1 the chains start from the same point with
 * their own streams; the estimates pool their kept draws, and a split-R̂ (Gelman et al., <i>Bayesian Data
 * Analysis</i>, 3rd ed., §11.4) of σ² and of the log-likelihood says whether they agree.
 */
public final class Blu {
  /** The authors' number of sweeps. */
  public static final int DEFAULT_SWEEPS = 100;
  /** The authors' burn-in, ⌊sweeps/3⌋ of their default. */
  public static final int DEFAULT_BURN_IN = DEFAULT_SWEEPS / 3;
  /** Prior variance s₀² of the endmembers' subspace coordinates (of the scaled data). */
  public static final double PRIOR_VARIANCE = 10;
  /** Gibbs passes over the free abundances per sweep. */
  public static final int GIBBS_PASSES = 5;
  /** Half-width of an endmember's band in posterior standard deviations (≈ 95 % under a normal approximation). */
  public static final double BAND_SDS = 2;
  /** The smallest σ² drawn (noise-free data would otherwise give 0). */
  static final double MIN_NOISE_VARIANCE = 1e-150;
  private static final long NOISE_STREAM = -1;
  private static final long ELIMINATED_STREAM = -2;
  private static final long ENDMEMBER_STREAM = -3;

  private Blu() {}

  /**
   * @param endmembers R ≥ 2
   * @param seed seed of VCA and of every random stream
   * @param sweeps Gibbs sweeps per chain, &gt; burnIn
   * @param burnIn sweeps discarded at the start of each chain, ≥ 0
   * @param chains independent chains from the same start, ≥ 1
   * @param vcaRestarts VCA searches of the start (seeds seed, seed + 1, …), the lowest FCLS residual kept, ≥ 1
   */
  public record Options(int endmembers, long seed, int sweeps, int burnIn, int chains, int vcaRestarts) {
    public Options {
      if (endmembers < 2) {
        throw new BadInputException("numEndmembers", "BLU needs at least 2 endmembers, got " + endmembers);
      }
      if (sweeps < 1) {
        throw new BadInputException("sweeps", "needs at least 1 sweep, got " + sweeps);
      }
      if (burnIn < 0 || burnIn >= sweeps) {
        throw new BadInputException("burnIn", "the burn-in must be at least 0 and fewer than the " + sweeps
            + " sweeps, got " + burnIn);
      }
      if (chains < 1) {
        throw new BadInputException("chains", "needs at least 1 chain, got " + chains);
      }
      if (vcaRestarts < 1) {
        throw new BadInputException("vcaRestarts", "VCA needs at least 1 restart, got " + vcaRestarts);
      }
    }

    /** {@value Vca#DEFAULT_RESTARTS} VCA restarts for the start. */
    public Options(int endmembers, long seed, int sweeps, int burnIn, int chains) {
      this(endmembers, seed, sweeps, burnIn, chains, Vca.DEFAULT_RESTARTS);
    }

    /** These options with {@code k} VCA restarts ({@code 1}: the single VCA search of earlier versions). */
    public Options withVcaRestarts(int k) {
      return new Options(endmembers, seed, sweeps, burnIn, chains, k);
    }

    /** The authors' schedule: 100 sweeps, 33 burn-in, one chain. */
    public Options(int endmembers, long seed) {
      this(endmembers, seed, DEFAULT_SWEEPS, DEFAULT_BURN_IN, 1);
    }

    /** Refuses R ≥ B (the subspace would not be smaller than the data), naming {@code numEndmembers}. */
    public void requireChannels(int channels) {
      if (endmembers >= channels) {
        throw new BadInputException("numEndmembers", "BLU needs fewer endmembers than channels: " + endmembers
            + " endmembers for " + channels + " channels");
      }
    }
  }

  /**
   * What the chain leaves on the driver, in counts.
   *
   * @param endmembers posterior mean spectra, R × B
   * @param endmemberStd posterior standard deviation per endmember and channel, R × B
   * @param noiseVariance posterior mean of σ² (counts²)
   * @param noiseTrace σ² drawn in each sweep, chains × sweeps
   * @param logLikelihood {@code log p(Y | M, A, σ²)} after each sweep, chains × sweeps
   * @param rHatNoise split-R̂ of the kept σ² draws (NaN when fewer than 4 per chain are kept)
   * @param rHatLogLikelihood split-R̂ of the kept log-likelihoods
   * @param scale s, the norm of the mean spectrum the data were divided by
   */
  public record Outcome(double[][] endmembers, double[][] endmemberStd, double noiseVariance, double[][] noiseTrace,
      double[][] logLikelihood, double rHatNoise, double rHatLogLikelihood, double scale) {}

  /**
   * An in-memory fit.
   *
   * @param endmembers posterior mean spectra
   * @param endmemberStd their posterior standard deviations per channel
   * @param abundances posterior mean abundances
   * @param abundanceStd their posterior standard deviations
   */
  public record Result(Endmembers endmembers, Endmembers endmemberStd, Abundances abundances,
      Abundances abundanceStd, Outcome outcome) {
    public Unmixing unmixing() {
      return new Unmixing(endmembers, abundances);
    }
  }

  /** Fits one spectrum image in memory. */
  public static Result fit(SpectrumImage image, Options o) {
    InMemory pixels = new InMemory(BluSpectraBlock.of(image), image.channels());
    Outcome out = run(pixels, o);
    BluChainBlock chain = pixels.chain;
    int h = image.height();
    int w = image.width();
    int r = o.endmembers();
    return new Result(new Endmembers(out.endmembers(), null, image.axis()),
        new Endmembers(out.endmemberStd(), null, image.axis()), new Abundances(h, w, r, chain.mean()),
        new Abundances(h, w, r, chain.std()), out);
  }

  /** Runs the start and every chain over {@code pixels}. */
  public static Outcome run(BluPixels pixels, Options o) {
    int r = o.endmembers();
    int k = r - 1;
    int b = pixels.channels();
    o.requireChannels(b);
    long n = pixels.count();
    if (n < r) {
      throw new BadInputException("input", "has " + n + " pixels, fewer than the " + r + " endmembers");
    }
    double maxCount = pixels.maxCount();
    SpectralMoments moments = pixels.moments(maxCount).moments(n);
    double[] mean = moments.mean();
    double scale = Math.sqrt(dot(mean, mean));
    if (!(scale > 0)) {
      throw new BadInputException("input", "every spectrum is zero: nothing to unmix");
    }
    double[][] vca = vca(pixels, moments, r, o.seed(), o.vcaRestarts());
    double[] basis = new double[k * b];
    double[][] axes = Pca.fromMoments(moments, k, k, true).components();
    for (int j = 0; j < k; j++) {
      System.arraycopy(axes[j], 0, basis, j * b, b);
    }
    double[] ybar = new double[b];
    for (int c = 0; c < b; c++) {
      ybar[c] = mean[c] / scale;
    }
    double[][] prior = new double[r][];
    double[][] startSpectra = new double[r][];
    for (int e = 0; e < r; e++) {
      double[] m = new double[b];
      for (int c = 0; c < b; c++) {
        m[c] = vca[e][c] / scale;
      }
      prior[e] = feasible(coordinates(basis, ybar, m), basis, ybar);
      startSpectra[e] = spectrum(basis, ybar, prior[e]);
    }
    double dataBound = maxCount / scale; // bounds |y'_c − ȳ'_c|: both lie in [0, maxCount / s]
    BluStep.Start start = new BluStep.Start(basis, ybar, scale, pseudoInverse(startSpectra), r,
        Math.sqrt(b) * dataBound, b * dataBound * dataBound, n);
    BluStatistics first = pixels.start(start);
    double outside = first.outside();
    double inside = first.inside();
    double values = (double) n * b;

    double[][] noiseTrace = new double[o.chains()][o.sweeps()];
    double[][] logLikelihood = new double[o.chains()][o.sweeps()];
    double[][] tSum = new double[r][k];
    double[][] tSquares = new double[r][k * k];
    double noiseSum = 0;
    long kept = 0;
    KeyedRandom rng = new KeyedRandom(0);
    for (int chain = 0; chain < o.chains(); chain++) {
      double[][] t = copy(prior);
      BluStatistics stats = first;
      double residual = residual(outside, inside, t, stats);
      for (int sweep = 1; sweep <= o.sweeps(); sweep++) {
        double sigma2 = drawNoiseVariance(residual, values,
            rng.reset(KeyedRandom.key(o.seed(), chain, sweep, NOISE_STREAM)));
        int eliminated = new KeyedRandom(KeyedRandom.key(o.seed(), chain, sweep, ELIMINATED_STREAM)).nextInt(r);
        boolean keep = sweep > o.burnIn();
        stats = pixels.sweep(new BluStep.Sweep(new SimplexGibbs(t, sigma2, eliminated), o.seed(), chain, sweep,
            sweep == 1, keep, start.zBound(), start.normBound(), n));
        rng.reset(KeyedRandom.key(o.seed(), chain, sweep, ENDMEMBER_STREAM));
        drawEndmembers(t, prior, stats, sigma2, basis, ybar, rng);
        residual = residual(outside, inside, t, stats);
        noiseTrace[chain][sweep - 1] = sigma2 * scale * scale;
        logLikelihood[chain][sweep - 1] = -0.5 * values * Math.log(2 * Math.PI * sigma2 * scale * scale)
            - 0.5 * residual / sigma2;
        if (keep) {
          kept++;
          noiseSum += sigma2;
          for (int e = 0; e < r; e++) {
            for (int i = 0; i < k; i++) {
              tSum[e][i] += t[e][i];
              for (int j = 0; j < k; j++) {
                tSquares[e][i * k + j] += t[e][i] * t[e][j];
              }
            }
          }
        }
      }
    }
    double[][] spectra = new double[r][];
    double[][] std = new double[r][b];
    for (int e = 0; e < r; e++) {
      double[] tm = new double[k];
      for (int i = 0; i < k; i++) {
        tm[i] = tSum[e][i] / kept;
      }
      spectra[e] = spectrum(basis, ybar, tm);
      for (int c = 0; c < b; c++) {
        spectra[e][c] *= scale;
        double v = 0;
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) {
            v += basis[i * b + c] * basis[j * b + c] * (tSquares[e][i * k + j] / kept - tm[i] * tm[j]);
          }
        }
        std[e][c] = Math.sqrt(Math.max(0, v)) * scale;
      }
    }
    return new Outcome(spectra, std, noiseSum / kept * scale * scale, noiseTrace, logLikelihood,
        splitRhat(noiseTrace, o.burnIn()), splitRhat(logLikelihood, o.burnIn()), scale);
  }

  /**
   * VCA's endmembers (counts, R × B) from the given moments: {@code restarts} searches over {@code pixels}, the set
   * with the lowest mean FCLS residual on the counts kept ({@link VcaRestarts}, as VCA-FCLS does).
   */
  private static double[][] vca(BluPixels pixels, SpectralMoments moments, int r, long seed, int restarts) {
    VcaProjection projection = VcaProjection.fromMoments(moments, r, Double.NaN);
    double lift = projection.projective() ? Math.sqrt(pixels.maxNormSquared(projection)) : 0;
    VcaRestarts search = new VcaRestarts(projection, lift, seed, restarts);
    return search.endmembers(VcaRestarts.kept(search.search(pixels)));
  }

  /**
   * The noise step: σ² ~ IG(shape NB/2, scale ‖Y − MA‖²/2), the conditional under the flat prior on log σ²
   * ({@code p(σ²) ∝ 1/σ²}), drawn as {@code (‖Y − MA‖²/2) / Gamma(NB/2, 1)}; at least {@link #MIN_NOISE_VARIANCE}.
   *
   * @param residual ‖Y − MA‖² of the scaled data
   * @param values N·B, the number of data values
   */
  static double drawNoiseVariance(double residual, double values, KeyedRandom rng) {
    return Math.max(MIN_NOISE_VARIANCE, 0.5 * residual / rng.nextGamma(values / 2));
  }

  /**
   * The endmember step: each t_r in turn, coordinate by coordinate, from its truncated conditional (see the class
   * comment). A coordinate whose interval is empty (only possible through rounding at a boundary) keeps its value.
   */
  static void drawEndmembers(double[][] t, double[][] prior, BluStatistics stats, double sigma2, double[] basis,
      double[] ybar, KeyedRandom rng) {
    int r = t.length;
    int k = r - 1;
    int b = ybar.length;
    for (int e = 0; e < r; e++) {
      double precision = stats.aa(e, e) / sigma2 + 1 / PRIOR_VARIANCE;
      double sd = 1 / Math.sqrt(precision);
      double[] mu = new double[k];
      for (int i = 0; i < k; i++) {
        double s = stats.za(i, e);
        for (int j = 0; j < r; j++) {
          if (j != e) {
            s -= stats.aa(e, j) * t[j][i];
          }
        }
        mu[i] = (s / sigma2 + prior[e][i] / PRIOR_VARIANCE) / precision;
      }
      double[] m = spectrum(basis, ybar, t[e]);
      for (int i = 0; i < k; i++) {
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        double ti = t[e][i];
        for (int c = 0; c < b; c++) {
          double u = basis[i * b + c];
          double rest = m[c] - u * ti; // channel c without coordinate i: u t_i + rest >= 0
          if (u > 0) {
            lo = Math.max(lo, -rest / u);
          } else if (u < 0) {
            hi = Math.min(hi, -rest / u);
          }
        }
        if (!(lo <= hi)) {
          continue;
        }
        double next = TruncatedNormal.sample(rng, mu[i], sd, lo, hi);
        for (int c = 0; c < b; c++) {
          m[c] += basis[i * b + c] * (next - ti);
        }
        t[e][i] = next;
      }
    }
  }

  /** {@code ‖Y − M A‖²} of the scaled data from the start's norms and a sweep's sums. */
  static double residual(double outside, double inside, double[][] t, BluStatistics stats) {
    int r = t.length;
    int k = r - 1;
    double cross = 0;
    double quadratic = 0;
    for (int e = 0; e < r; e++) {
      for (int i = 0; i < k; i++) {
        cross += t[e][i] * stats.za(i, e);
      }
      for (int j = 0; j < r; j++) {
        quadratic += stats.aa(e, j) * dot(t[e], t[j]);
      }
    }
    return Math.max(0, outside + inside - 2 * cross + quadratic);
  }

  /**
   * Split-R̂ of several chains' draws after {@code burnIn}: each chain's kept draws cut in two halves of n, then
   * {@code sqrt(((n − 1)/n W + B/n) / W)} with W the mean within-half variance and B/n the variance of the half
   * means. NaN with fewer than 2 draws per half or no variation.
   */
  public static double splitRhat(double[][] chains, int burnIn) {
    int n = (chains[0].length - burnIn) / 2;
    if (n < 2) {
      return Double.NaN;
    }
    int m = 2 * chains.length;
    double[] means = new double[m];
    double within = 0;
    for (int c = 0; c < chains.length; c++) {
      for (int half = 0; half < 2; half++) {
        int from = chains[c].length - 2 * n + half * n; // drop one draw from the front when odd
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += chains[c][from + i];
        }
        double mu = s / n;
        double v = 0;
        for (int i = 0; i < n; i++) {
          double d = chains[c][from + i] - mu;
          v += d * d;
        }
        means[2 * c + half] = mu;
        within += v / (n - 1);
      }
    }
    within /= m;
    double grand = 0;
    for (double mu : means) {
      grand += mu;
    }
    grand /= m;
    double between = 0;
    for (double mu : means) {
      between += (mu - grand) * (mu - grand);
    }
    between = between / (m - 1); // B/n
    if (!(within > 0)) {
      return Double.NaN;
    }
    return Math.sqrt(((n - 1.0) / n * within + between) / within);
  }

  /** The posterior standard deviation from a running sum, sum of squares and count. */
  static double std(double sum, double sumSquares, long count) {
    double mean = sum / count;
    return Math.sqrt(Math.max(0, sumSquares / count - mean * mean));
  }

  /**
   * First abundances as the authors': {@code |G y|} renormalised to sum to one, G = pinv(M) (R × B); uniform when
   * that is zero or not finite.
   */
  static void initialAbundances(double[] pseudoInverse, int r, double[] y, int yOffset, double[] a, int aOffset) {
    int b = pseudoInverse.length / r;
    double total = 0;
    for (int e = 0; e < r; e++) {
      double s = 0;
      for (int c = 0; c < b; c++) {
        s += pseudoInverse[e * b + c] * y[yOffset + c];
      }
      a[aOffset + e] = Math.abs(s);
      total += a[aOffset + e];
    }
    for (int e = 0; e < r; e++) {
      a[aOffset + e] = total > 0 && Double.isFinite(total) ? a[aOffset + e] / total : 1.0 / r;
    }
  }

  /**
   * {@code pinv(M) = (M Mᵀ)⁻¹ M} of R spectra (rows), R × B row-major; a ridge of 1e-12 of the mean diagonal keeps
   * it defined for coincident spectra.
   */
  static double[] pseudoInverse(double[][] m) {
    int r = m.length;
    int b = m[0].length;
    double[] g = new double[r * (r + b)]; // [M Mᵀ | M], reduced to [I | pinv]
    double trace = 0;
    for (int i = 0; i < r; i++) {
      trace += dot(m[i], m[i]);
    }
    int w = r + b;
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < r; j++) {
        g[i * w + j] = dot(m[i], m[j]) + (i == j ? 1e-12 * trace / r : 0);
      }
      System.arraycopy(m[i], 0, g, i * w + r, b);
    }
    for (int col = 0; col < r; col++) {
      int pivot = col;
      for (int i = col + 1; i < r; i++) {
        if (Math.abs(g[i * w + col]) > Math.abs(g[pivot * w + col])) {
          pivot = i;
        }
      }
      for (int j = 0; j < w; j++) {
        double tmp = g[col * w + j];
        g[col * w + j] = g[pivot * w + j];
        g[pivot * w + j] = tmp;
      }
      double p = g[col * w + col];
      for (int j = 0; j < w; j++) {
        g[col * w + j] /= p;
      }
      for (int i = 0; i < r; i++) {
        double f = g[i * w + col];
        if (i != col && f != 0) {
          for (int j = 0; j < w; j++) {
            g[i * w + j] -= f * g[col * w + j];
          }
        }
      }
    }
    double[] out = new double[r * b];
    for (int i = 0; i < r; i++) {
      System.arraycopy(g, i * w + r, out, i * b, b);
    }
    return out;
  }

  /** {@code Uᵀ(m − ȳ)}. */
  private static double[] coordinates(double[] basis, double[] ybar, double[] m) {
    int b = ybar.length;
    int k = basis.length / b;
    double[] t = new double[k];
    for (int i = 0; i < k; i++) {
      for (int c = 0; c < b; c++) {
        t[i] += basis[i * b + c] * (m[c] - ybar[c]);
      }
    }
    return t;
  }

  /** {@code U t + ȳ}. */
  static double[] spectrum(double[] basis, double[] ybar, double[] t) {
    int b = ybar.length;
    double[] m = ybar.clone();
    for (int i = 0; i < t.length; i++) {
      for (int c = 0; c < b; c++) {
        m[c] += basis[i * b + c] * t[i];
      }
    }
    return m;
  }

  /**
   * {@code λ t} with the largest λ ≤ 1 for which {@code U λt + ȳ ≥ 0}: a projected VCA spectrum may dip below zero,
   * and the endmember prior is truncated there; ȳ (λ = 0) is always feasible.
   */
  private static double[] feasible(double[] t, double[] basis, double[] ybar) {
    double[] step = spectrum(basis, ybar, t);
    double lambda = 1;
    for (int c = 0; c < ybar.length; c++) {
      double direction = step[c] - ybar[c];
      if (step[c] < 0 && direction < 0) {
        lambda = Math.min(lambda, ybar[c] / -direction);
      }
    }
    double[] out = t.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= lambda;
    }
    return out;
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** The pixels of one image in one block: the in-memory {@link BluPixels}. */
  static final class InMemory implements BluPixels {
    private final BluSpectraBlock spectra;
    private final int channels;
    BluChainBlock chain;

    InMemory(BluSpectraBlock spectra, int channels) {
      this.spectra = spectra;
      this.channels = channels;
    }

    @Override
    public int channels() {
      return channels;
    }

    @Override
    public long count() {
      return spectra.count();
    }

    @Override
    public double maxCount() {
      return spectra.maxCount();
    }

    @Override
    public MomentSums moments(double maxCount) {
      return spectra.addMoments(new MomentSums(channels, maxCount, count()));
    }

    @Override
    public double maxNormSquared(VcaProjection projection) {
      return spectra.maxNormSquared(projection);
    }

    @Override
    public VcaCandidate[] candidates(VcaProjection projection, double[][] directions, double lift) {
      return spectra.candidates(projection, directions, lift);
    }

    @Override
    public FclsResiduals residuals(Fcls[] sets) {
      return spectra.residuals(sets);
    }

    @Override
    public BluStatistics start(BluStep.Start start) {
      chain = spectra.start(start);
      return chain.statistics();
    }

    @Override
    public BluStatistics sweep(BluStep.Sweep sweep) {
      chain = chain.sweep(sweep);
      return chain.statistics();
    }
  }

  /**
   * The moments' sums, order-independent: {@code Σ y} (B, terms bounded by the largest count) and the packed upper
   * triangle of {@code Σ y yᵀ} (B(B+1)/2, bounded by its square); separate quanta, so the channel sums keep their
   * precision whatever the counts' magnitude.
   */
  public record MomentSums(FixedPointSum sum, FixedPointSum scatter) implements java.io.Serializable {
    public MomentSums(int channels, double maxCount, long pixels) {
      this(new FixedPointSum(channels, maxCount, pixels),
          new FixedPointSum(channels * (channels + 1) / 2, maxCount * maxCount, pixels));
    }

    /** Adds the spectrum {@code y[offset .. offset + B)}, using {@code work} (B values). */
    public void add(float[] y, int offset, double[] work) {
      int b = sum.size();
      double scale = scatter.scale();
      for (int c = 0; c < b; c++) {
        work[c] = y[offset + c];
        sum.add(c, work[c]);
      }
      int index = 0;
      for (int i = 0; i < b; i++) {
        double yi = work[i] * scale; // a power of two: exact, and y_i y_j of two floats is exact in a double
        for (int j = i; j < b; j++) {
          scatter.addScaled(index++, yi * work[j]);
        }
      }
    }

    public MomentSums merge(MomentSums other) {
      sum.merge(other.sum);
      scatter.merge(other.scatter);
      return this;
    }

    /** The moments of {@code count} spectra. */
    public SpectralMoments moments(long count) {
      double[] s = new double[sum.size()];
      double[] upper = new double[scatter.size()];
      for (int c = 0; c < s.length; c++) {
        s[c] = sum.get(c);
      }
      for (int i = 0; i < upper.length; i++) {
        upper[i] = scatter.get(i);
      }
      return SpectralMoments.of(count, s, upper);
    }
  }
}
