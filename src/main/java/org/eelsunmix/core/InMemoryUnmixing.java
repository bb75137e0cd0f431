package org.eelsunmix.core;

/**
 * An unmixing method run in memory on one spectrum image, as the replicate study runs it inside one Spark task:
 * the in-memory kernel of a method of the registry ({@code org.eelsunmix.spark.ml.UnmixingMethods}), and the
 * reference its distributed estimator is tested against.
 */
public interface InMemoryUnmixing {
  /** The method's name, as on the command line and in result tables. */
  String name();

  /** Unmixes {@code image} into {@code endmembers} components with the given seed. */
  Unmixing unmix(SpectrumImage image, int endmembers, long seed);
}
