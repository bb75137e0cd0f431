/**
 * The unmixing autoencoders on DL4J, trained and applied in memory on one spectrum image: DAEU (Palsson,
 * Sigurdsson, Sveinsson &amp; Ulfarsson, IEEE Access 6:25646–25656, 2018), MTAEU (Palsson, Sveinsson &amp;
 * Ulfarsson, IEEE Access 7:148861–148872, 2019) and CNNAEU (Palsson, Ulfarsson &amp; Sveinsson, IEEE TGRS
 * 59(1):535–549, 2021): encoders ending in a sum-to-one softmax, a linear non-negative decoder whose weights are
 * the endmembers, and the spectral-angle loss with a hand-written gradient; plus the options records, training
 * windows, and the fused encoder layers whose forward and backward passes are plain-Java kernels (batch
 * normalisation after Ioffe &amp; Szegedy, ICML 2015), and CNNAEU's fused convolutions (im2col + one BLAS GEMM
 * per patch, the patches over both cores: {@code SameConvolution}, {@code FusedConvolution}; the encoder's 3×3 by
 * Winograd, the decoder by FFT; a batch's first convolution once over the canvas its overlapping patches lie on,
 * {@code PatchCanvas}, {@code CanvasConvolution}).
 *
 * <p>A kernel package: imports {@code core} only and no Spark. With the Spark autoencoder stages of
 * {@code spark.ml} it is the only place DL4J and ND4J are imported.
 */
package org.eelsunmix.autoencoder;
