/**
 * What a person looks at: abundance and RMSE maps as 16-bit TIFF and viridis PNG (the matplotlib colour map of
 * van der Walt &amp; Smith, 2015), spectrum plots, profile CSVs and the HTML summary of a reprocessing run.
 *
 * <p>Spark-free: imports {@code core} and {@code maps}; the {@code reprocess} command feeds it the small,
 * collected per-acquisition results (never the pixel table).
 */
package org.eelsunmix.report;
