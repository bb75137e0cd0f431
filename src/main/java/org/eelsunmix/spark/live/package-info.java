/**
 * Live mode at the microscope: one long-lived Spark session watches an acquisition folder and unmixes each
 * acquisition once its files are complete, exactly as the nightly {@code reprocess} would
 * ({@link org.eelsunmix.spark.nightly.Reprocessing}: same ledger, same outputs, same lock), optionally training the
 * model on the first acquisition, and keeps a self-refreshing session page up to date.
 */
package org.eelsunmix.spark.live;
