/**
 * The nightly reprocessing of an acquisition archive through a saved model, as {@code reprocess} runs it:
 * {@link org.eelsunmix.spark.nightly.Reprocessing} (plan from the archive and the ledger, ingest through
 * {@code format("eels")}, apply the model, per-acquisition outputs, ledger entries, report) and
 * {@link org.eelsunmix.spark.nightly.ReprocessLock} (one run per output folder). Above {@code spark},
 * {@code spark.source} and {@code spark.ml}; below {@code cli}, which only parses options and prints.
 */
package org.eelsunmix.spark.nightly;
