package org.eelsunmix.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector shape of every float kernel that computes lane-wise on the JDK's Vector API: 256 bits, eight floats,
 * on every machine, whatever its widest shape ({@code SPECIES_PREFERRED}, 512 bits with AVX-512).
 *
 * <p>Why one shape: C2 turns a Vector API operation into machine vectors only where it knows the vector's exact
 * class. Inside the larger kernels (the FFT decoder's fused butterflies, {@code autoencoder.SpectrumRowsVector}) it
 * does not always know it and falls back on the type profile of the API's shared methods ({@code FloatVector}'s
 * {@code lanewise}, {@code broadcast}, {@code intoArray}), which every caller in the JVM feeds. With every float
 * kernel at one shape that profile names one class and the vectors compile; with two (the decoder at 256 bits for its
 * rows of 40 and 48 floats, the encoder's transforms, LeakyReLU and RMSprop at the preferred 512 on an AVX-512
 * machine) it names two, the intrinsics fail ("failed to inline (intrinsic)" under {@code -XX:+PrintInlining}) and
 * every vector becomes a heap object: a CNNAEU k-edges training step on one thread 1.74 s against 0.59 s with one
 * shape (AMD EPYC Zen 5, JDK 17.0.15, {@code perf}: 26 % of the step in an out-of-line {@code VectorSupport.store}).
 * On AVX2 machines the preferred shape is this one, so nothing changes there. A 128-bit float vector that is only
 * converted to doubles feeds that profile too: the SAD loss's rows, loaded as four floats, made the butterflies fail
 * when their compilation came after them, so they now load eight ({@code autoencoder.SadRowsVector}). FCLS's row
 * products and the mixture residuals ({@code linalg.DotVector}, {@code unmix.MixtureResidualsVector}) still load four:
 * their four partial sums are the lanes of one 256-bit double vector, and eight-float loads split in halves made
 * FCLS's block solve slower (134–216 → 230–285 ns a pixel, B = 200, {@code FclsThroughput blocks 200 3}). So in a
 * JVM that runs them before a CNNAEU training ({@code compare}, {@code evaluate}) the butterflies can still fail:
 * measured with 40 rounds of the classical kernels' warm-up first, a k-edges step of one thread took 0.52, 0.90 and
 * 1.01 s against 0.49 s without them.
 *
 * <p>Touched only behind {@link VectorApi#ENABLED}, as every class naming {@code jdk.incubator.vector} types.
 */
public final class FloatLanes {
  /** The float kernels' vector shape: eight floats. */
  public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

  private FloatLanes() {}

  /** Whether this machine runs vectors of eight floats natively (else the API would emulate them, slowly). */
  public static boolean usable() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= SPECIES.vectorBitSize();
  }
}
