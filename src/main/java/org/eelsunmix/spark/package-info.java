/**
 * The Spark adapters shared by all methods: the pixel-row schema ({@link org.eelsunmix.spark.PixelSchema}, the one
 * definition of the row), the energy axis carried as column metadata, conversions between rows and the
 * {@code core} values, the series store of acquisitions, the abundances table's own Parquet writer
 * ({@link org.eelsunmix.spark.AbundanceTable}, {@link org.eelsunmix.spark.AbundanceFile}), distributed
 * background-subtraction maps, atomic outputs, the processed-files ledger and progress reporting.
 *
 * <p>The middle of the spine: imports the kernel packages ({@code core}, {@code io}, {@code unmix}) and Spark, never
 * {@code cli}. Drivers hold only small matrices; no job collects pixels.
 */
package org.eelsunmix.spark;
