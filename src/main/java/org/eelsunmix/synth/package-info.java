/**
 * Synthetic spectrum images with known truth, seeded and bit-reproducible: chequerboard abundance maps mixed by a
 * moving-average filter with mirrored borders (the protocol of Palsson et al., IEEE Access 6:25646–25656, 2018,
 * §IV), linear mixing, Poisson shot noise (Devroye 1986 inversion; Hörmann 1993 PTRS), and EELS endmember spectra
 * built from textbook components (power-law background, hydrogenic edges, peaks; Egerton, 3rd ed., 2011,
 * §3.5–3.8, §4.4) or read from EMSA/MSA files. Harder data on request: layered-interface maps with a one-sidedly
 * diffused thin layer ({@link org.eelsunmix.synth.LayeredMaps}), spectral variability after the extended linear
 * mixing model of Drumetz et al., IEEE TIP 25(8), 2016 ({@link org.eelsunmix.synth.SpectralVariability}) and vacuum
 * rows ({@link org.eelsunmix.synth.SpecimenMask}).
 *
 * <p>A kernel package: imports {@code core} and {@code io} (for the endmember files), never Spark.
 */
package org.eelsunmix.synth;
