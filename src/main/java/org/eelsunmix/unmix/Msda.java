package org.eelsunmix.unmix;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_MT_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Stacked linear marginalised denoising autoencoders (mSDA; Chen, Xu, Weinberger &amp; Sha, ICML 2012), as uDAS
 * uses them to denoise (Qu &amp; Qi, IEEE TGRS 57(3), 2019, §III-A). With {@code x̄ = [x; 1]} (B + 1 values, a
 * bias row), scatter {@code S = Σ x̄ x̄ᵀ}, corruption probability p, {@code q = (1−p, …, 1−p, 1)} (the bias is
 * never corrupted) and ridge λ on the B data entries, one layer's expected-corruption least squares map is
 *
 * <pre>  W = P M⁻¹,   P = S[0..B, :] diag(q),   M = diag(q) S diag(q) + E,   E_ii = q_i(1 − q_i) S_ii + λ_i</pre>
 *
 * (B × (B + 1)); the layer outputs {@code h = (1−p) W x̄}. The layers are linear (the uDAS code keeps mSDA's
 * tanh commented out), so every layer's scatter follows from the previous one without another pass over the
 * pixels: {@code S' = T S Tᵀ} with {@code T = [(1−p) W; e_bᵀ]}, and {@code W S} comes from {@code W M = P} in
 * O(B²): {@code (1−p) W S = (P − W E) diag(q)⁻¹ − p w_b S[b, :]} (w_b the bias column). So the whole stack needs
 * one aggregated (B + 1)² scatter; per layer the driver does one Cholesky solve and two (B + 1)³ products
 * (EJML, multi-threaded). The composite map {@code G} (B × (B + 1), denoised {@code = G x̄}) is kept for the
 * initialisation, and {@link #lastLayer()} is uDAS's denoising operator W_n.
 */
public final class Msda implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final int channels;
  private final double[] composite;
  private final double[] lastLayer;

  private Msda(int channels, double[] composite, double[] lastLayer) {
    this.channels = channels;
    this.composite = composite;
    this.lastLayer = lastLayer;
  }

  /**
   * Fits {@code layers} layers from the scatter of the input with its bias row.
   *
   * @param scatter {@code Σ x̄ x̄ᵀ}, row-major (B + 1)², the bias last (not modified)
   * @param channels B
   * @param layers ≥ 1
   * @param corruption p in [0, 1)
   * @param ridge λ ≥ 0 (with λ = 0 the scatter must be positive definite)
   */
  public static Msda fit(double[] scatter, int channels, int layers, double corruption, double ridge) {
    int b = channels;
    int n = b + 1;
    double c = 1 - corruption;
    DMatrixRMaj s = DMatrixRMaj.wrap(n, n, scatter.clone());
    // G₀ = [I | 0]: the identity on the data entries.
    DMatrixRMaj g = new DMatrixRMaj(b, n);
    for (int i = 0; i < b; i++) {
      g.set(i, i, 1);
    }
    DMatrixRMaj w = new DMatrixRMaj(b, n);
    DMatrixRMaj wt = new DMatrixRMaj(n, b);
    DMatrixRMaj m = new DMatrixRMaj(n, n);
    DMatrixRMaj pt = new DMatrixRMaj(n, b);
    DMatrixRMaj ws = new DMatrixRMaj(b, n);
    DMatrixRMaj wx = new DMatrixRMaj(b, b);
    double[] e = new double[n];
    double[] q = new double[n];
    for (int layer = 0; layer < layers; layer++) {
      for (int i = 0; i < n; i++) {
        q[i] = i < b ? c : 1;
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          m.set(i, j, q[i] * q[j] * s.get(i, j));
        }
        e[i] = i < b ? q[i] * (1 - q[i]) * s.get(i, i) + ridge : 0;
        m.add(i, i, e[i]);
      }
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < n; j++) {
          pt.set(j, i, s.get(i, j) * q[j]);
        }
      }
      LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_MT_DDRM.chol(n);
      if (!solver.setA(m)) {
        throw new IllegalStateException("the mSDA system of layer " + (layer + 1) + " is not positive definite");
      }
      solver.solve(pt, wt); // M Wᵀ = Pᵀ (M symmetric)
      CommonOps_MT_DDRM.transpose(wt, w);
      // (1−p) W S = (P − W E) diag(q)⁻¹ − p w_b S[b, :], from W M = P (see the class comment).
      for (int i = 0; i < b; i++) {
        double wb = w.get(i, b);
        for (int j = 0; j < n; j++) {
          double p = s.get(i, j) * q[j];
          ws.set(i, j, (p - w.get(i, j) * e[j]) / q[j] - corruption * wb * s.get(b, j));
        }
      }
      // Next scatter: data block (1−p) W S (1−p) Wᵀ, bias column (1−p) W S e_b, bias entry unchanged.
      DMatrixRMaj wScaledT = wt.copy();
      org.ejml.dense.row.CommonOps_DDRM.scale(c, wScaledT);
      CommonOps_MT_DDRM.mult(ws, wScaledT, wx);
      DMatrixRMaj next = new DMatrixRMaj(n, n);
      for (int i = 0; i < b; i++) {
        for (int j = 0; j <= i; j++) {
          double v = 0.5 * (wx.get(i, j) + wx.get(j, i)); // symmetric up to rounding: keep it exactly so
          next.set(i, j, v);
          next.set(j, i, v);
        }
        next.set(i, b, ws.get(i, b));
        next.set(b, i, ws.get(i, b));
      }
      next.set(b, b, s.get(b, b));
      s = next;
      // Composite map: G ← (1−p) W [G; e_bᵀ].
      DMatrixRMaj lifted = new DMatrixRMaj(n, n);
      System.arraycopy(g.data, 0, lifted.data, 0, b * n);
      lifted.set(b, b, 1);
      DMatrixRMaj gn = new DMatrixRMaj(b, n);
      CommonOps_MT_DDRM.mult(c, w, lifted, gn);
      g = gn;
    }
    org.ejml.dense.row.CommonOps_DDRM.scale(c, w);
    return new Msda(b, g.data, w.data);
  }

  /** B. */
  public int channels() {
    return channels;
  }

  /** The composite map G of the whole stack, row-major B × (B + 1): the denoised spectrum is {@code G x̄}. */
  public double[] composite() {
    return composite;
  }

  /**
   * The last layer's own map {@code (1−p) W_L}, row-major B × (B + 1): uDAS's denoising operator W_n, applied in
   * the decoder step to the noisy input {@code [x; 1]} as the authors' code does.
   */
  public double[] lastLayer() {
    return lastLayer;
  }

  /** {@code out = G [x·scale; 1]} for the counts {@code y[offset .. offset + B)}; allocates nothing. */
  public void denoise(float[] y, int offset, double scale, float[] out, int outOffset) {
    int b = channels;
    int n = b + 1;
    for (int i = 0; i < b; i++) {
      int base = i * n;
      double v = composite[base + b];
      for (int j = 0; j < b; j++) {
        v += composite[base + j] * (y[offset + j] * scale);
      }
      out[outOffset + i] = (float) v;
    }
  }
}
