package org.eelsunmix.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one double vector shape of a JVM's kernels: the machine's widest ({@code SPECIES_PREFERRED}, 512 bits with
 * AVX-512, 256 with AVX2), never two. The kernels whose lanes are partial sums ({@link Dot}'s row products, the
 * mixture residuals of FCLS and NMF) keep eight of them, whatever the shape: one 512-bit vector ({@link #WIDE}), or
 * two of 256 bits holding lanes 0–3 and 4–7, the same operations per lane, so the same bits on every machine.
 *
 * <p>Why: C2 turns a Vector API operation into machine vectors only where it knows the vector's exact class, and
 * where it does not it falls back on the type profile of the API's shared methods, which every caller in the JVM
 * feeds (as for floats, {@link FloatLanes}). The B × B moments, VCA's projection and NMF's lanes run at the preferred
 * 512 bits on AVX-512; FCLS's row products and the mixture residuals ran at 256. Run after the moments (as every
 * VCA-FCLS fit runs them), FCLS's block solve on a co-ru-pt cube allocated 3 744 bytes a pixel of boxed vectors and
 * took 434–470 ns a pixel against 236–245 ns and nothing allocated without the moments before it (a scratch loop,
 * {@code ThreadMXBean.getThreadAllocatedBytes}; JFR put the allocations in {@code DotVector.unrolledPairTwice} and
 * {@code MixtureResidualsVector.three}): at 4.2 M pixels the restarts' FCLS pass made tens of gigabytes of garbage,
 * and its fresh memory was much of that pass's system time.
 *
 * <p>Touched only behind {@link VectorApi#ENABLED}, as every class naming {@code jdk.incubator.vector} types.
 */
public final class DoubleLanes {
  /** Whether this machine's preferred double vector holds eight doubles (one vector for eight partial sums). */
  public static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

  /** Eight doubles: the widened float vector of {@link FloatLanes#SPECIES}, used only where {@link #WIDE}. */
  public static final VectorSpecies<Double> EIGHT = DoubleVector.SPECIES_512;

  private DoubleLanes() {}

  /**
   * Whether this machine's vectors hold at least four doubles, so that the kernels of eight partial sums run as
   * machine vectors (else the API would emulate them, slowly, and the scalar twins are used).
   */
  public static boolean usable() {
    return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
  }

  /** The eight floats of {@code v} as eight doubles, exactly (only where {@link #WIDE}). */
  public static DoubleVector eight(FloatVector v) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, EIGHT, 0);
  }
}
