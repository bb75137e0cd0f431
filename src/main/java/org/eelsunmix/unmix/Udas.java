package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.Unmixing;

/**
 * uDAS, the untied denoising autoencoder with sparsity (Qu &amp; Qi, "uDAS: An Untied Denoising Autoencoder With
 * Sparsity for Spectral Unmixing", IEEE TGRS 57(3):1698–1712, 2019), in memory. With the counts normalised to
 * x = y / max(y) (uDAS assumes reflectance in [0, 1]; the outputs are scaled back):
 *
 * <ol>
 *   <li><b>Denoising</b>: 12 stacked linear marginalised denoising autoencoders ({@link Msda}; corruption
 *   p = 1e-5, ridge λ = 1) from the one (B + 1)² scatter of [x; 1]: denoised V = G X̄, and W_n the last layer's map
 *   (the denoising operator of the decoder's penalty);</li>
 *   <li><b>Initialisation</b> on the input X (not on V as in the authors' code: see {@link UdasFit} for the
 *   measured reason): VCA with restarts ({@link VcaRestarts}: {@link Vca#DEFAULT_RESTARTS} seeded searches, the set
 *   with the lowest mean FCLS residual on X kept, as VCA-FCLS does), FCLS, the noise model of that start
 *   ({@link UdasNoise}: per-channel noise variance from its residual, channel weights, abundance noise floors), then
 *   one NMF pass: an abundance step ({@link SumToOneNnls}: noise-weighted, sum-to-one row of weight δ = 20, h ≥ the
 *   floors) and a decoder step; the encoder starts at {@code W1 = H pinv(X)} on the noisy input;</li>
 *   <li><b>10 outer iterations</b> of (a) the abundance step and the decoder step, exact, on
 *   {@code F = Σ_c ω_c[½‖x_c − w_c H‖² + (γ/2)‖w_c H − t_c‖²] + (δ²/2)‖1ᵀ − 1ᵀH‖²}, γ = 1e-4, 0 ≤ W ≤ 1
 *   (X, not the denoised V as in the authors' code; H the weighted abundance estimate, not the encoder's output:
 *   see {@link UdasFit}); (b) the encoder step: proximal gradient on
 *   {@code (1/N)[½‖[X; δ1ᵀ] − [W; δ1ᵀ] H‖² + (γ/2)‖WH − W_n X̄‖²] + λ Σ_r ‖W1_r‖}, H = relu(W1 X),
 *   λ = 1e-6 √(N/1000).</li>
 * </ol>
 *
 * The endmembers are the decoder's columns (times the normalisation); the abundances of any pixel are the trained
 * encoder's output {@code relu(W1 y / max)}: non-negative, and summing to one only approximately (the δ row makes
 * it a penalty, not a constraint; the sums are not rescaled). F decreases at every outer iteration but the one after
 * an endmember is dropped as superfluous ({@link UdasFit}, "A superfluous endmember"); both objectives
 * are described in {@link UdasFit}; the driver loop runs there over {@link UdasPixelPasses}, here over one {@link UdasBlock}.
 *
 * <h2>Where this differs from the authors' MATLAB ({@code aicip/uDAS}), on purpose</h2>
 * <ul>
 *   <li>The check for superfluous endmembers: their code looks at the row sums of the <em>initial</em> encoder
 *   (the trained one is discarded inside {@code nmfsingledenoise}); here the trained encoder is kept, used for the
 *   abundances, and its row norms are reported ({@link Result#encoderRowNorms()}; a row near zero means R is too
 *   large). Since the decoder rounds here do not use the encoder's abundances (below), its l2,1 term alone does
 *   not reach the model (with R = 4 on co-ru-pt 32 × 32 the rows stayed [5.04, 14.8, 15.0, 4.02]); the rounds
 *   test each endmember's significance against the noise and drop one that explains no more than noise would,
 *   and its encoder row is then exactly zero ({@link UdasFit}, "A superfluous endmember";
 *   {@link Result#droppedAt()}). With R = 4 there: [5.03, 14.8, 0, 4.02]; with the true R nothing is dropped
 *   ([1.89, 5.10, 4.13]).</li>
 *   <li>The l2,1 term: their gradient {@code λ w_r/‖w_r‖} is twice the derivative of their cost term
 *   {@code (λ/2) Σ‖w_r‖}; here cost and gradient agree (penalty λ Σ‖w_r‖) and the term is handled by its exact
 *   proximal operator (group soft threshold, exact zeros) instead of their one conjugate-gradient step, in
 *   {@link Options#encoderSteps()} proximal-gradient steps per outer iteration, each from the Lipschitz step 1/L
 *   with backtracking ({@link UdasFit}).</li>
 *   <li>The decoder is fitted to the noise-weighted (generalised least squares) sum-to-one abundances, bounded below
 *   by −2σ of their noise ({@link UdasNoise}), not to the encoder's output: the paper's regression on abundances
 *   estimated from the same Poisson-noisy data (unweighted, and truncated at zero inside the noise) moved the
 *   endmembers away from the truth round after round; this one keeps the truth a fixed point. Measured mean SAD
 *   (rad) against VCA-FCLS on the same replicates: co-ru-pt 32 × 32 replicates 0–5 0.02224 vs 0.02252 (the paper's
 *   rounds 0.03906 vs 0.03768 on replicates 0–2); k-edges 32 × 32 replicate 0 0.0167 vs 0.0306; but on the 64 × 64
 *   k-edges cubes of {@code paper-quick} 0.00880 vs 0.00850 (level within noise elsewhere at that size); more in
 *   {@link UdasFit} and the README. The channel weights are estimated from the start's residual, so they hold for
 *   gain-scaled counts too.</li>
 *   <li>The encoder step includes the γ term (their encoder cost omits it); it lowers its objective J in W1.</li>
 *   <li>The initialisation (VCA, FCLS, NMF pass) and the decoder's reconstruction term use the input X, not the
 *   12-layer denoised V (measured on EELS: see {@link UdasFit}).</li>
 *   <li>Their printed "RMSE" is a fourth-power abundance error; the fit here reports the real reconstruction RMSE
 *   in counts.</li>
 *   <li>Their clip of W at 1 and δ = 20 assume reflectance in [0, 1]: EELS counts are normalised by their maximum
 *   first and the endmembers scaled back.</li>
 *   <li>VCA runs {@link Options#vcaRestarts()} times with seeds seed, seed + 1, … and keeps the set that reconstructs
 *   X best (their 100 runs keep the first: the volume they compare is that of the data, the same every run, so
 *   their restarts choose nothing); the abundance step is solved exactly per pixel instead of by one global
 *   projected gradient, and the decoder step exactly per channel, which makes both independent of the
 *   partitioning; the encoder start's pseudo-inverse is the normal-equations solve with a 1e-12 relative ridge.</li>
 * </ul>
 */
