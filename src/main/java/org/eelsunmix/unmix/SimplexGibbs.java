package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The abundance step of BLU (Dobigeon et al., IEEE TSP 57(11), 2009, §III-A): for a pixel x with Gaussian
 * likelihood {@code ‖x − Σ_r a_r v_r‖² / (2σ²)} and a uniform prior on the simplex, component {@code ℓ} is
 * eliminated ({@code a_ℓ = 1 − Σ_{r≠ℓ} a_r}) and the other K = R − 1 components {@code c} are Gibbs-sampled one at
 * a time from their conditionals, normals truncated to {@code [0, 1 − Σ_{j≠k} c_j]}. With
 * {@code D = [v_r − v_ℓ]_{r≠ℓ}}, the likelihood in c has precision {@code Λ = DᵀD/σ²} and linear term
 * {@code h = Dᵀ(x − v_ℓ)/σ²}, so
 *
 * <pre>  c_k | c_{−k} ~ N((h_k − Σ_{j≠k} Λ_kj c_j) / Λ_kk, 1/Λ_kk) truncated to [0, 1 − Σ_{j≠k} c_j].</pre>
 *
 * Λ is the same for every pixel: it is built once here (per sweep), and the information form needs no inverse at
 * all. (The authors' MATLAB inverts this K × K matrix again for every pixel.) The vertices may live in any space:
 * BLU's fit uses the endmembers' PCA coordinates (K numbers per pixel), the model's apply step the spectra (B).
 * Immutable and serialisable; the per-pixel method allocates nothing.
 */
public final class SimplexGibbs implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int components;
  private final int dims;
  private final int eliminated;
  private final double[] edges; // K × dims: v_idx(i) − v_ℓ
  private final double[] eliminatedVertex; // v_ℓ
  private final double[] precision; // K × K, Λ
  private final double inverseVariance; // 1/σ²

  /**
   * @param vertices R vertices (endmembers) of one dimension
   * @param noiseVariance σ² &gt; 0
   * @param eliminated ℓ, the component written as one minus the others
   */
  public SimplexGibbs(double[][] vertices, double noiseVariance, int eliminated) {
    this.components = vertices.length;
    this.dims = vertices[0].length;
    this.eliminated = eliminated;
    if (components < 2 || eliminated < 0 || eliminated >= components || !(noiseVariance > 0)) {
      throw new IllegalArgumentException("need R >= 2 vertices, 0 <= eliminated < R and a positive variance");
    }
    int k = components - 1;
    this.eliminatedVertex = vertices[eliminated].clone();
    this.edges = new double[k * dims];
    this.inverseVariance = 1 / noiseVariance;
    for (int i = 0; i < k; i++) {
      double[] v = vertices[index(i)];
      for (int d = 0; d < dims; d++) {
        edges[i * dims + d] = v[d] - eliminatedVertex[d];
      }
    }
    this.precision = new double[k * k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double s = 0;
        for (int d = 0; d < dims; d++) {
          s += edges[i * dims + d] * edges[j * dims + d];
        }
        precision[i * k + j] = s * inverseVariance;
      }
    }
  }

  /** R. */
  public int components() {
    return components;
  }

  /** Length of the work buffer {@link #sample} needs. */
  public int workLength() {
    return 2 * (components - 1);
  }

  /**
   * Replaces the abundances {@code a[aOffset .. aOffset + R)} (on the simplex) by the result of {@code passes}
   * Gibbs passes over the K free components, for the pixel {@code x[xOffset .. xOffset + dims)}.
   */
  public void sample(double[] x, int xOffset, double[] a, int aOffset, int passes, KeyedRandom rng,
      double[] work) {
    int k = components - 1;
    // work[0..k): h; work[k..2k): c
    for (int i = 0; i < k; i++) {
      double s = 0;
      int base = i * dims;
      for (int d = 0; d < dims; d++) {
        s += edges[base + d] * (x[xOffset + d] - eliminatedVertex[d]);
      }
      work[i] = s * inverseVariance;
      work[k + i] = a[aOffset + index(i)];
    }
    for (int pass = 0; pass < passes; pass++) {
      for (int i = 0; i < k; i++) {
        double others = 0;
        double cross = 0;
        for (int j = 0; j < k; j++) {
          if (j != i) {
            others += work[k + j];
            cross += precision[i * k + j] * work[k + j];
          }
        }
        double hi = Math.max(0, 1 - others); // rounding may push Σ c a hair above 1
        double p = precision[i * k + i];
        work[k + i] = p > 0 && Double.isFinite(p)
            ? TruncatedNormal.sample(rng, (work[i] - cross) / p, 1 / StrictMath.sqrt(p), 0, hi)
            : hi * rng.nextDouble(); // coincident vertices: the likelihood is flat along this component
      }
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      a[aOffset + index(i)] = work[k + i];
      sum += work[k + i];
    }
    a[aOffset + eliminated] = Math.max(0, 1 - sum);
  }

  /** The component of free coordinate {@code i} (the components other than ℓ, in order). */
  private int index(int i) {
    return i < eliminated ? i : i + 1;
  }
}
