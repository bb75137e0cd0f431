package org.eelsunmix.eval;

import org.eelsunmix.core.SpectralAngle;
import java.util.Arrays;
import java.util.Objects;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;

/**
 * The scores of one unmixing result against the ground truth, as reported in the synthetic study of Palsson et
 * al., IEEE Access 2018, §IV: per-endmember spectral angle ({@link SpectralAngle}) and per-map abundance NMSE
 * ({@link Nmse}) after the optimal matching ({@link Matching}), their means, and the reconstruction error
 *
 * <pre>  RMSE = sqrt( mean over pixels and channels of (y − Mᵀa)² )</pre>
 *
 * of the estimated endmembers M and abundances a on the image (in counts).
 *
 * <p>Arrays are indexed by true endmember. Unmatched true endmembers (fewer estimates than true endmembers) have
 * NaN SAD and NMSE and {@code −1} in {@code permutation}; the means are over the matched ones (NaN if none).
 * Arrays are copied in and out.
 *
 * @param sad spectral angle (radians) of each true endmember to its matched estimate
 * @param nmse NMSE of each true abundance map against the matched estimated map
 * @param meanSad mean of the finite {@code sad} entries
 * @param meanNmse mean of the finite {@code nmse} entries
 * @param permutation for each true endmember, the index of the matched estimate (−1: none)
 * @param rmse reconstruction RMSE, NaN when no image was given
 */
public record UnmixingScores(double[] sad, double[] nmse, double meanSad, double meanNmse, int[] permutation,
    double rmse) {

  /** Copies the arrays and checks that they describe the same endmembers. */
  public UnmixingScores {
    sad = sad.clone();
    nmse = nmse.clone();
    permutation = permutation.clone();
    if (sad.length != nmse.length || sad.length != permutation.length) {
      throw new IllegalArgumentException("sad, nmse and permutation must have one entry per true endmember");
    }
  }

  /**
   * Scores an unmixing result.
   *
   * @param truth true endmembers (R)
   * @param truthAbundances true abundance maps (R maps)
   * @param estimated estimated endmembers (R̂, same channels)
   * @param estimatedAbundances estimated maps (R̂ maps, same size as the truth's)
   * @param image the unmixed spectrum image for the RMSE, or {@code null} (RMSE NaN)
   * @throws BadInputException naming the input whose shape does not fit
   */
  public static UnmixingScores score(Endmembers truth, Abundances truthAbundances, Endmembers estimated,
      Abundances estimatedAbundances, SpectrumImage image) {
    Objects.requireNonNull(truth, "truth");
    Objects.requireNonNull(truthAbundances, "truthAbundances");
    Objects.requireNonNull(estimated, "estimated");
    Objects.requireNonNull(estimatedAbundances, "estimatedAbundances");
    if (truthAbundances.count() != truth.count()) {
      throw new BadInputException("true abundances", String.format("%d maps for %d true endmembers",
          truthAbundances.count(), truth.count()));
    }
    if (estimatedAbundances.count() != estimated.count()) {
      throw new BadInputException("estimated abundances", String.format("%d maps for %d estimated endmembers",
          estimatedAbundances.count(), estimated.count()));
    }
    Matching matching = Matching.bySpectralAngle(truth, estimated);
    double[] sad = matching.angles();
    double[] nmse = Nmse.perMap(truthAbundances, estimatedAbundances, matching);
    double rmse = image == null ? Double.NaN : reconstructionRmse(image, estimated, estimatedAbundances);
    return new UnmixingScores(sad, nmse, finiteMean(sad), finiteMean(nmse), matching.estimateOfTrue(), rmse);
  }

  /**
   * {@code sqrt(mean over pixels and channels of (y − Mᵀa)²)} for endmembers M and abundances a on an image.
   *
   * @throws BadInputException naming the image when its channels or pixels do not fit M and a
   */
  public static double reconstructionRmse(SpectrumImage image, Endmembers endmembers, Abundances abundances) {
    int b = image.channels();
    int r = endmembers.count();
    if (endmembers.channels() != b) {
      throw new BadInputException(image.id(), String.format(
          "spectrum image has %d energy channels but the endmembers have %d", b, endmembers.channels()));
    }
    if (abundances.height() != image.height() || abundances.width() != image.width()
        || abundances.count() != r) {
      throw new BadInputException(image.id(), String.format(
          "spectrum image is %d x %d pixels but the abundances are %d x %d maps of %d endmembers (need %d)",
          image.height(), image.width(), abundances.height(), abundances.width(), abundances.count(), r));
    }
    double[][] m = endmembers.matrix();
    float[] data = image.data();
    double[] a = abundances.values();
    double[] fit = new double[b];
    double sum = 0;
    for (int p = 0; p < image.pixels(); p++) {
      Arrays.fill(fit, 0.0);
      for (int k = 0; k < r; k++) {
        double ak = a[p * r + k];
        double[] row = m[k];
        for (int c = 0; c < b; c++) {
          fit[c] += ak * row[c];
        }
      }
      for (int c = 0; c < b; c++) {
        double e = data[p * b + c] - fit[c];
        sum += e * e;
      }
    }
    return Math.sqrt(sum / ((double) image.pixels() * b));
  }

  private static double finiteMean(double[] values) {
    double sum = 0;
    int n = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Mean SAD in degrees, the unit most tables use. */
  public double meanSadDegrees() {
    return Math.toDegrees(meanSad);
  }

  @Override
  public double[] sad() {
    return sad.clone();
  }

  @Override
  public double[] nmse() {
    return nmse.clone();
  }

  @Override
  public int[] permutation() {
    return permutation.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnmixingScores s && Arrays.equals(s.sad, sad) && Arrays.equals(s.nmse, nmse)
        && Double.compare(s.meanSad, meanSad) == 0 && Double.compare(s.meanNmse, meanNmse) == 0
        && Arrays.equals(s.permutation, permutation) && Double.compare(s.rmse, rmse) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(sad), Arrays.hashCode(nmse), meanSad, meanNmse,
        Arrays.hashCode(permutation), rmse);
  }

  @Override
  public String toString() {
    return String.format("UnmixingScores[sad=%s, nmse=%s, meanSad=%g rad, meanNmse=%g, permutation=%s, rmse=%g]",
        Arrays.toString(sad), Arrays.toString(nmse), meanSad, meanNmse, Arrays.toString(permutation), rmse);
  }
}
