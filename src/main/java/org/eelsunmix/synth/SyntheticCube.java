package org.eelsunmix.synth;

import java.util.Objects;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;

/**
 * One synthetic spectrum image with its ground truth, as made by {@link SyntheticGenerator#generate}.
 *
 * <p>The truth endmembers are scaled by the dose, so the noise-free cube is exactly
 * {@code truthAbundances · truthEndmembers} and {@code image} is that cube with Poisson noise (or, for a
 * noise-free cube, that product itself, rounded to float) — without spectral variability and vacuum; with them the
 * truth stays the reference (unshifted, unscaled) endmembers and the maps ({@link SpectralVariability}).
 *
 * @param image the spectrum image (counts), {@code size × size} pixels
 * @param truthEndmembers the endmembers, scaled to the dose (each sums to the dose over the channels)
 * @param truthAbundances the abundance maps ({@code ≥ 0}, summing to one per pixel)
 * @param seed the replicate seed from which the map and noise streams were derived
 *     ({@link SyntheticGenerator#replicateSeed})
 * @param specimen which pixels hold specimen; vacuum pixels (top rows, {@link Scene#vacuum}) hold only a dark level
 *     and should not be scored (pass {@code specimen().specimen()} to {@code UnmixingScores.score})
 */
public record SyntheticCube(SpectrumImage image, Endmembers truthEndmembers, Abundances truthAbundances,
    long seed, SpecimenMask specimen) {
  /** A cube without vacuum. */
  public SyntheticCube(SpectrumImage image, Endmembers truthEndmembers, Abundances truthAbundances, long seed) {
    this(image, truthEndmembers, truthAbundances, seed, null);
  }

  /** Checks that the parts fit together; a missing mask means all specimen. */
  public SyntheticCube {
    Objects.requireNonNull(image, "image");
    if (specimen == null) {
      specimen = SpecimenMask.none(image.height(), image.width());
    }
    if (specimen.height() != image.height() || specimen.width() != image.width()) {
      throw new IllegalArgumentException("the specimen mask does not fit the image");
    }
    Objects.requireNonNull(truthEndmembers, "truthEndmembers");
    Objects.requireNonNull(truthAbundances, "truthAbundances");
    if (truthAbundances.height() != image.height() || truthAbundances.width() != image.width()
        || truthAbundances.count() != truthEndmembers.count() || truthEndmembers.channels() != image.channels()) {
      throw new IllegalArgumentException(String.format(
          "truth does not fit the image: image %d x %d x %d, abundances %d x %d x %d, endmembers %d x %d",
          image.height(), image.width(), image.channels(), truthAbundances.height(), truthAbundances.width(),
          truthAbundances.count(), truthEndmembers.count(), truthEndmembers.channels()));
    }
  }
}
