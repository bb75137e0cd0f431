/**
 * The unmixing kernels, each a Spark-free in-memory algorithm with a validating {@code Options} record whose
 * errors name its own parameters: VCA endmembers (Nascimento &amp; Bioucas-Dias, IEEE TGRS 43(4):898–910, 2005),
 * exact FCLS abundances (Heinz &amp; Chang, IEEE TGRS 39(3):529–545, 2001, solved by a primal active-set method),
 * NMF as scikit-learn runs it (Lee &amp; Seung, NIPS 13, 2001, multiplicative updates; Cichocki &amp; Phan,
 * IEICE Trans. Fundamentals E92-A(3):708–721, 2009, coordinate descent; Boutsidis &amp; Gallopoulos 2008, the
 * NNDSVD start), FastICA (Hyvärinen, IEEE TNN 10(3):626–634, 1999), PCA and the scree elbow, HySime subspace
 * identification (Bioucas-Dias &amp; Nascimento, IEEE TGRS 46(8):2435–2445, 2008) and power-law background subtraction (Egerton, <i>Electron
 * Energy-Loss Spectroscopy in the Electron Microscope</i>, 3rd ed., 2011, §4.4).
 *
 * <p>Kernels of the spine: they import {@code core} and {@code linalg} only, never Spark. Whatever a distributed
 * run needs is exposed as per-pixel solvers with their own buffers (e.g. {@code Fcls.Solver}) or as mergeable
 * sufficient statistics ({@code SpectralMoments}, {@code NmfStatistics}, {@code IcaStatistics}) that the Spark
 * adapters in {@code spark.ml} aggregate, so no algorithm is written twice.
 */
package org.eelsunmix.unmix;
