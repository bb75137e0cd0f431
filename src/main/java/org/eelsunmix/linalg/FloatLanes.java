package org.eelsunmix.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
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
 * On AVX2 machines the preferred shape is this one, so nothing changes there. A 128-bit float vector that is only
 * converted to doubles feeds that profile too: in a JVM that ran the classical kernels before a CNNAEU training (as
 * {@code compare} and {@code evaluate} do), FCLS's row products and the mixture residuals, which loaded four floats at
 * a time, made the butterflies fail again (k-edges step 0.52, 0.90, 1.01 s against 0.49 s). So the kernels that widen
 * floats to four doubles load eight at a time and take both halves ({@link #lowFour}, {@link #highFour}; until
 * stop 31 a group of four left at a row's end took the upper half of the vector ending with it): the same operations in the same order, and FCLS's block solve as fast as
 * before or faster ({@code FclsThroughput blocks}, thread CPU: B = 200 141–201 against 137–225 ns a pixel, B = 903
 * 1 052–1 143 against 1 245–1 801), where one overlapping eight-float load per group of four made it 1.7× slower
 * and a masked load at each row's end 5×. The double kernels have their own one shape, the machine's widest
 * ({@link DoubleLanes}); where that is 256 bits the widened halves come from {@link #lowFour} and {@link #highFour}.
 *
 * <p>Touched only behind {@link VectorApi#ENABLED}, as every class naming {@code jdk.incubator.vector} types.
 */
public final class FloatLanes {
  /** The float kernels' vector shape: eight floats. */
  public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

  /** Four doubles: the widened halves of one float vector. */
  public static final VectorSpecies<Double> FOUR_DOUBLES = DoubleVector.SPECIES_256;

  private FloatLanes() {}

  /** Lanes 0–3 of {@code v} as four doubles, exactly. */
  public static DoubleVector lowFour(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, FOUR_DOUBLES, 0);
  }

  /** Lanes 4–7 of {@code v} as four doubles, exactly. */
  public static DoubleVector highFour(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, FOUR_DOUBLES, 1);
  }

  /** Whether this machine runs vectors of eight floats natively (else the API would emulate them, slowly). */
  public static boolean usable() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= SPECIES.vectorBitSize();
  }
}
