package org.eelsunmix.unmix;

import java.util.Arrays;
import org.eelsunmix.core.BadInputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_MT_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The uDAS fit (Qu &amp; Qi, IEEE TGRS 57(3), 2019; see {@link Udas} for the method and its deviations from the
 * authors' code) written once for every place the pixels can live ({@link UdasPixelPasses}): the driver's part —
 * mSDA from the scatter, VCA's search, the decoder steps, the encoder's proximal steps, all on B × R,
 * R × (B + 1) and (B + 1)² matrices — around passes that run the per-pixel kernels where the pixels are.
 *
 * <h2>The decoder rounds</h2>
 * With X the normalised input (B × N), T = W_n X̄ the denoising target, W the decoder (endmembers, B × R,
 * 0 ≤ W ≤ 1), H the abundances (R × N) and the fixed noise model of the start ({@link UdasNoise}: channel weights
 * ω, floors l ≤ 0), the rounds minimise
 *
 * <pre>  F(W, H) = Σ_c ω_c [ ½‖x_c − w_c H‖² + (γ/2)‖w_c H − t_c‖² ] + (δ²/2)‖1ᵀ − 1ᵀH‖²,   H ≥ l</pre>
 *
 * by alternating an abundance step (per pixel, exact: {@link SumToOneNnls}) and a decoder step (per channel,
 * exact: {@link BoxQuadratic#solveRows}); each minimises F in its block from the current values, so F
 * never rises (the reported history, {@code F/N} without the constant γ term). The NMF pass of the paper is the
 * first such alternation, on the VCA + FCLS start.
 *
 * <p><b>Deviation, measured:</b> the paper's decoder regresses X on the encoder's H = relu(W1 X) (and its NMF pass on
 * FCLS abundances), unweighted. Abundances estimated from the same noisy X bias that regression unless they are
 * the noise-weighted (GLS) estimate and are not truncated at zero inside the noise ({@link UdasNoise} gives the
 * argument): on co-ru-pt 32 × 32 the paper's rounds raised the SAD round after round (replicates 0–2: 0.0063 →
 * 0.0074, 0.0077 → 0.0082, 0.0978 → 0.1016 after the NMF pass), and VCA-FCLS stayed ahead (mean 0.03768 against
 * 0.03906). Measured variants (co-ru-pt 32 × 32, replicates 0–5, mean SAD; VCA-FCLS 0.02252): the decoder on
 * exact non-negative sum-to-one abundances 0.02292 (still drifting), the same noise-weighted 0.02285, weighted and
 * unbounded below 0.02237 (but k-edges 32 × 32 replicate 0 stays at VCA's 0.0307, which the paper's rounds took
 * to 0.020), weighted with the −2σ floors 0.02237 and k-edges 0.0157; with the abundance step solved exactly
 * (coordinate descent alone had not converged) 0.02224 and k-edges 0.0167. The encoder is still trained every
 * round on J below with the new decoder, and gives the output abundances.
 *
 * <h2>The encoder's objective</h2>
 * With W1 the encoder (R × B) and H = relu(W1 X):
 *
 * <pre>  J(W, W1) = (1/N) [ ½‖X − W H‖² + (γ/2)‖W H − T‖² + (δ²/2)‖1ᵀ − 1ᵀH‖² ] + λ Σ_r ‖W1_r‖</pre>
 *
 * The reconstruction terms fit the input X, as the paper's Eq. (9) writes it; the authors' code fits the
 * 12-layer denoised data V = G X̄ there instead, and on EELS data that is measurably biased: the ridge of every
 * layer shrinks the weak directions that tell EELS endmembers apart (VCA on V had a mean SAD of 0.027 rad on
 * 64 × 64 co-ru-pt cubes against 0.0075 after one layer and 0.008 on the raw data). For the same reason the
 * initialisation (VCA, FCLS, the NMF pass) runs on the input X, not on the denoised data as the authors' code does:
 * on 64 × 64 co-ru-pt cubes (4 replicates) uDAS's mean SAD was 0.0123 rad from the 12-layer denoised start and
 * 0.0114 from the input, on 32 × 32 cubes 0.101 against 0.037. W_n still enters the γ terms, so mSDA stays part of
 * both objectives. Each encoder step lowers J in W1 ({@link EncoderLog}).
 *
 * <h2>A superfluous endmember (a deviation on the decoder side)</h2>
 * In the paper the decoder's abundances are the encoder's relu(W1 X), so the encoder's l2,1 penalty reaches the
 * model: a row it drives to zero takes an endmember out. Here the rounds use the exact noise-weighted abundances,
 * which do not depend on the encoder, and with R one larger than the truth all R decoder endmembers keep some signal
 * (measured: even with the encoder step solved to a tolerance its rows stayed [6.29, 13.4, 13.7, 5.50], co-ru-pt
 * 32 × 32). So the question is asked in the rounds. After each round's abundance step, the significance of
 * endmember r is
 *
 * <pre>  t_r = 2ΔF_r / (α N) = (HHᵀ)_rr / (α N (K⁻¹)_rr),   K = (1 + γ)WᵀΩW + δ²11ᵀ</pre>
 *
 * where ΔF_r is the rise of F when r is removed and every pixel re-solved without it ({@link #dropCosts}: the
 * partial-regression identity, exact where no floor binds), measured in the noise: α is the weighted noise
 * variance of a channel ({@link UdasNoise#level}). An endmember that only fits noise gains about what the
 * strongest direction of the weighted noise would, {@code (1 + √(B/N))²} (the top of its Marchenko–Pastur
 * spectrum); the least significant endmember is dropped when {@code t_r < c (1 + √(B/N))²}, c =
 * {@link Udas.Options#dropRatio()} (10). From then on its abundances are held at zero ({@link SumToOneNnls}'s
 * inactive components), its decoder column is kept (reported, flagged) and left out of the encoder's decoder, and
 * the encoder restarts at the next round from {@code H pinv(X)}, the rule that starts it, in which that row is
 * exactly zero; the l2,1 prox keeps a zero row at zero. One endmember a round, none in the last round; F
 * decreases at every round except the one right after a drop. Everything is taken from the rounds' sums, so it
 * is the same for any partitioning.
 *
 * <p>Measured {@code t_r / (1 + √(B/N))²}: with the true R at least 156 (co-ru-pt 32 × 32 replicates 0, 1, 3, 4),
 * 296 (64 × 64, replicates 0–1), and nothing dropped on {@code paper-quick}'s six cubes (its udas rows unchanged
 * to the last digit); with R one too large the dropped endmember's is 0.5–4.1 (co-ru-pt 32 × 32 replicates 0–4
 * and 64 × 64 replicates 0–1; k-edges 32 × 32 replicates 0–2), and one endmember is dropped on each of them. It
 * fails where VCA's start is wrong: co-ru-pt 32 × 32 replicate 2 starts with two endmembers on one vertex and
 * none on another (SAD 0.099); one of the pair is dropped even with the true R (NMSE 0.16 → 0.073, SAD 0.099 →
 * 0.095), and with R = 4 two are. The significance of a real endmember grows with the dose while the noise's
 * does not: at these sets' 1e5 counts per pixel the margin is 15×; at 1e4 (co-ru-pt 32 × 32 replicates 0–1) the
 * true R's smallest is 16.2 and the dropped one at R = 4 2.6–3.4, so still right but with a margin of 1.6×, and
 * below about 6e3 counts per pixel (extrapolated) a real endmember may be dropped; {@code dropRatio = 0} turns
 * the test off.
 *
 * <p>Tried first and rejected (measured on co-ru-pt 32 × 32 replicate 0): group sparsity on H in the rounds,
 * {@code λ Σ_r ‖h_r‖} majorised by a reweighted quadratic (an MM step). With λ fixed the decoder grew W against the
 * shrinking H (SAD with the true R 0.0062 → 0.084 at λ = √(αN)‖w_r‖); the scale-free
 * {@code λ Σ_r ‖w_r‖_ω ‖h_r‖} (the standardised group lasso, majorised in both blocks) pulled every pixel toward
 * the simplex's centre, which the decoder turned into endmembers pushed outward (SAD 0.020 at λ = 0.1√(αN), 0.069
 * at √(αN)), and dropped no row with R = 4 at any of these λ.
 */
public final class UdasFit {
  private UdasFit() {}

  /**
   * Halvings of the 1/L step per proximal-gradient step before it gives up (keeps W1): relu makes the smooth part
   * only piecewise smooth, so 1/L may still be too long, and 2⁻⁴⁰/L is below any decrease the sums can resolve.
   */
  private static final int ENCODER_HALVINGS = 40;


  /**
   * What the fit leaves on the driver.
   *
   * @param endmembers W on the normalised scale, row-major B × R
   * @param encoder W1 on the normalised scale, row-major R × B
   * @param maxCount the normalisation: the largest count (x = y / maxCount)
   * @param objectiveHistory F/N after each outer iteration (the decoder rounds' objective, see the class comment)
   * @param rowNorms ‖W1_r‖ of the trained encoder
   * @param rmse the real reconstruction RMSE of the fit, {@code sqrt(‖Y − maxCount · W H‖² / (N B))}, in counts
   * @param pixels N
   * @param droppedAt per component, the outer iteration (from 0) after which the decoder rounds dropped it, or −1
   * @param significance per component, its last significance in the rounds over the noise's strongest direction,
   *     {@code t_r / (1 + √(B/N))²} (see the class comment; for a dropped one, the value that dropped it)
   */
  public record Outcome(double[] endmembers, double[] encoder, double maxCount, double[] objectiveHistory,
      double[] rowNorms, double rmse, long pixels, int[] droppedAt, double[] significance) {}

  /**
   * What each outer iteration's encoder step did, for tests and diagnostics: the step is the part of the fit whose
   * progress is invisible in the outcome (a step that is never accepted leaves W1 at its start and J unchanged).
   */
  interface EncoderLog {
    /**
     * @param outer the outer iteration (from 0)
     * @param before J at W1 before the encoder step (without the constant {@code (γ/2N)‖T‖²})
     * @param after J after it
     * @param accepted proximal steps accepted
     */
    void step(int outer, double before, double after, int accepted);
  }

  /** Runs the fit over {@code pixels} with {@code o}. */
  public static Outcome run(UdasPixelPasses pixels, Udas.Options o) {
    return run(pixels, o, (outer, before, after, accepted) -> { });
  }

  /** {@link #run(UdasPixelPasses, Udas.Options)}, telling {@code log} what every encoder step did. */
  static Outcome run(UdasPixelPasses pixels, Udas.Options o, EncoderLog log) {
    int b = pixels.channels();
    int r = o.endmembers();
    if (r >= b) {
      throw new BadInputException("numEndmembers", "asked for " + r + " endmembers but the spectra have only " + b
          + " channels; uDAS needs fewer endmembers than channels");
    }
    double max = pixels.maxCount();
    if (!(max > 0)) {
      throw new BadInputException("input", "every count is zero; there is nothing to unmix");
    }
    double scale = 1 / max;
    SpectralMoments raw = pixels.moments(max);
    long n = raw.count();
    if (n < r) {
      throw new BadInputException("input", "has " + n + " pixels, fewer than the " + r + " endmembers asked for");
    }
    double[] scatter = biasScatter(raw, scale);
    Msda msda = Msda.fit(scatter, b, o.udasLayers(), o.corruption(), o.ridge());

    // Initialisation on the input itself (see the class comment): VCA, FCLS. Its moments are those of the counts,
    // scaled: no second pass over the (B + 1)² scatter.
    pixels.keepInput(scale);
    double[][] spectra = vca(pixels, scaled(raw, scale), r, o.seed(), o.vcaRestarts());
    double hMax = pixels.fcls(new Fcls(spectra));
    UdasStatistics st = abundanceSums(pixels, hMax, scale, r, b, n);
    double[] w = new double[b * r];
    for (int s = 0; s < r; s++) {
      for (int c = 0; c < b; c++) {
        w[c * r + s] = Math.max(0, spectra[s][c]);
      }
    }
    UdasNoise noise = UdasNoise.estimate(scatter, w, st.hx(), st.hh(), o.delta(), b, r, n);
    double gamma = o.gamma();
    // The reconstruction term fits the input X itself (see the class comment): G = [I | 0] below.
    double[] g = new double[b * (b + 1)];
    for (int i = 0; i < b; i++) {
      g[i * (b + 1) + i] = 1;
    }
    double[] wn = msda.lastLayer();
    Rounds rounds = new Rounds(pixels, noise, g, wn, gamma, o.delta(), scatter, scale, b, r, n);
    // The NMF pass: one abundance step and one decoder step of the rounds' objective F.
    st = rounds.alternate(w);
    Curvature curvature = new Curvature(scatter, b, n);
    double[] encoder = encoderStart(st.hx(), curvature, b, r, n);
    pixels.release();

    double lambda = o.resolvedL21Weight(n);
    double[] history = new double[o.outerIterations()];
    int[] droppedAt = new int[r];
    Arrays.fill(droppedAt, -1);
    boolean restart = false;
    for (int k = 0; k < o.outerIterations(); k++) {
      // (a) abundance step and decoder step on F (W updated in place), then the test for a superfluous endmember
      // (not in the last round: the encoder restart below needs one more abundance step).
      UdasStatistics abundances = rounds.alternate(w);
      if (restart) {
        // The encoder restarts where it started, H pinv(X), from the abundances without the dropped endmember: its
        // row is exactly zero (H's row is), and the others take over its share of every pixel, which the few
        // proximal steps a round could not do from the old start. The l2,1 prox keeps a zero row at zero (relu's
        // mask zeroes its gradient).
        encoder = encoderStart(abundances.hx(), curvature, b, r, n);
        restart = false;
      }
      boolean[] active = rounds.prune(k < o.outerIterations() - 1 ? o.dropRatio() : 0);
      // (b) encoder: proximal gradient steps on J in W1 with the new decoder, whose dropped columns are out of
      // the model (zero); a newly dropped endmember's encoder row is zeroed at once.
      double[] wd = w.clone();
      for (int s = 0; s < r; s++) {
        if (!active[s]) {
          for (int c = 0; c < b; c++) {
            wd[c * r + s] = 0;
          }
          if (droppedAt[s] < 0) {
            droppedAt[s] = k;
            restart = true;
            encoder = encoder.clone();
            Arrays.fill(encoder, s * b, (s + 1) * b, 0);
          }
        }
      }
      double[] wt = transpose(wd, b, r);
      double[] c = gram(wt, r, b);
      for (int i = 0; i < c.length; i++) {
        c[i] *= 1 + gamma;
      }
      double[] a = encoderLinear(wt, g, wn, gamma, b, r);
      EncoderState state = encoderSteps(pixels, encoder, a, c, curvature, b, r, o,
          lambda, scale, n);
      log.step(k, state.startObjective, state.objective, state.accepted);
      encoder = state.encoder;
      st = state.stats;
      history[k] = rounds.objective;
    }
    double[] wd = w.clone();
    for (int s = 0; s < r; s++) {
      if (droppedAt[s] >= 0) {
        for (int c = 0; c < b; c++) {
          wd[c * r + s] = 0;
        }
      }
    }
    double rss = residualSquared(raw.meanPower() * n * scale * scale, st, wd, b, r);
    return new Outcome(w, encoder, max, history, rowNorms(encoder, r, b),
        Math.sqrt(Math.max(0, rss) / ((double) n * b)) * max, n, droppedAt, rounds.significance());
  }

  /** The sums of the kept H (|h| ≤ {@code hMax}) with the normalised pixels. */
  private static UdasStatistics abundanceSums(UdasPixelPasses pixels, double hMax, double scale, int r, int b,
      long n) {
    return pixels.abundanceSums(scale, new UdasStatistics(r, b, false,
        new UdasStatistics.Bounds(hMax, 0, 0), n));
  }

  /**
   * The decoder rounds' alternation on F (see the class comment) with the fixed noise model: an abundance step
   * ({@link SumToOneNnls}, per pixel, from the kept H) then a decoder step ({@link BoxQuadratic#solveRows},
   * exact per channel). Both minimise F in their block of variables from the current values, so F never rises.
   */
  private static final class Rounds {
    private final UdasPixelPasses pixels;
    private final UdasNoise noise;
    private final double[] weights;
    private final double[] g;
    private final double[] wn;
    private final double gamma;
    private final double delta;
    private final double[] scatter;
    private final double scale;
    private final int b;
    private final int r;
    private final long n;
    /** F after the last {@link #alternate}. */
    double objective = Double.NaN;
    /** The components still in the rounds. */
    private final boolean[] active;

    Rounds(UdasPixelPasses pixels, UdasNoise noise, double[] g, double[] wn, double gamma, double delta,
        double[] scatter, double scale, int b, int r, long n) {
      this.pixels = pixels;
      this.noise = noise;
      this.weights = noise.weights();
      this.g = g;
      this.wn = wn;
      this.gamma = gamma;
      this.delta = delta;
      this.scatter = scatter;
      this.scale = scale;
      this.b = b;
      this.r = r;
      this.n = n;
      this.active = new boolean[r];
      Arrays.fill(active, true);
      this.lastSignificance = new double[r];
    }

    /** {@code t_r = 2ΔF_r / (α N)} of each active component in the H of {@code st} ({@link #dropCosts}). */
    private double[] significance(double[] w, UdasStatistics st) {
      double[] t = dropCosts(w, weights, gamma, delta, st.hh(), active, b, r);
      for (int s = 0; s < r; s++) {
        t[s] /= noise.level() * n;
      }
      return t;
    }

    /** The significance t_r of each component in the last {@link #alternate} that had it active. */
    private final double[] lastSignificance;

    /** {@code t_r / (1 + √(B/N))²} of each component (its last while active). */
    double[] significance() {
      double noiseDirection = Math.pow(1 + Math.sqrt((double) b / n), 2);
      double[] v = new double[r];
      for (int s = 0; s < r; s++) {
        v[s] = lastSignificance[s] / noiseDirection;
      }
      return v;
    }

    /**
     * Drops the least significant active component when its significance over the noise's strongest direction,
     * {@code t_r / (1 + √(B/N))²}, is below {@code ratio} (never the last one; {@code ratio = 0}: never); returns
     * which components are still active (a copy).
     */
    boolean[] prune(double ratio) {
      double noiseDirection = Math.pow(1 + Math.sqrt((double) b / n), 2);
      int weakest = -1;
      int left = 0;
      for (int s = 0; s < r; s++) {
        if (active[s]) {
          left++;
          if (weakest < 0 || lastSignificance[s] < lastSignificance[weakest]) {
            weakest = s;
          }
        }
      }
      if (left > 1 && lastSignificance[weakest] < ratio * noiseDirection) {
        active[weakest] = false;
      }
      return active.clone();
    }

    /**
     * One abundance step (over the active components) and one decoder step, then the significance of each active
     * component in the new H (before the decoder step moved W); updates {@code w}
     * and returns the new H's sums.
     */
    UdasStatistics alternate(double[] w) {
      double hMax = pixels.refine(new SumToOneNnls(w, weights, gamma, wn, delta, noise.floors(), active, b, r,
          scale));
      UdasStatistics st = abundanceSums(pixels, hMax, scale, r, b, n);
      double[] t = significance(w, st);
      for (int s = 0; s < r; s++) {
        if (active[s]) {
          lastSignificance[s] = t[s];
        }
      }
      // Q = (1+γ)HHᵀ, P = (G + γ W_n) X̄Hᵀ, 0 ≤ W ≤ 1; the weights scale whole rows, so the rows' minimisers are theirs.
      double[] q = st.hh().clone();
      for (int i = 0; i < q.length; i++) {
        q[i] *= 1 + gamma;
      }
      double[] p = targetCross(g, wn, gamma, st.hx(), b, r);
      BoxQuadratic.solveRows(w, q, p, b, r, 1.0, 1000);
      objective = objective(w, q, p, st);
      return st;
    }

    /**
     * {@code F / N} without the constant {@code (γ/2) Σ ω_c ‖t_c‖²}, from the sums: per channel
     * {@code ω_c (½‖x_c‖² + ½ w_c Q w_cᵀ − w_c·p_c)}, and {@code (δ²/2)(N − 2 Σ 1ᵀh + 1ᵀHHᵀ1)}.
     */
    private double objective(double[] w, double[] q, double[] p, UdasStatistics st) {
      int n1 = b + 1;
      double f = 0;
      for (int c = 0; c < b; c++) {
        double row = 0.5 * scatter[c * n1 + c];
        for (int s = 0; s < r; s++) {
          double wq = 0;
          for (int t = 0; t < r; t++) {
            wq += w[c * r + t] * q[t * r + s];
          }
          row += w[c * r + s] * (0.5 * wq - p[c * r + s]);
        }
        f += weights[c] * row;
      }
      double sum = 0;
      double hh = 0;
      for (int s = 0; s < r; s++) {
        sum += st.hx()[s * n1 + b];
        for (int t = 0; t < r; t++) {
          hh += st.hh()[s * r + t];
        }
      }
      f += 0.5 * delta * delta * (n - 2 * sum + hh);
      return f / n;
    }
  }

  /**
   * Twice the rise of the abundance step's objective when component r is removed and every pixel's abundances are
   * re-solved without it, for abundances H that minimise the step's quadratic {@code ½ hᵀKh − hᵀ(A x̄ + δ²1)}
   * (no bound active): {@code 2ΔF_r = (HHᵀ)_rr / (K⁻¹)_rr}, the partial-regression identity (removing a variable
   * from a quadratic raises its minimum by {@code h_r² / (2 (K⁻¹)_rr)}), with K = (1 + γ)WᵀΩW + δ²11ᵀ over the active
   * components. From R × R sums and the B × R decoder: no pass over the pixels. 0 for an inactive component,
   * +∞ for all when K is singular (nothing can be told apart).
   *
   * @param w the decoder of the abundance step, row-major B × R
   * @param hh {@code Σ h hᵀ} of its abundances (R × R)
   */
  static double[] dropCosts(double[] w, double[] weights, double gamma, double delta, double[] hh, boolean[] active,
      int b, int r) {
    int[] index = new int[r];
    int m = 0;
    for (int s = 0; s < r; s++) {
      if (active[s]) {
        index[m++] = s;
      }
    }
    DMatrixRMaj k = new DMatrixRMaj(m, m);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        double v = 0;
        for (int c = 0; c < b; c++) {
          v += w[c * r + index[i]] * weights[c] * w[c * r + index[j]];
        }
        k.set(i, j, (1 + gamma) * v + delta * delta);
      }
    }
    double[] cost = new double[r];
    boolean inverted = org.ejml.dense.row.CommonOps_DDRM.invert(k);
    for (int i = 0; i < m; i++) {
      int s = index[i];
      cost[s] = inverted ? hh[s * r + s] / k.get(i, i) : Double.POSITIVE_INFINITY;
    }
    return cost;
  }

  /**
   * The encoder and the statistics of H = relu(W1 X) at it, J there, J at the step's start and the number of
   * proximal steps accepted.
   */
  private record EncoderState(double[] encoder, UdasStatistics stats, double objective, double startObjective,
      int accepted) {}

  /**
   * {@code o.encoderSteps()} proximal-gradient steps on J in W1 (Beck &amp; Teboulle's ISTA with backtracking). The
   * smooth part f = (1/N) Σ ℓ has, wherever the relu pattern is fixed, the Hessian
   * {@code (1/N) Σ (D_x (C + δ²11ᵀ) D_x) ⊗ x xᵀ} (D_x the pixel's 0/1 mask), bounded by
   * {@code L = λ_max(C + δ²11ᵀ) · λ_max(X Xᵀ/N)} — both from power iteration on matrices the driver already has,
   * R × R and B × B. A step is
   *
   * <pre>  W1⁺ = prox_{tλ‖·‖₂,₁}( W1 − t ∇f ),   t = 1/L, halved while the test below fails</pre>
   *
   * with the l2,1 prox the row-wise group soft threshold {@code w_r · max(0, 1 − tλ/‖w_r‖)} (exact zero rows). It
   * is accepted when f passes the sufficient-decrease test {@code f(W1⁺) ≤ f(W1) + ⟨∇f, D⟩ + ‖D‖²/(2t)} (D =
   * W1⁺ − W1), which gives {@code J(W1⁺) ≤ J(W1) − ‖D‖²/(2t)}, and J actually falls (to the fixed-point sums'
   * rounding). relu makes f only piecewise smooth — its gradient jumps where a unit switches — so 1/L is where the
   * search starts, not a guarantee; {@link #ENCODER_HALVINGS} halvings reach steps of 2⁻⁴⁰/L, and a step that
   * finds no decrease even there, or whose prox leaves W1 where it is, ends the encoder step (W1 stationary).
   *
   * <p>Why not the earlier scaled step {@code (C + δ²11ᵀ)⁻¹ ∇f (X Xᵀ/N)⁻¹}: the curvature of EELS spectra is so
   * ill-conditioned that it overshot by orders of magnitude (J from −3.7 to 5e8 at full step, still 59 after 11
   * halvings on a 32 × 32 co-ru-pt cube with R = 4); no step was accepted and W1 stayed at its start H pinv(X).
   * The 1/L step never overshoots where f is smooth, so a step is accepted whenever a decrease is possible.
   *
   * <p>Every decision is taken from {@link FixedPointSum} totals, so it is the same for any partitioning.
   */
  private static EncoderState encoderSteps(UdasPixelPasses pixels, double[] start, double[] a, double[] c,
      Curvature data, int b, int r, Udas.Options o, double lambda, double scale, long n) {
    double[] w1 = start;
    double[] cd = c.clone();
    for (int i = 0; i < cd.length; i++) {
      cd[i] += o.delta() * o.delta();
    }
    double lipschitz = largestEigenvalue(cd, r) * data.largest;
    UdasStatistics st = encode(pixels, w1, a, c, r, b, o.delta(), scale, n);
    double smooth = st.loss() / n;
    double objective = smooth + lambda * l21(w1, r, b);
    double startObjective = objective;
    int taken = 0;
    for (int step = 0; step < o.encoderSteps(); step++) {
      double[] gradient = st.gradient();
      boolean accepted = false;
      boolean stationary = false;
      double t = 1 / lipschitz;
      for (int trial = 0; trial <= ENCODER_HALVINGS && !accepted && !stationary; trial++, t /= 2) {
        double[] next = new double[w1.length];
        for (int i = 0; i < next.length; i++) {
          next[i] = w1[i] - t * gradient[i] / n;
        }
        groupShrink(next, r, b, t * lambda);
        double slope = 0;
        double distance = 0;
        for (int i = 0; i < next.length; i++) {
          double d = next[i] - w1[i];
          slope += gradient[i] / n * d;
          distance += d * d;
        }
        if (distance == 0) {
          stationary = true; // the prox maps W1 to itself: W1 minimises J (to rounding)
          break;
        }
        UdasStatistics trialStats = encode(pixels, next, a, c, r, b, o.delta(), scale, n);
        double trialSmooth = trialStats.loss() / n;
        double trialObjective = trialSmooth + lambda * l21(next, r, b);
        if (trialSmooth <= smooth + slope + distance / (2 * t) && trialObjective < objective) {
          accepted = true;
          w1 = next;
          st = trialStats;
          smooth = trialSmooth;
          objective = trialObjective;
        }
      }
      if (!accepted) {
        break; // no step lowers J from here (to rounding): W1 is stationary
      }
      taken++;
    }
    return new EncoderState(w1, st, objective, startObjective, taken);
  }

  /** One encoder pass at W1 = {@code w1} with its gradient, its sums bounded by {@link #encoderBounds}. */
  private static UdasStatistics encode(UdasPixelPasses pixels, double[] w1, double[] a, double[] c, int r, int b,
      double delta, double scale, long n) {
    return pixels.encode(new UdasEncoderPass(w1, a, c, r, b, delta, true), scale,
        new UdasStatistics(r, b, true, encoderBounds(w1, a, c, r, b, delta), n));
  }

  /**
   * Bounds on an encoder pass's terms at W1 = {@code w1}, from W1, A, C and δ with 0 ≤ x ≤ 1: {@code 0 ≤ h_r ≤
   * p_r}, the sum of row r's positive entries; {@code |a_r·x̄| ≤ Σ_j |A_rj|}; {@code |(C h)_r| ≤ Σ_t |C_rt| max p};
   * hence the bounds on the masked gradient g and on the pixel's loss ℓ ({@link UdasEncoderPass}), widened by 1 %
   * for the pixel's own rounding.
   */
  static UdasStatistics.Bounds encoderBounds(double[] w1, double[] a, double[] c, int r, int b, double delta) {
    double hb = 0;
    double hs = 0;
    for (int s = 0; s < r; s++) {
      double positive = 0;
      for (int k = 0; k < b; k++) {
        positive += Math.max(0, w1[s * b + k]);
      }
      hb = Math.max(hb, positive);
      hs += positive;
    }
    double la = 0;
    double cb = 0;
    for (int s = 0; s < r; s++) {
      double sa = 0;
      for (int j = 0; j <= b; j++) {
        sa += Math.abs(a[s * (b + 1) + j]);
      }
      la = Math.max(la, sa);
      double sc = 0;
      for (int t = 0; t < r; t++) {
        sc += Math.abs(c[s * r + t]);
      }
      cb = Math.max(cb, sc * hb);
    }
    double d2 = delta * delta;
    double gradient = cb + la + d2 * (1 + hs);
    double loss = 0.5 * d2 * (1 + hs) * (1 + hs) + hs * (0.5 * cb + la);
    double margin = 1.01;
    return new UdasStatistics.Bounds(hb * margin, gradient * margin, loss * margin);
  }

  /** The data's curvature {@code X Xᵀ/N} (B × B, Cholesky-factored with a 1e-12 relative ridge) and its top eigenvalue. */
  static final class Curvature {
    private final LinearSolverDense<DMatrixRMaj> solver;
    final double largest;

    Curvature(double[] scatter, int b, long n) {
      DMatrixRMaj xx = DMatrixRMaj.wrap(b, b, dataBlock(scatter, b));
      org.ejml.dense.row.CommonOps_DDRM.divide(xx, n);
      largest = largestEigenvalue(xx.data, b);
      double trace = 0;
      for (int i = 0; i < b; i++) {
        trace += xx.get(i, i);
      }
      for (int i = 0; i < b; i++) {
        xx.add(i, i, 1e-12 * trace / b);
      }
      solver = LinearSolverFactory_MT_DDRM.chol(b);
      if (!solver.setA(xx)) {
        throw new BadInputException("input", "the spectra's scatter is not positive definite (constant "
            + "channels?); the uDAS encoder cannot be fitted");
      }
    }

    /** {@code (M/n) (X Xᵀ/N)⁻¹} for M (R × B, row-major). */
    double[] solve(double[] m, int r, int b, long n) {
      DMatrixRMaj rhs = new DMatrixRMaj(b, r);
      for (int s = 0; s < r; s++) {
        for (int k = 0; k < b; k++) {
          rhs.set(k, s, m[s * b + k] / n);
        }
      }
      DMatrixRMaj out = new DMatrixRMaj(b, r);
      solver.solve(rhs, out);
      return transpose(out.data, b, r);
    }
  }

  /** The group soft threshold of each row of {@code m} (R × B) by {@code t}. */
  static void groupShrink(double[] m, int r, int b, double t) {
    for (int s = 0; s < r; s++) {
      double norm = 0;
      for (int k = 0; k < b; k++) {
        norm += m[s * b + k] * m[s * b + k];
      }
      norm = Math.sqrt(norm);
      double f = norm > t ? 1 - t / norm : 0;
      for (int k = 0; k < b; k++) {
        m[s * b + k] *= f;
      }
    }
  }

  /** {@code Σ_r ‖W1_r‖}. */
  static double l21(double[] m, int r, int b) {
    double sum = 0;
    for (double v : rowNorms(m, r, b)) {
      sum += v;
    }
    return sum;
  }

  /** The Euclidean norm of each of the R rows of {@code m} (R × B). */
  static double[] rowNorms(double[] m, int r, int b) {
    double[] norms = new double[r];
    for (int s = 0; s < r; s++) {
      double v = 0;
      for (int k = 0; k < b; k++) {
        v += m[s * b + k] * m[s * b + k];
      }
      norms[s] = Math.sqrt(v);
    }
    return norms;
  }

  /**
   * VCA with restarts over the kept input pixels (the steps of {@link Vca#fit}, {@link VcaRestarts}): R spectra,
   * the set with the lowest mean FCLS residual on those same pixels.
   */
  private static double[][] vca(UdasPixelPasses pixels, SpectralMoments input, int r, long seed, int restarts) {
    VcaProjection projection = VcaProjection.fromMoments(input, r, Double.NaN);
    double lift = pixels.project(projection);
    lift = projection.projective() ? Math.sqrt(lift) : 0;
    VcaRestarts search = new VcaRestarts(projection, lift, seed, restarts);
    return search.endmembers(VcaRestarts.kept(search.search(pixels)));
  }

  /** The moments of {@code scale · y} from those of y. */
  static SpectralMoments scaled(SpectralMoments m, double scale) {
    int b = m.channels();
    long count = m.count();
    double[] mean = m.mean();
    double[] second = m.secondMoment();
    double[] sum = new double[b];
    double[] upper = new double[b * (b + 1) / 2];
    int index = 0;
    for (int i = 0; i < b; i++) {
      sum[i] = mean[i] * count * scale;
      for (int j = i; j < b; j++) {
        upper[index++] = second[i * b + j] * count * scale * scale;
      }
    }
    return SpectralMoments.of(count, sum, upper);
  }

  /** The (B + 1)² scatter of the normalised input with its bias row, from the moments of the counts. */
  static double[] biasScatter(SpectralMoments m, double scale) {
    int b = m.channels();
    int n1 = b + 1;
    long count = m.count();
    double[] second = m.secondMoment();
    double[] mean = m.mean();
    double[] s = new double[n1 * n1];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        s[i * n1 + j] = second[i * b + j] * count * scale * scale;
      }
      s[i * n1 + b] = mean[i] * count * scale;
      s[b * n1 + i] = s[i * n1 + b];
    }
    s[b * n1 + b] = count;
    return s;
  }

  private static double[] dataBlock(double[] scatter, int b) {
    double[] x = new double[b * b];
    for (int i = 0; i < b; i++) {
      System.arraycopy(scatter, i * (b + 1), x, i * b, b);
    }
    return x;
  }

  /** The encoder start {@code H pinv(X) = (H Xᵀ)(X Xᵀ)⁻¹} (X full row rank) from {@code H X̄ᵀ} (R × (B + 1)). */
  static double[] encoderStart(double[] hx, Curvature curvature, int b, int r, long n) {
    double[] hxData = new double[r * b];
    for (int s = 0; s < r; s++) {
      System.arraycopy(hx, s * (b + 1), hxData, s * b, b);
    }
    return curvature.solve(hxData, r, b, n);
  }

  /** {@code P = (G + γ W_n) X̄Hᵀ}, B × R, from {@code H X̄ᵀ} (R × (B + 1)). */
  static double[] targetCross(double[] g, double[] wn, double gamma, double[] hx, int b, int r) {
    int n1 = b + 1;
    double[] p = new double[b * r];
    for (int c = 0; c < b; c++) {
      int base = c * n1;
      for (int s = 0; s < r; s++) {
        double v = 0;
        int hb = s * n1;
        for (int j = 0; j < n1; j++) {
          v += (g[base + j] + gamma * wn[base + j]) * hx[hb + j];
        }
        p[c * r + s] = v;
      }
    }
    return p;
  }

  /** {@code A = Wᵀ (G + γ W_n)}, R × (B + 1), from Wᵀ (R × B). */
  static double[] encoderLinear(double[] wt, double[] g, double[] wn, double gamma, int b, int r) {
    int n1 = b + 1;
    double[] a = new double[r * n1];
    for (int s = 0; s < r; s++) {
      for (int c = 0; c < b; c++) {
        double v = wt[s * b + c];
        if (v == 0) {
          continue;
        }
        int base = c * n1;
        for (int j = 0; j < n1; j++) {
          a[s * n1 + j] += v * (g[base + j] + gamma * wn[base + j]);
        }
      }
    }
    return a;
  }

  /** {@code ‖X − W H‖²} from the sums: {@code ‖X‖² − 2 tr(Wᵀ X Hᵀ) + tr(WᵀW HHᵀ)}. */
  static double residualSquared(double xNorm, UdasStatistics st, double[] w, int b, int r) {
    double cross = 0;
    for (int c = 0; c < b; c++) {
      for (int s = 0; s < r; s++) {
        cross += w[c * r + s] * st.hx()[s * (b + 1) + c];
      }
    }
    double[] wtw = gram(transpose(w, b, r), r, b);
    double model = 0;
    for (int i = 0; i < wtw.length; i++) {
      model += wtw[i] * st.hh()[i];
    }
    return xNorm - 2 * cross + model;
  }

  /** {@code M Mᵀ} of the R rows of {@code m} (R × B), R × R. */
  static double[] gram(double[] m, int r, int b) {
    double[] g = new double[r * r];
    for (int s = 0; s < r; s++) {
      for (int t = 0; t <= s; t++) {
        double v = 0;
        for (int c = 0; c < b; c++) {
          v += m[s * b + c] * m[t * b + c];
        }
        g[s * r + t] = v;
        g[t * r + s] = v;
      }
    }
    return g;
  }

  static double[] flat(double[][] m) {
    double[] f = new double[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, f, i * m[0].length, m[0].length);
    }
    return f;
  }

  /** The transpose of a row-major rows × cols matrix. */
  static double[] transpose(double[] m, int rows, int cols) {
    double[] t = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = m[i * cols + j];
      }
    }
    return t;
  }

  /** The largest eigenvalue of a symmetric positive semi-definite n × n matrix by power iteration (100 steps). */
  static double largestEigenvalue(double[] m, int n) {
    double[] v = new double[n];
    Arrays.fill(v, 1 / Math.sqrt(n));
    double[] next = new double[n];
    double value = 0;
    for (int it = 0; it < 100; it++) {
      double norm = 0;
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += m[i * n + j] * v[j];
        }
        next[i] = s;
        norm += s * s;
      }
      norm = Math.sqrt(norm);
      if (norm == 0) {
        return 0;
      }
      value = norm;
      for (int i = 0; i < n; i++) {
        v[i] = next[i] / norm;
      }
    }
    return value;
  }
}
