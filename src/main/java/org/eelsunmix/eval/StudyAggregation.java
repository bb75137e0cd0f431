package org.eelsunmix.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eelsunmix.synth.SyntheticGenerator;

/**
 * The study's aggregate and paired tables from its unit rows. Every statistic is computed from the group's values
 * sorted ({@link SampleStatistics}) or paired by replicate number, never from the order in which the units
 * finished, so the tables are the same bits for any number of executors or partitions (merge-exact).
 *
 * <ul>
 *   <li>aggregate, per cell, method, endmember (null = image level) and metric: count, failed units of the cell and
 *       method, mean, sample std, median, 95 % t interval of the mean, the method's rank in the cell by mean
 *       (1 = lowest; equal means share the lower rank), fit seconds (mean, std) per unit of the cell and method;</li>
 *   <li>paired, per cell, image-level metric ({@code mean_sad}, {@code mean_nmse}) and pair of methods in study
 *       order: differences a − b over the replicates where both succeeded, their mean and median, the 95 %
 *       percentile bootstrap interval of the mean ({@link Bootstrap#RESAMPLES} resamples, seed
 *       {@link #bootstrapSeed}), the two-sided Wilcoxon signed-rank p-value ({@link SignedRankTest}) and the
 *       method with the lower values when p &lt; 0.05.</li>
 * </ul>
 */
public final class StudyAggregation {
  private StudyAggregation() {}

  /** The image-level metrics compared pairwise. */
  public static final List<String> PAIRED_METRICS = List.of("mean_sad", "mean_nmse");
  /** The significance level of {@link PairedRow#better}. */
  public static final double ALPHA = 0.05;

  /** One row of {@code aggregate.csv}; statistics undefined for the count are NaN, rank 0 = none. */
  public record AggregateRow(int cell, String method, String endmember, String metric, int count, int failed,
      SampleStatistics stats, int rank, double secondsMean, double secondsStd) {}

  /** One row of {@code paired.csv}; {@code better} is null when no method is better at {@link #ALPHA}. */
  public record PairedRow(int cell, String metric, String methodA, String methodB, int n, double meanDiff,
      double medianDiff, double bootLow, double bootHigh, double wilcoxonP, String better) {}

  /**
   * The bootstrap seed of a cell's paired comparisons (all its pairs and metrics): mix64(cell seed XOR 0x5DEECE66D),
   * from the master seed and the cell only, so the intervals are deterministic.
   */
  public static long bootstrapSeed(long masterSeed, int cell) {
    return SyntheticGenerator.mix64(StudyGrid.cellSeed(masterSeed, cell) ^ 0x5DEECE66DL);
  }

  private record Key(int cell, String method, String endmember, String metric) {}

