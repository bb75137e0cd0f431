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
 * noise-free cube, that product itself, rounded to float).
 *
 * @param image the spectrum image (counts), {@code size × size} pixels
 * @param truthEndmembers the endmembers, scaled to the dose (each sums to the dose over the channels)
 * @param truthAbundances the abundance maps ({@code ≥ 0}, summing to one per pixel)
 * @param seed the replicate seed from which the map and noise streams were derived
 *     ({@link SyntheticGenerator#replicateSeed})
 */
public record SyntheticCube(SpectrumImage image, Endmembers truthEndmembers, Abundances truthAbundances,
    long seed) {
  /** Checks that the three parts fit together. */
  public SyntheticCube {
    Objects.requireNonNull(image, "image");
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
