/**
 * Synthetic spectrum images with known truth, seeded and bit-reproducible: chequerboard abundance maps mixed by a
 * moving-average filter with mirrored borders (the protocol of Palsson et al., IEEE Access 6:25646–25656, 2018,
 * §IV), linear mixing, Poisson shot noise (Devroye 1986 inversion; Hörmann 1993 PTRS), and EELS endmember spectra
 * built from textbook components (power-law background, hydrogenic edges, peaks; Egerton, 3rd ed., 2011,
 * §3.5–3.8, §4.4) or read from EMSA/MSA files.
 *
 * <p>A kernel package: imports {@code core} and {@code io} (for the endmember files), never Spark.
 */
package org.eelsunmix.synth;
