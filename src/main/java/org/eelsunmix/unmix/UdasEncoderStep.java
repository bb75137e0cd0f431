package org.eelsunmix.unmix;

import java.util.function.Function;

/**
 * uDAS's encoder step solved to a tolerance: a proximal Newton method (Lee, Sun &amp; Saunders, "Proximal
 * Newton-type methods for minimizing composite functions", SIAM J. Optim. 24(3), 2014) on
 *
 * <pre>  J(Z) = f(Z) + λ Σ_r ‖Z_r‖,   f = (1/N) Σ_p ℓ(x_p),   W1 = Z L⁻¹</pre>
 *
 * in the whitened coordinates of {@link UdasWhitening} (ℓ the pixel loss of {@link UdasEncoderPass}, with
 * {@code h = relu(Z x̃)}, {@code x̃ = L⁻¹x}, {@code (1/N) Σ x̃x̃ᵀ = I}).
 *
 * <p><b>The model.</b> Where every unit is active, f is exactly quadratic in Z with Hessian {@code K ⊗ I},
 * {@code K = C + δ²11ᵀ} (R × R), because the whitened pixels have identity second moment. Each step minimises the
 * model {@code ⟨∇f, Y − Z⟩ + ½ tr((Y − Z)ᵀ K (Y − Z)) + λ Σ ‖Y_r‖} — a group lasso whose rows are coupled only
 * through the R × R matrix K — by block coordinate descent over the rows, each block exact:
 * {@code Y_r = shrink(b_r − Σ_{s≠r} K_rs Y_s, λ) / K_rr} with {@code b = K Z − ∇f} and
 * {@code shrink(v, λ) = v · max(0, 1 − λ/‖v‖)} (exact zero rows). The sweeps cost R²B flops on the driver and
 * stop when no entry moves by more than 1e-12 of the largest, or after {@link #MODEL_SWEEPS}.
 *
 * <p><b>The damping.</b> relu makes f only piecewise quadratic and K is not a bound on its curvature: where a
 * unit is switched off for some pixels, a direction along which K is nearly flat (two similar endmembers, or the
 * δ row's 11ᵀ cancelling) can have a curvature near K's largest. The model is therefore damped,
 * {@code K + μI} (Levenberg–Marquardt), and the candidate Y is accepted when {@code J(Y) ≤ J(Z) + σ D},
 * σ = 1e-4, {@code D = ⟨∇f, Y − Z⟩ + λ(Σ‖Y_r‖ − Σ‖Z_r‖) < 0} (the sufficient decrease of Lee et al.), and J
 * actually falls; otherwise μ grows tenfold and the model is solved again ({@link #RETRIES} at most). After a
 * first-try acceptance μ shrinks fourfold; μ carries over to the next outer iteration. With μ ≥ λ_max(K) the
 * damped model majorises f wherever f is smooth (the whitened pixels' second moment is I), so a large enough μ
 * always descends. Each candidate costs one pixel pass (loss and gradient together).
 *
 * <p><b>Stopping: a tolerance, not a count.</b> The step ends when the model predicts a decrease
 * {@code −D ≤ }{@link #TOLERANCE}{@code · (|J| + λΣ‖Z_r‖)}, when no candidate lowers J (stationary to the sums'
 * rounding), or at the cap of {@link Udas.Options#encoderSteps()} accepted steps, which bounds the Spark jobs: at
 * most {@code encoderSteps · (1 + failed tries)} passes per outer iteration. Measured on co-ru-pt 32 × 32
 * (R = 4, seed 3, the paper's λ, the unweighted objective of the earlier code): J after the first encoder step
 * −4.2054 with 20 Newton steps (about 1.3 passes each), against −3.3792 for the earlier 5 proximal-gradient steps
 * and −3.7612 for 2 000 of them; after 10 outer iterations −4.20752 (20-step cap), −4.20759 (50-step cap),
 * against −3.5391 (5 steps) and −3.9325 (2 000 steps). With R = 3 it meets the tolerance in 13 steps in the first
 * round and in none after; with R = 4 (two nearly interchangeable endmembers) the cap is reached every round, J
 * still falling by about 3e-5 per round.
 *
 * <p><b>Why not the 1/L proximal gradient of earlier versions.</b> There L was
 * {@code λ_max(C + δ²11ᵀ)·λ_max(XXᵀ/N)}; EELS spectra spread the eigenvalues of XXᵀ/N over many decades, so
 * the steps along the weak directions (the ones that tell endmembers apart) were tiny: 5 steps per round moved W1
 * little from its start H pinv(X) and the l2,1 shrinkage of a row per step was only tλ. Whitening removes the data
 * part of the conditioning, and the Newton model removes the R × R part (δ² = 400 against WᵀW).
 *
 * <p><b>The penalty is on Z's rows.</b> {@code ‖Z_r‖ = (mean_p (W1_r x_p)²)^½}, the RMS pre-activation of unit r:
 * a row of Z is zero exactly when that of W1 is, so the superfluous-endmember check reads the same; the weight of
 * each direction differs from the paper's {@code ‖W1_r‖} (which penalises the encoder's coefficients per unit of
 * normalised count, so its scale depends on B and on the spectra's spread), and λ is now in units of the loss per
 * unit of abundance, independent of how the counts were normalised.
 */
