package org.eelsunmix.spark.ml;

import java.util.Map;
import java.util.function.Supplier;
import org.eelsunmix.core.InMemoryUnmixing;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.Unmixing;

/**
 * One entry of the method registry ({@link UnmixingMethods}): everything the commands need to know of a method,
 * in one place. The method's options are its estimator's Spark ML params (names, docs, defaults, validators);
 * the command line and the study files map their option names onto them ({@link MethodParams}).
 *
 * @param name the name on the command line and in result tables ({@code vca-fcls}, {@code nmf}, …)
 * @param summary one line on what the method does, for {@code --help} and {@code eels-unmix methods}
 * @param reference the paper(s) it implements
 * @param estimator a new estimator with the method's defaults (the distributed fit, and the in-memory fit
 *     {@link UnmixingEstimator#fitInMemory})
 */
public record UnmixingMethod(String name, String summary, String reference,
    Supplier<UnmixingEstimator<?, ?>> estimator) implements InMemoryUnmixing {

  /**
   * The in-memory fit of one image at the method's reference settings (the estimator's defaults and those of
   * {@link MethodParams#defaultOf}): what {@code evaluate --method} runs.
   */
  @Override
  public Unmixing unmix(SpectrumImage image, int endmembers, long seed) {
    return MethodParams.configure(name, endmembers, seed, Map.of(), name).fitInMemory(image);
  }

  /** A new estimator of this method with its defaults. */
  public UnmixingEstimator<?, ?> newEstimator() {
    return estimator.get();
  }
}
