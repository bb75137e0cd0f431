package org.eelsunmix.unmix;

import java.util.Locale;
import org.eelsunmix.core.BadInputException;

/**
 * The two NMF update rules of scikit-learn's {@code NMF(solver=...)} (and so of HyperSpy's
 * {@code decomposition(algorithm="NMF")}), both for the Frobenius objective {@code ½‖Y − W H‖²}.
 */
public enum NmfSolver {
  /**
   * Cyclic coordinate descent ("cd", scikit-learn's default): each coefficient in turn is set to the minimiser
   * of the objective along its own axis, clipped at zero — the HALS / fast local rule of Cichocki &amp; Phan,
   * "Fast local algorithms for large scale nonnegative matrix and tensor factorizations", IEICE Trans.
   * Fundamentals E92-A(3):708–721, 2009.
   */
  CD("cd"),
  /**
   * Multiplicative update ("mu"): Lee &amp; Seung, "Algorithms for non-negative matrix factorization", NIPS 13,
   * 2001, {@code W ← W ∘ (Y Hᵀ) / (W H Hᵀ)}, {@code H ← H ∘ (Wᵀ Y) / (Wᵀ W H)}.
   */
  MU("mu");

  private final String cliName;

  NmfSolver(String cliName) {
    this.cliName = cliName;
  }

  /** The name that {@link #byName} accepts. */
  public String cliName() {
    return cliName;
  }

  /** The solver called {@code name} (case-insensitive); anything else is an error naming {@code solver}. */
  public static NmfSolver byName(String name) {
    if (name != null) {
      for (NmfSolver s : values()) {
        if (s.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
          return s;
        }
      }
    }
    throw new BadInputException("solver", "unknown NMF solver '" + name
        + "'; use 'cd' (coordinate descent, the scikit-learn default) or 'mu' (multiplicative update)");
  }
}
