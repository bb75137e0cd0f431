/**
 * Operations on finished 2-D maps (elemental maps from background subtraction, abundance maps): line profiles
 * across a region, N adjacent rows or columns summed per point, as a microscopist integrates a profile box
 * parallel to an interface.
 *
 * <p>A kernel package: imports {@code core} only and no Spark.
 */
package org.eelsunmix.maps;
