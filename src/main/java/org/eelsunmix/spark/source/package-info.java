/**
 * {@code spark.read().format("eels")}: a DataSource V2 that lists spectrum-image files on the driver, surveys their
 * headers and sizes on the executors, and reads them there in tiles through the {@code io} readers, giving pixel
 * rows of {@code spark.PixelSchema} with the energy axis on the spectrum column; strict or lenient stringency.
 *
 * <p>A Spark adapter: imports {@code core}, {@code io} and {@code spark}, never {@code cli}.
 */
package org.eelsunmix.spark.source;