public final class Udas {
  private Udas() {}

  public static final int DEFAULT_LAYERS = 12;
  public static final double DEFAULT_CORRUPTION = 1e-5;
  public static final double DEFAULT_RIDGE = 1;
  public static final double DEFAULT_GAMMA = 1e-4;
  public static final double DEFAULT_DELTA = 20;
  public static final int DEFAULT_OUTER_ITERATIONS = 10;
  public static final int DEFAULT_ENCODER_STEPS = 5;
  /**
   * A component whose significance in the decoder rounds is below this many times that of the noise's strongest
   * direction is dropped (see {@link UdasFit}).
   */
  public static final double DEFAULT_DROP_RATIO = 10;

  /**
   * The fit's settings; component names are the Spark ML params' (so a bad value names the param).
   *
   * @param endmembers R ≥ 1 (fewer than the channels)
   * @param seed VCA's seed
   * @param udasLayers mSDA layers ≥ 1 (12)
   * @param corruption mSDA corruption probability p in (0, 1) (1e-5)
   * @param ridge mSDA ridge λ &gt; 0 (1)
   * @param gamma weight γ &gt; 0 of the denoising term (1e-4)
   * @param delta weight δ &gt; 0 of the sum-to-one row (20)
   * @param outerIterations decoder/encoder rounds ≥ 1 (10)
   * @param encoderSteps proximal steps per encoder step ≥ 1 (5)
   * @param l21Weight λ of the l2,1 row penalty, &gt; 0, or NaN for the paper's {@code 1e-6 √(N/1000)}
   * @param vcaRestarts VCA searches of the start (seeds seed, seed + 1, …), the lowest FCLS residual kept, ≥ 1
   *     ({@value Vca#DEFAULT_RESTARTS})
   * @param dropRatio c ≥ 0: the decoder rounds drop a component whose significance is below c times that of the
   *     noise's strongest direction ({@link UdasFit}; {@value #DEFAULT_DROP_RATIO}); 0 never drops one
   */
  public record Options(int endmembers, long seed, int udasLayers, double corruption, double ridge, double gamma,
      double delta, int outerIterations, int encoderSteps, double l21Weight, int vcaRestarts, double dropRatio)
      implements Serializable {
    /** Validates, naming the param at fault. */
    public Options {
      if (endmembers < 1) {
        throw new BadInputException("numEndmembers", "the number of endmembers must be at least 1, got "
            + endmembers);
      }
      positive("udasLayers", udasLayers);
      positive("outerIterations", outerIterations);
      positive("encoderSteps", encoderSteps);
      if (!(corruption > 0 && corruption < 1)) {
        throw new BadInputException("corruption", "the mSDA corruption probability must be in (0, 1), got "
            + corruption);
      }
      positive("ridge", ridge);
      positive("gamma", gamma);
      positive("delta", delta);
      if (!Double.isNaN(l21Weight)) {
        positive("l21Weight", l21Weight);
      }
      if (vcaRestarts < 1) {
        throw new BadInputException("vcaRestarts", "VCA needs at least 1 restart, got " + vcaRestarts);
      }
      if (!(dropRatio >= 0) || !Double.isFinite(dropRatio)) {
        throw new BadInputException("dropRatio", "must be a finite number >= 0, got " + dropRatio);
      }
    }

    /** The default drop ratio {@link #DEFAULT_DROP_RATIO}. */
    public Options(int endmembers, long seed, int udasLayers, double corruption, double ridge, double gamma,
        double delta, int outerIterations, int encoderSteps, double l21Weight, int vcaRestarts) {
      this(endmembers, seed, udasLayers, corruption, ridge, gamma, delta, outerIterations, encoderSteps, l21Weight,
          vcaRestarts, DEFAULT_DROP_RATIO);
    }

    /** {@value Vca#DEFAULT_RESTARTS} VCA restarts for the start. */
    public Options(int endmembers, long seed, int udasLayers, double corruption, double ridge, double gamma,
        double delta, int outerIterations, int encoderSteps, double l21Weight) {
      this(endmembers, seed, udasLayers, corruption, ridge, gamma, delta, outerIterations, encoderSteps, l21Weight,
          Vca.DEFAULT_RESTARTS);
    }

    /** The paper's settings. */
    public Options(int endmembers, long seed) {
      this(endmembers, seed, DEFAULT_LAYERS, DEFAULT_CORRUPTION, DEFAULT_RIDGE, DEFAULT_GAMMA, DEFAULT_DELTA,
          DEFAULT_OUTER_ITERATIONS, DEFAULT_ENCODER_STEPS, Double.NaN);
    }

    public Options withOuterIterations(int v) {
      return new Options(endmembers, seed, udasLayers, corruption, ridge, gamma, delta, v, encoderSteps, l21Weight,
          vcaRestarts, dropRatio);
    }

    public Options withL21Weight(double v) {
      return new Options(endmembers, seed, udasLayers, corruption, ridge, gamma, delta, outerIterations,
          encoderSteps, v, vcaRestarts, dropRatio);
    }

    /** These options with {@code k} VCA restarts ({@code 1}: the single VCA search of earlier versions). */
    public Options withVcaRestarts(int k) {
      return new Options(endmembers, seed, udasLayers, corruption, ridge, gamma, delta, outerIterations,
          encoderSteps, l21Weight, k, dropRatio);
    }

    /** These options with the drop ratio c ({@code 0}: no component dropped, the rounds of earlier versions). */
    public Options withDropRatio(double c) {
      return new Options(endmembers, seed, udasLayers, corruption, ridge, gamma, delta, outerIterations,
          encoderSteps, l21Weight, vcaRestarts, c);
    }

    /** λ: the given weight, or the paper's {@code 1e-6 √(N/1000)} for N pixels. */
    public double resolvedL21Weight(long pixels) {
      return Double.isNaN(l21Weight) ? 1e-6 * Math.sqrt(pixels / 1000.0) : l21Weight;
    }

    private static void positive(String name, double v) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new BadInputException(name, "must be a finite number > 0, got " + v);
      }
    }
  }

  /**
   * @param unmixing endmembers (counts, on the image's axis) and the encoder's abundances
   * @param encoder the trained encoder, applied by {@link #encoderKernel}
   * @param objectiveHistory F/N after each outer iteration (decreasing; {@link UdasFit})
   * @param rmse the reconstruction RMSE of the fit, in counts
   * @param droppedAt per endmember, the outer iteration after which the decoder rounds dropped it as superfluous
   *     ({@link UdasFit}), or −1
   * @param significance per endmember, its significance over the noise's strongest direction ({@link UdasFit})
   */
  public record Result(Unmixing unmixing, UdasEncoder encoder, double[] objectiveHistory, double rmse,
      int[] droppedAt, double[] significance) {
    /** ‖W1_r‖ of the trained encoder, on the normalised scale. */
    public double[] encoderRowNorms() {
      return encoder.rowNorms();
    }
  }

  /** Fits uDAS to one spectrum image in memory. */
  public static Result fit(SpectrumImage image, Options o) {
    image.requireNonNegative(image.id());
    PixelKey[] keys = new PixelKey[image.pixels()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new PixelKey(image.id(), i / image.width(), i % image.width());
    }
    InMemoryPasses passes = new InMemoryPasses(new UdasBlock(image.data(), keys, image.channels()),
        image.channels(), o.endmembers());
    UdasFit.Outcome fit = UdasFit.run(passes, o);
    UdasEncoder encoder = UdasEncoder.of(fit);
    Endmembers endmembers = new Endmembers(encoder.endmembers(), null, image.axis());
    int r = o.endmembers();
    int b = image.channels();
    double[] values = new double[image.pixels() * r];
    double[] h = new double[r];
    for (int i = 0; i < image.pixels(); i++) {
      encoder.apply(image.data(), i * b, h);
      System.arraycopy(h, 0, values, i * r, r);
    }
    return new Result(new Unmixing(endmembers, new Abundances(image.height(), image.width(), r, values)), encoder,
        fit.objectiveHistory(), fit.rmse(), fit.droppedAt(), fit.significance());
  }

  /** The passes over one block held in memory; the per-pixel state is replaced in place. */
  static final class InMemoryPasses implements UdasPixelPasses {
    private UdasBlock block;
    private final int channels;
    private final int components;

    InMemoryPasses(UdasBlock block, int channels, int components) {
      this.block = block;
      this.channels = channels;
      this.components = components;
    }

    @Override
    public int channels() {
      return channels;
    }

    @Override
    public double maxCount() {
      return block.maxCount();
    }

    @Override
    public SpectralMoments moments(double maxCount) {
      return block.addMoments(new Blu.MomentSums(channels, maxCount, block.count())).moments(block.count());
    }

    @Override
    public void keepInput(double scale) {
      block.keepInput(scale);
    }

    @Override
    public double project(VcaProjection projection) {
      return block.project(projection);
    }

    @Override
    public VcaCandidate[] candidates(VcaProjection projection, double[][] directions, double lift) {
      return block.candidates(projection, directions, lift);
    }

    @Override
    public FclsResiduals residuals(Fcls[] sets) {
      return block.residuals(sets);
    }

    @Override
    public double fcls(Fcls fcls) {
      return block.fcls(fcls);
    }

    @Override
    public double refine(SumToOneNnls step) {
      return block.refine(step);
    }

    @Override
    public UdasStatistics abundanceSums(double scale, UdasStatistics empty) {
      return block.abundanceSums(scale, empty);
    }

    @Override
    public UdasStatistics encode(UdasEncoderPass pass, double scale, UdasStatistics empty) {
      return block.encode(pass, scale, empty);
    }

    @Override
    public void release() {
      block = block.released();
    }
  }
}
