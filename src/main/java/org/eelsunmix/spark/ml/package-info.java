/**
 * Spark ML estimators and models, one per method (VCA-FCLS, NMF, FastICA, PCA/HySime, DAEU, MTAEU, CNNAEU), in
 * the shape of MLlib's {@code PCA}: typed params in shared stage bases, {@code fit} that aggregates the kernel's
 * sufficient statistics with {@code treeAggregate} or trains on a sample, {@code transform} that calls the same
 * per-pixel kernel in each partition, and atomic {@code save}/{@code load} ({@code metadata/} JSON +
 * {@code data/} Parquet). The algorithms and their references live in {@code unmix} and {@code autoencoder}.
 *
 * <p>Spark adapters: import the kernels, {@code core} and {@code spark}, never {@code cli}. Kernel errors reach
 * a Spark user in the kernels' own parameter names.
 */
package org.eelsunmix.spark.ml;
