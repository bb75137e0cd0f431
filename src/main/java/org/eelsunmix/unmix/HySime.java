package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.linalg.SymmetricEigen;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * HySime, hyperspectral signal subspace identification by minimum error (Bioucas-Dias &amp; Nascimento, IEEE TGRS
 * 46(8):2435–2445, 2008): how many endmembers a spectrum image holds, from the band × band correlation
 * {@code R_y = Σ y yᵀ / N} alone (so a distributed estimate is one aggregation of {@link SpectralMoments}).
 *
 * <ol>
 *   <li><b>Noise</b> (the paper's Algorithm 1, "multiple regression"): band i is regressed on the other bands,
 *   {@code ẑ_i = Z_∂i β_i}, and its noise is the residual {@code ξ_i = z_i − Z_∂i β_i}. With {@code R = Z Zᵀ} and
 *   {@code R' = R⁻¹} the coefficients need no refitting:
 *   <pre>  β_i = ( R'_{∂i,∂i} − R'_{∂i,i} R'_{i,∂i} / R'_{i,i} ) R_{∂i,i}  =  −R'_{∂i,i} / R'_{i,i}</pre>
 *   (one B×B inversion for all bands; the simplification is in {@link #regressionCoefficients}). Every residual is a linear function of the pixel, {@code ξ = Aᵀ y} with
 *   column i of A equal to {@code e_i − β_i} (β_i padded with 0 at i), so the noise correlation is
 *   {@code R_n = Aᵀ R_y A} and the signal correlation {@code R_x = (I − A)ᵀ R_y (I − A)}: still no pixels.</li>
 *   <li><b>Subspace</b>: eigenvectors {@code e_j} of {@code R_x}; signal power {@code p_j = e_jᵀ R_y e_j}, noise
 *   power {@code σ_j² = e_jᵀ R_n e_j}. The mean squared error of projecting onto a subset of these directions is,
 *   up to a constant, {@code Σ_{j in subset} (−p_j + 2 σ_j²)} (the paper's eq. for δ), minimised by taking every
 *   direction with {@code −p_j + 2σ_j² < 0}; their number is the estimate k.</li>
 * </ol>
 *
 * As in the authors' reference code, {@code R_n} gets {@code trace(R_x) / B · 1e-5} added to its diagonal, and R
 * is inverted with a tiny ridge ({@value #RIDGE} × its mean diagonal) so that a constant or empty channel does not
 * make it singular.
 *
 * <p><b>Noise model.</b> The regression assumes noise independent across bands, which Poisson counting noise is;
 * but Poisson noise is signal dependent ({@code var = mean}), and the residuals then carry the pixel-averaged
 * variance. On the built-in synthetic sets at the default dose this suffices (see the tests); the estimate is
 * that of additive noise.
 *
 * @param k the estimated signal-subspace dimension (number of endmembers)
 * @param eigenvalues eigenvalues of {@code R_x}, descending (B)
 * @param signalPower {@code p_j} along each eigenvector, same order
 * @param noisePower {@code σ_j²} along each eigenvector, same order
 * @param noiseVariance estimated noise variance of each channel, the diagonal of {@code R_n} (B)
 */
public record HySime(int k, double[] eigenvalues, double[] signalPower, double[] noisePower, double[] noiseVariance)
    implements Serializable {

  /** Relative ridge added to R before inversion. */
  static final double RIDGE = 1e-10;

  /** The mean-squared-error cost {@code −p_j + 2σ_j²} of keeping direction j. */
  public double[] cost() {
    double[] c = new double[eigenvalues.length];
    for (int j = 0; j < c.length; j++) {
      c[j] = -signalPower[j] + 2 * noisePower[j];
    }
    return c;
  }

  /** Estimates the subspace from accumulated spectra (not modified); needs more pixels than channels. */
  public static HySime fromMoments(SpectralMoments moments) {
    int b = moments.channels();
    if (moments.count() <= b) {
      throw new BadInputException("input dataset", "HySime needs more pixels than channels to regress each channel "
          + "on the others; got " + moments.count() + " pixels of " + b + " channels");
    }
    DMatrixRMaj ry = new DMatrixRMaj(b, b, true, moments.secondMoment());
    DMatrixRMaj beta = regressionCoefficients(ry); // column i: β_i, zero at i
    DMatrixRMaj a = CommonOps_DDRM.identity(b);
    CommonOps_DDRM.subtractEquals(a, beta);
    DMatrixRMaj ryA = new DMatrixRMaj(b, b);
    CommonOps_DDRM.mult(ry, a, ryA);
    DMatrixRMaj rn = new DMatrixRMaj(b, b);
    CommonOps_DDRM.multTransA(a, ryA, rn);
    DMatrixRMaj rx = new DMatrixRMaj(b, b); // (I − A)ᵀ R_y (I − A) = R_y − R_y A − (R_y A)ᵀ + R_n
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        rx.set(i, j, ry.get(i, j) - ryA.get(i, j) - ryA.get(j, i) + rn.get(i, j));
      }
    }
    double[] noiseVariance = new double[b];
    double traceX = 0;
    for (int i = 0; i < b; i++) {
      noiseVariance[i] = rn.get(i, i);
      traceX += rx.get(i, i);
    }
    for (int i = 0; i < b; i++) {
      rn.add(i, i, traceX / b * 1e-5);
    }
    symmetrise(rx);
    SymmetricEigen eig = SymmetricEigen.leading(rx.getData(), b, b);
    double[] p = new double[b];
    double[] s = new double[b];
    int k = 0;
    for (int j = 0; j < b; j++) {
      p[j] = quadratic(ry, eig.vectors()[j]);
      s[j] = quadratic(rn, eig.vectors()[j]);
      if (-p[j] + 2 * s[j] < 0) {
        k++;
      }
    }
    return new HySime(k, eig.values(), p, s, noiseVariance);
  }

  /**
   * The paper's Algorithm 1: column i of the result is β_i (zero in row i), the coefficients of band i regressed on
   * the other bands. Its expression {@code (R'_{∂i,∂i} − R'_{∂i,i} R'_{i,∂i} / R'_{i,i}) R_{∂i,i}} simplifies with
   * {@code R' R = I} (row j ≠ i: {@code Σ_{l≠i} R'_{jl} R_{li} = −R'_{ji} R_{ii}}, row i: {@code 1 − R'_{ii} R_{ii}})
   * to {@code β_i = −R'_{∂i,i} / R'_{i,i}}: one inversion, O(B²) afterwards instead of O(B³) (the tests check it
   * against least squares on the pixels). Package-private for the tests.
   */
  static DMatrixRMaj regressionCoefficients(DMatrixRMaj r) {
    int b = r.numRows;
    double diag = 0;
    for (int i = 0; i < b; i++) {
      diag += r.get(i, i);
    }
    DMatrixRMaj ridged = r.copy();
    for (int i = 0; i < b; i++) {
      ridged.add(i, i, RIDGE * diag / b);
    }
    DMatrixRMaj ri = new DMatrixRMaj(b, b);
    if (!CommonOps_DDRM.invert(ridged, ri)) {
      throw new BadInputException("input dataset", "the channel correlation matrix cannot be inverted");
    }
    DMatrixRMaj beta = new DMatrixRMaj(b, b);
    for (int i = 0; i < b; i++) {
      double rii = ri.get(i, i);
      for (int j = 0; j < b; j++) {
        if (j != i) {
          beta.set(j, i, -ri.get(j, i) / rii);
        }
      }
    }
    return beta;
  }

  private static void symmetrise(DMatrixRMaj m) {
    for (int i = 0; i < m.numRows; i++) {
      for (int j = i + 1; j < m.numCols; j++) {
        double v = 0.5 * (m.get(i, j) + m.get(j, i));
        m.set(i, j, v);
        m.set(j, i, v);
      }
    }
  }

  private static double quadratic(DMatrixRMaj c, double[] v) {
    int b = v.length;
    double[] d = c.getData();
    double s = 0;
    for (int i = 0; i < b; i++) {
      double row = 0;
      for (int j = 0; j < b; j++) {
        row += d[i * b + j] * v[j];
      }
      s += v[i] * row;
    }
    return s;
  }
}
