package org.eelsunmix.core;


/**
 * What an unmixing method returns for one spectrum image: the endmember spectra and the abundance maps.
 *
 * @param endmembers R spectra on the image's energy axis
 * @param abundances H × W × R maps
 */
public record Unmixing(Endmembers endmembers, Abundances abundances) {}
