package org.eelsunmix.eval;

/**
 * Count, mean, variance, minimum and maximum of a metric over replicates, as a state that merges exactly (up to
 * rounding) and associatively, so that Spark can aggregate replicates in any grouping and order. Values are added
 * with Welford's update and states merged with the pairwise formula of Chan, Golub &amp; LeVeque ("Updating
 * formulae and a pairwise algorithm for computing sample variances", Stanford CS report STAN-CS-79-773, 1979):
 *
 * <pre>  n = n_A + n_B,  δ = mean_B − mean_A,  mean = mean_A + δ n_B / n,  M2 = M2_A + M2_B + δ² n_A n_B / n</pre>
 *
 * where M2 is the sum of squared deviations from the mean. NaN values (a failed or undefined score) are not
 * averaged but counted in {@link #missing()}. Immutable; {@link #add} and {@link #merge} return new states.
 *
 * @param count number of values summarised
 * @param mean their mean (NaN when count is 0)
 * @param sumSquaredDeviations M2 = Σ (x − mean)² (0 when count is 0)
 * @param min smallest value (NaN when count is 0)
 * @param max largest value (NaN when count is 0)
 * @param missing number of NaN values seen and left out
 */
public record MetricSummary(long count, double mean, double sumSquaredDeviations, double min, double max,
    long missing) implements java.io.Serializable {

  private static final MetricSummary EMPTY = new MetricSummary(0, Double.NaN, 0, Double.NaN, Double.NaN, 0);

  /** Validates the state. */
  public MetricSummary {
    if (count < 0 || missing < 0) {
      throw new IllegalArgumentException("count and missing must be >= 0, got " + count + ", " + missing);
    }
    if (count > 0 && (!Double.isFinite(mean) || !(sumSquaredDeviations >= 0) || !(min <= max))) {
      throw new IllegalArgumentException(String.format(
          "inconsistent summary: count %d, mean %s, M2 %s, min %s, max %s", count, mean, sumSquaredDeviations, min,
          max));
    }
  }

  /** The summary of no values. */
  public static MetricSummary empty() {
    return EMPTY;
  }

  /** The summary of the given values. */
  public static MetricSummary of(double... values) {
    MetricSummary s = EMPTY;
    for (double v : values) {
      s = s.add(v);
    }
    return s;
  }

  /**
   * This summary with one more value (Welford's update); NaN is counted as missing.
   *
   * @throws IllegalArgumentException for ±∞, which has no finite mean
   */
  public MetricSummary add(double value) {
    if (Double.isNaN(value)) {
      return new MetricSummary(count, mean, sumSquaredDeviations, min, max, missing + 1);
    }
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException("cannot summarise an infinite metric value");
    }
    if (count == 0) {
      return new MetricSummary(1, value, 0, value, value, missing);
    }
    long n = count + 1;
    double delta = value - mean;
    double newMean = mean + delta / n;
    double m2 = sumSquaredDeviations + delta * (value - newMean);
    return new MetricSummary(n, newMean, Math.max(m2, 0), Math.min(min, value), Math.max(max, value), missing);
  }

  /** The summary of both sets of values (Chan et al.'s pairwise merge). */
  public MetricSummary merge(MetricSummary other) {
    if (other.count == 0) {
      return new MetricSummary(count, mean, sumSquaredDeviations, min, max, missing + other.missing);
    }
    if (count == 0) {
      return new MetricSummary(other.count, other.mean, other.sumSquaredDeviations, other.min, other.max,
          missing + other.missing);
    }
    long n = count + other.count;
    double delta = other.mean - mean;
    double newMean = mean + delta * ((double) other.count / n);
    double m2 = sumSquaredDeviations + other.sumSquaredDeviations
        + delta * delta * ((double) count * other.count / n);
    return new MetricSummary(n, newMean, m2, Math.min(min, other.min), Math.max(max, other.max),
        missing + other.missing);
  }

  /** Population variance M2 / n (NaN when empty). */
  public double variance() {
    return count == 0 ? Double.NaN : sumSquaredDeviations / count;
  }

  /** Sample variance M2 / (n − 1) (NaN for fewer than two values). */
  public double sampleVariance() {
    return count < 2 ? Double.NaN : sumSquaredDeviations / (count - 1);
  }

  /** Sample standard deviation, the spread reported over replicates (NaN for fewer than two values). */
  public double sampleStd() {
    return Math.sqrt(sampleVariance());
  }
}
