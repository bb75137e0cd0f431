/**
 * Readers and writers of the formats microscopists use: Gatan DigitalMicrograph DM3/DM4, HyperSpy {@code .hspy}
 * (HDF5, through jHDF), Ripple/LISPIX {@code .rpl}/{@code .raw}, NumPy {@code .npy} (NEP 1 format) and
 * acquisition folders, EMSA/MSA 1.0 spectra (ISO 22029). Every reader checks its header and sizes before it
 * allocates, returns any range of pixels without holding the image ({@link org.eelsunmix.io.SpectrumSource}),
 * converts numbers through one decoder ({@link org.eelsunmix.io.NumericType}) and refuses a bad file with a
 * {@link org.eelsunmix.core.BadInputException} naming it.
 *
 * <p>A kernel package: imports {@code core} only and no Spark; the {@code format("eels")} data source in
 * {@code spark.source} and the commands call it.
 */
package org.eelsunmix.io;
