package org.eelsunmix.eval;

import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.core.Unmixing;
import org.eelsunmix.core.InMemoryUnmixing;

/**
 * One replicate of the synthetic study, in memory: generate the cube ({@link SyntheticGenerator}), unmix it with
 * the method's kernel, score it against the ground truth ({@link UnmixingScores}) and return the metrics in long
 * form. The Spark study runs one of these per task; nothing here knows about Spark.
 */
public final class ReplicateRun {
  private ReplicateRun() {}

  /**
   * @param study study name written into every record
   * @param options the synthetic protocol
   * @param replicate replicate number (its seed follows from {@code options.seed()})
   * @param method the method
   * @return the records; a failure becomes a single {@code error} record
   */
  public static List<MetricRecord> run(String study, SyntheticGenerator.Options options, int replicate,
      InMemoryUnmixing method) {
    long seed = SyntheticGenerator.replicateSeed(options.seed(), replicate);
    List<MetricRecord> out = new ArrayList<>();
    double seconds = Double.NaN;
    try {
      SyntheticCube cube = SyntheticGenerator.generate(options, replicate);
      int r = cube.truthEndmembers().count();
      long t0 = System.nanoTime();
      Unmixing u = method.unmix(cube.image(), r, seed);
      seconds = (System.nanoTime() - t0) / 1e9;
      UnmixingScores s = UnmixingScores.of(cube, u);
      for (int k = 0; k < r; k++) {
        String name = cube.truthEndmembers().names().get(k);
        out.add(record(study, options, replicate, seed, method, name, "sad", s.sad()[k], seconds));
        out.add(record(study, options, replicate, seed, method, name, "nmse", s.nmse()[k], seconds));
      }
      out.add(record(study, options, replicate, seed, method, null, "mean_sad", s.meanSad(), seconds));
      out.add(record(study, options, replicate, seed, method, null, "mean_nmse", s.meanNmse(), seconds));
      out.add(record(study, options, replicate, seed, method, null, "rmse", s.rmse(), seconds));
    } catch (RuntimeException e) {
      out.clear();
      out.add(new MetricRecord(study, options.set(), options.dose(), replicate, seed, method.name(), null, "error",
          null, Double.isNaN(seconds) ? null : seconds, e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    return out;
  }

  private static MetricRecord record(String study, SyntheticGenerator.Options o, int replicate, long seed,
      InMemoryUnmixing method, String endmember, String metric, double value, double seconds) {
    return new MetricRecord(study, o.set(), o.dose(), replicate, seed, method.name(), endmember, metric, value,
        seconds, null);
  }
}
