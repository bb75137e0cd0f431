package org.eelsunmix.synth;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;

/**
 * The ground truth of one synthetic replicate, without its noisy image ({@link SyntheticGenerator#truth}).
 *
 * @param endmembers the endmembers scaled to the dose
 * @param abundances the filtered abundance maps (≥ 0, sum to one per pixel)
 * @param seed the replicate seed
 */
public record SyntheticTruth(Endmembers endmembers, Abundances abundances, long seed) {}
