/**
 * Speed measurements behind {@code eels-unmix bench}: single-core FCLS pixels per second, seconds per distributed
 * NMF iteration and FastICA fit, autoencoder epochs, reader throughput; plain timing loops with warm-up (not JMH)
 * on seeded synthetic data, for orders of magnitude and regressions.
 *
 * <p>Beside the commands at the top of the spine: imports kernels and Spark adapters; only {@code cli} imports it.
 */
package org.eelsunmix.bench;