  /**
   * The aggregate rows, ordered by cell, then the study's method order, then metric and endmember (image-level
   * rows first).
   *
   * @param methods the method labels in study order
   */
  public static List<AggregateRow> aggregate(List<StudyRecord> records, List<String> methods) {
    Map<Key, List<Double>> values = new LinkedHashMap<>();
    Map<String, Integer> failed = new TreeMap<>();
    Map<String, List<Double>> seconds = new TreeMap<>();
    for (StudyRecord r : records) {
      String cm = r.cell() + "\u0001" + r.method();
      if (r.error() != null) {
        failed.merge(cm, 1, Integer::sum);
        continue;
      }
      values.computeIfAbsent(new Key(r.cell(), r.method(), r.endmember(), r.metric()), k -> new ArrayList<>())
          .add(r.value());
      if (r.metric().equals("mean_sad") && r.seconds() != null) {
        seconds.computeIfAbsent(cm, k -> new ArrayList<>()).add(r.seconds());
      }
    }
    // Every (cell, method) that only failed still gets its image-level rows (count 0), so failures show.
    for (StudyRecord r : records) {
      if (r.error() != null) {
        for (String metric : List.of("mean_sad", "mean_nmse", "rmse")) {
          values.computeIfAbsent(new Key(r.cell(), r.method(), null, metric), k -> new ArrayList<>());
        }
      }
    }
    List<Key> keys = new ArrayList<>(values.keySet());
    keys.sort(Comparator.comparingInt(Key::cell).thenComparingInt(k -> methods.indexOf(k.method()))
        .thenComparing(Key::metric).thenComparing(k -> k.endmember() == null ? "" : "\u0001" + k.endmember()));
    Map<Key, SampleStatistics> stats = new LinkedHashMap<>();
    for (Key k : keys) {
      stats.put(k, SampleStatistics.of(values.get(k).stream().mapToDouble(Double::doubleValue).toArray()));
    }
    List<AggregateRow> out = new ArrayList<>();
    for (Key k : keys) {
      SampleStatistics s = stats.get(k);
      int rank = 0;
      if (s.count() > 0) {
        rank = 1;
        for (Map.Entry<Key, SampleStatistics> o : stats.entrySet()) {
          Key ok = o.getKey();
          if (ok.cell() == k.cell() && ok.metric().equals(k.metric()) && java.util.Objects.equals(ok.endmember(),
              k.endmember()) && o.getValue().count() > 0 && o.getValue().mean() < s.mean()) {
            rank++;
          }
        }
      }
      String cm = k.cell() + "\u0001" + k.method();
      SampleStatistics t = SampleStatistics.of(seconds.getOrDefault(cm, List.of()).stream()
          .mapToDouble(Double::doubleValue).toArray());
      out.add(new AggregateRow(k.cell(), k.method(), k.endmember(), k.metric(), s.count(),
          failed.getOrDefault(cm, 0), s, rank, t.mean(), t.std()));
    }
    return out;
  }

  /**
   * The paired rows, ordered by cell, metric ({@link #PAIRED_METRICS} order) and pair (study order).
   *
   * @param cells the number of cells
   */
  public static List<PairedRow> paired(List<StudyRecord> records, List<String> methods, int cells,
      long masterSeed) {
    // (cell, metric, method) → replicate → value
    Map<String, TreeMap<Integer, Double>> byUnit = new TreeMap<>();
    for (StudyRecord r : records) {
      if (r.error() == null && r.endmember() == null && PAIRED_METRICS.contains(r.metric())) {
        byUnit.computeIfAbsent(r.cell() + "\u0001" + r.metric() + "\u0001" + r.method(), k -> new TreeMap<>())
            .put(r.replicate(), r.value());
      }
    }
    List<PairedRow> out = new ArrayList<>();
    for (int c = 0; c < cells; c++) {
      long seed = bootstrapSeed(masterSeed, c);
      for (String metric : PAIRED_METRICS) {
        for (int i = 0; i < methods.size(); i++) {
          for (int j = i + 1; j < methods.size(); j++) {
            out.add(pair(c, metric, methods.get(i), methods.get(j),
                byUnit.getOrDefault(c + "\u0001" + metric + "\u0001" + methods.get(i), new TreeMap<>()),
                byUnit.getOrDefault(c + "\u0001" + metric + "\u0001" + methods.get(j), new TreeMap<>()), seed));
          }
        }
      }
    }
    return out;
  }

  /** The comparison of two methods' values by replicate (replicates where both succeeded, in replicate order). */
  public static PairedRow pair(int cell, String metric, String a, String b, TreeMap<Integer, Double> va,
      TreeMap<Integer, Double> vb, long seed) {
    List<Double> diffs = new ArrayList<>();
    va.forEach((rep, x) -> {
      Double y = vb.get(rep);
      if (y != null) {
        diffs.add(x - y);
      }
    });
    double[] d = diffs.stream().mapToDouble(Double::doubleValue).toArray();
    if (d.length == 0) {
      return new PairedRow(cell, metric, a, b, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          null);
    }
    SampleStatistics s = SampleStatistics.of(d);
    double[] ci = Bootstrap.meanInterval(d, Bootstrap.RESAMPLES, 0.95, seed);
    SignedRankTest w = SignedRankTest.of(d);
    String better = w.n() > 0 && w.p() < ALPHA ? (w.firstLower() ? a : b) : null;
    return new PairedRow(cell, metric, a, b, d.length, s.mean(), s.median(), ci[0], ci[1], w.p(), better);
  }
}
