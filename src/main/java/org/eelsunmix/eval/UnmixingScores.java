package org.eelsunmix.eval;

import org.eelsunmix.core.SpectralAngle;
import java.util.Arrays;
import java.util.Objects;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.Unmixing;
import org.eelsunmix.synth.SyntheticCube;

/**
 * The scores of one unmixing result against the ground truth, as reported in the synthetic study of Palsson et
 * al., IEEE Access 2018, §IV: per-endmember spectral angle ({@link SpectralAngle}) and per-map abundance NMSE
 * ({@link Nmse}) after the optimal matching ({@link Matching}), their means, and the reconstruction error
 *
 * <pre>  RMSE = sqrt( mean over pixels and channels of (y − Mᵀa)² )</pre>
 *
 * of the estimated endmembers M and abundances a on the image (in counts).
 *
 * <p><b>Vacuum.</b> A synthetic image may have pixels without specimen (vacuum, {@code SyntheticCube.specimen()}):
 * there the true abundances mean nothing, so with a specimen mask the abundance NMSE is taken over the specimen
 * pixels only. SAD does not depend on pixels, and the RMSE stays over all pixels: it measures how well the fitted
 * model explains the data the method was given, vacuum included. Without a mask (or with an all-specimen mask) the
 * scores are those of the whole image.
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
    return score(truth, truthAbundances, estimated, estimatedAbundances, image, null);
  }

  /**
   * Scores the unmixing {@code u} of a synthetic cube against its ground truth, the abundance NMSE over the cube's
   * specimen pixels (its vacuum rows left out), the RMSE against the cube's counts: how every study unit is scored.
   */
  public static UnmixingScores of(SyntheticCube cube, Unmixing u) {
    return score(cube.truthEndmembers(), cube.truthAbundances(), u.endmembers(), u.abundances(), cube.image(),
        cube.specimen().specimen());
  }

  /**
   * Scores an unmixing result with the abundance NMSE over the specimen pixels only (see the class comment).
   *
   * @param specimen one flag per pixel, row-major, true where the specimen is; null: every pixel
   * @throws BadInputException naming the mask when its length is not the number of pixels or it has no specimen
   */
  public static UnmixingScores score(Endmembers truth, Abundances truthAbundances, Endmembers estimated,
      Abundances estimatedAbundances, SpectrumImage image, boolean[] specimen) {
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
    // Maps of different sizes are refused by Nmse on the whole maps, before any pixel is dropped.
    boolean sameSize = truthAbundances.height() == estimatedAbundances.height()
        && truthAbundances.width() == estimatedAbundances.width();
    double[] nmse = specimen == null || !sameSize ? Nmse.perMap(truthAbundances, estimatedAbundances, matching)
        : Nmse.perMap(specimenOnly(truthAbundances, specimen), specimenOnly(estimatedAbundances, specimen), matching);
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

  /** The maps of the specimen pixels, as one row; the maps themselves when every pixel is specimen. */
  private static Abundances specimenOnly(Abundances maps, boolean[] specimen) {
    if (specimen.length != maps.pixels()) {
      throw new BadInputException("specimen mask", String.format("%d flags for %d x %d pixels", specimen.length,
          maps.height(), maps.width()));
    }
    int n = 0;
    for (boolean s : specimen) {
      n += s ? 1 : 0;
    }
    if (n == 0) {
      throw new BadInputException("specimen mask", "no specimen pixel to score");
    }
    if (n == specimen.length) {
      return maps;
    }
    int r = maps.count();
    double[] all = maps.values();
    double[] kept = new double[n * r];
    int k = 0;
    for (int p = 0; p < specimen.length; p++) {
      if (specimen[p]) {
        System.arraycopy(all, p * r, kept, k * r, r);
        k++;
      }
    }
    return new Abundances(1, n, r, kept);
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
