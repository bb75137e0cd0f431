package org.eelsunmix.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
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
 * On AVX2 machines the preferred shape is this one, so nothing changes there. The kernels that widen floats to four
 * doubles ({@link #widenFour}: FCLS's row products, the mixture residuals, the SAD loss's rows) load them at this
 * shape too: they loaded 128-bit float vectors, which only convert, but those still entered the shared profile, and
 * in one JVM that ran the classical kernels before a CNNAEU training (as {@code compare} and {@code evaluate} do)
 * the butterflies' stores failed again (k-edges step 0.49 → 0.66–0.69 s, {@code VectorSupport.store} 5.8 % of it).
 *
 * <p>Touched only behind {@link VectorApi#ENABLED}, as every class naming {@code jdk.incubator.vector} types.
 */
public final class FloatLanes {
  /** The float kernels' vector shape: eight floats. */
  public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

  /** Four doubles: what {@link #widenFour} returns. */
  public static final VectorSpecies<Double> FOUR_DOUBLES = DoubleVector.SPECIES_256;
  private static final VectorMask<Float> FIRST_FOUR = VectorMask.fromLong(SPECIES, 0xFL);

  private FloatLanes() {}

  /**
   * {@code a[at .. at + 4)} widened to four doubles, exactly. Loads a whole vector of this shape (the four floats
   * after them are read but unused) or, where that vector would pass the array's end, only the four lanes.
   */
  public static DoubleVector widenFour(float[] a, int at) {
    FloatVector v = at <= a.length - SPECIES.length()
        ? FloatVector.fromArray(SPECIES, a, at)
        : FloatVector.fromArray(SPECIES, a, at, FIRST_FOUR);
    return (DoubleVector) v.convertShape(VectorOperators.F2D, FOUR_DOUBLES, 0);
  }

  /** Whether this machine runs vectors of eight floats natively (else the API would emulate them, slowly). */
  public static boolean usable() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= SPECIES.vectorBitSize();
  }
}
