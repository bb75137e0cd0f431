/**
 * Scoring of unmixing results against known truth, as in the synthetic study of Palsson et al., IEEE Access
 * 6:25646–25656, 2018, §IV: endmembers matched one-to-one by least total spectral angle (Hungarian method), SAD per
 * endmember, NMSE of the abundance maps and the RMSE of the fit; one replicate run (generate, unmix, score) as a
 * list of long-form metric records, a failure being a record rather than an exception, and mean ± sample-std
 * summaries that merge exactly.
 *
 * <p>Kernel-level and Spark-free: imports {@code core}, {@code linalg}, {@code synth} and {@code unmix}; the
 * {@code evaluate} command runs its replicates as Spark tasks.
 */
package org.eelsunmix.eval;
