package org.eelsunmix.synth;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;

/**
 * The ground truth of one synthetic replicate, without its noisy image ({@link SyntheticGenerator#truth}).
 *
 * @param endmembers the endmembers scaled to the dose
 * @param abundances the filtered abundance maps (≥ 0, sum to one per pixel)
 * @param seed the replicate seed
 * @param specimen which pixels hold specimen (the others are vacuum, {@link Scene#vacuum})
 */
public record SyntheticTruth(Endmembers endmembers, Abundances abundances, long seed, SpecimenMask specimen) {
  /** Defaults a missing mask to all specimen. */
  public SyntheticTruth {
    if (specimen == null) {
      specimen = SpecimenMask.none(abundances.height(), abundances.width());
    }
  }

  /** A truth without vacuum. */
  public SyntheticTruth(Endmembers endmembers, Abundances abundances, long seed) {
    this(endmembers, abundances, seed, null);
  }
}
