package org.eelsunmix.spark.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params every unmixing estimator and model shares, as MLlib's {@code HasInputCol}, {@code HasOutputCol},
 * {@code HasSeed} traits and {@code PCAParams}' {@code k}: R, the seed and the three column names, with their typed
 * getters. {@link UnmixingEstimator} and {@link UnmixingModel} hold the params (Java interfaces hold no fields).
 */
public interface UnmixingParams extends Params {
  /** Number of endmembers R (&gt;= 1). */
  IntParam numEndmembers();

  /** Random seed of the fit. */
  LongParam seed();

  /** Spectrum column read: array&lt;float&gt; or array&lt;double&gt;. */
  Param<String> inputCol();

  /** Abundances column written: array&lt;double&gt;, R values. */
  Param<String> outputCol();

  /** Per-pixel reconstruction RMSE column written (double). */
  Param<String> rmseCol();

  default int getNumEndmembers() {
    return (Integer) getOrDefault(numEndmembers());
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default String getInputCol() {
    return getOrDefault(inputCol());
  }

  default String getOutputCol() {
    return getOrDefault(outputCol());
  }

  default String getRmseCol() {
    return getOrDefault(rmseCol());
  }
}