final class UdasEncoderStep {
  /** Relative predicted decrease below which the encoder subproblem counts as solved. */
  static final double TOLERANCE = 1e-7;
  /** Tenfold dampings of one Newton step before it gives up (W1 stationary to the sums' rounding). */
  static final int RETRIES = 30;
  /** Block-coordinate sweeps of the model at most. */
  static final int MODEL_SWEEPS = 20_000;
  private static final double ARMIJO = 1e-4;

  private final UdasWhitening whitening;
  private final double[] k;
  private final int r;
  private final int b;
  private final long n;
  private final double lambda;

  /**
   * @param whitening the data's whitening
   * @param c C = (1 + γ)WᵀW, R × R
   * @param delta δ of the sum-to-one row
   * @param lambda λ of the penalty on Z's rows
   */
  UdasEncoderStep(UdasWhitening whitening, double[] c, double delta, double lambda, int r, int b, long n) {
    this.whitening = whitening;
    this.k = c.clone();
    for (int i = 0; i < k.length; i++) {
      k[i] += delta * delta;
    }
    this.r = r;
    this.b = b;
    this.n = n;
    this.lambda = lambda;
    this.largest = UdasFit.largestEigenvalue(k, r);
    this.floor = 1e-12 * largest;
  }

  /** λ_max(K): with μ ≥ it the damped model majorises f wherever f is smooth. */
  final double largest;
  private final double floor;

  /**
   * The encoder and the statistics of one pass at it, J there, J at the start and the Newton steps accepted.
   */
  record State(double[] encoder, UdasStatistics stats, double objective, double startObjective, int accepted,
      double damping) {}

  /**
   * Runs the method from W1 = {@code start}, at most {@code maxSteps} Newton steps; {@code pass} is one encoder
   * pass over the pixels (loss and gradient) at a given W1.
   */
  State run(double[] start, int maxSteps, double damping, Function<double[], UdasStatistics> pass) {
    double[] w1 = start;
    double[] z = whitening.whiten(w1, r);
    UdasStatistics st = pass.apply(w1);
    double penalty = UdasFit.l21(z, r, b);
    double objective = st.loss() / n + lambda * penalty;
    double startObjective = objective;
    double mu = damping > 0 ? Math.max(damping, floor) : 1e-4 * largest;
    int taken = 0;
    for (int step = 0; step < maxSteps; step++) {
      double[] grad = st.gradient().clone();
      for (int i = 0; i < grad.length; i++) {
        grad[i] /= n;
      }
      double[] g = whitening.gradientToWhite(grad, r);
      boolean accepted = false;
      boolean solved = false;
      int trial = 0;
      for (; trial <= RETRIES && !accepted && !solved; trial++) {
        double[] y = modelMinimiser(z, g, mu);
        double trialPenalty = UdasFit.l21(y, r, b);
        double predicted = lambda * (trialPenalty - penalty);
        for (int i = 0; i < y.length; i++) {
          predicted += g[i] * (y[i] - z[i]);
        }
        if (!(-predicted > TOLERANCE * (Math.abs(objective) + lambda * penalty))) {
          solved = true; // the model sees no decrease worth a pass: the subproblem is solved
          break;
        }
        double[] wt = whitening.unwhiten(y, r);
        UdasStatistics trialStats = pass.apply(wt);
        double trialObjective = trialStats.loss() / n + lambda * trialPenalty;
        if (trialObjective <= objective + ARMIJO * predicted && trialObjective < objective) {
          accepted = true;
          z = y;
          w1 = wt;
          st = trialStats;
          penalty = trialPenalty;
          objective = trialObjective;
        } else {
          mu = Math.max(10 * mu, floor); // the model was too flat where units switch: damp it
        }
      }
      if (!accepted) {
        break; // solved, or no step lowers J from here (to the sums' rounding)
      }
      if (trial == 1) {
        mu = Math.max(mu / 4, floor);
      }
      taken++;
    }
    return new State(w1, st, objective, startObjective, taken, mu);
  }

  /** The model's minimiser from Z by exact block-coordinate descent over the rows (see the class comment). */
  double[] modelMinimiser(double[] z, double[] g, double mu) {
    double[] target = new double[r * b];
    for (int s = 0; s < r; s++) {
      for (int t = 0; t < r; t++) {
        double kst = k[s * r + t];
        for (int j = 0; j < b; j++) {
          target[s * b + j] += kst * z[t * b + j];
        }
      }
      for (int j = 0; j < b; j++) {
        target[s * b + j] += mu * z[s * b + j] - g[s * b + j];
      }
    }
    double[] y = z.clone();
    double[] v = new double[b];
    for (int sweep = 0; sweep < MODEL_SWEEPS; sweep++) {
      double moved = 0;
      double size = 0;
      for (int s = 0; s < r; s++) {
        double norm = 0;
        for (int j = 0; j < b; j++) {
          double x = target[s * b + j];
          for (int t = 0; t < r; t++) {
            if (t != s) {
              x -= k[s * r + t] * y[t * b + j];
            }
          }
          v[j] = x;
          norm += x * x;
        }
        norm = Math.sqrt(norm);
        double f = norm > lambda ? (1 - lambda / norm) / (k[s * r + s] + mu) : 0;
        for (int j = 0; j < b; j++) {
          double next = v[j] * f;
          moved = Math.max(moved, Math.abs(next - y[s * b + j]));
          size = Math.max(size, Math.abs(next));
          y[s * b + j] = next;
        }
      }
      if (moved <= 1e-12 * size) {
        break;
      }
    }
    return y;
  }
}
