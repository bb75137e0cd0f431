package org.eelsunmix.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.InMemoryUnmixing;
import org.eelsunmix.core.Unmixing;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;

/**
 * One unit of a study, in memory: generate replicate r of the cell's cube (seed {@link StudyCell#unitSeed}),
 * unmix it into the cell's R with the method, score it against the truth ({@link UnmixingScores}: SAD and NMSE per
 * true endmember after the Hungarian matching, their means, the reconstruction RMSE) and return the rows. Any
 * failure (e.g. R larger than the channels) becomes one {@code error} row: a study never crashes on a unit.
 * The Spark study runs one of these per task; nothing here knows about Spark.
 */
public final class StudyUnit {
  private StudyUnit() {}

  /**
   * The rows of a unit, and for replicate 0 (when asked) its example.
   *
   * @param records the metric rows, or a single error row
   * @param example the matched endmembers and maps, or null
   */
  public record Result(List<StudyRecord> records, StudyExample example) implements java.io.Serializable {}

  /**
   * Runs one unit.
   *
   * @param label the method's label in the study
   * @param keepExample whether to return the example (the runner asks for replicate 0)
   */
  public static Result run(StudyCell cell, int replicate, String label, InMemoryUnmixing method,
      boolean keepExample) {
    long seed = cell.unitSeed(replicate);
    List<StudyRecord> out = new ArrayList<>();
    Double seconds = null;
    try {
      SyntheticCube cube = SyntheticGenerator.generate(cell.options(), replicate);
      long t0 = System.nanoTime();
      Unmixing u = method.unmix(cube.image(), cell.endmembers(), seed);
      seconds = (System.nanoTime() - t0) / 1e9;
      UnmixingScores s = UnmixingScores.of(cube, u);
      List<String> names = cube.truthEndmembers().names();
      for (int k = 0; k < names.size(); k++) {
        if (s.permutation()[k] >= 0) { // an unmatched true endmember (R below the set's count) has no score
          out.add(new StudyRecord(cell.index(), replicate, seed, label, names.get(k), "sad", s.sad()[k], seconds,
              null));
          out.add(new StudyRecord(cell.index(), replicate, seed, label, names.get(k), "nmse", s.nmse()[k], seconds,
              null));
        }
      }
      out.add(new StudyRecord(cell.index(), replicate, seed, label, null, "mean_sad", s.meanSad(), seconds, null));
      out.add(new StudyRecord(cell.index(), replicate, seed, label, null, "mean_nmse", s.meanNmse(), seconds,
          null));
      out.add(new StudyRecord(cell.index(), replicate, seed, label, null, "rmse", s.rmse(), seconds, null));
      StudyExample example = keepExample ? example(cell.index(), label, cube.truthEndmembers(), u.endmembers(),
          u.abundances(), s.permutation()) : null;
      return new Result(out, example);
    } catch (RuntimeException e) {
      String message = e.getClass().getSimpleName() + ": " + e.getMessage();
      return new Result(List.of(new StudyRecord(cell.index(), replicate, seed, label, null, "error", null, seconds,
          message)), null);
    }
  }

  /** The truth of replicate 0 of {@code cell} as an example (maps and dose-scaled endmembers). */
  public static StudyExample truth(StudyCell cell) {
    var t = SyntheticGenerator.truth(cell.options(), 0);
    int r = t.endmembers().count();
    int[] identity = new int[r];
    Arrays.setAll(identity, k -> k);
    return example(cell.index(), StudyExample.TRUTH, t.endmembers(), t.endmembers(), t.abundances(), identity);
  }

  private static StudyExample example(int cell, String label, Endmembers truth, Endmembers estimated,
      Abundances maps, int[] estimateOfTrue) {
    int r = truth.count();
    int b = truth.channels();
    double[][] spectra = new double[r][];
    double[] values = new double[maps.pixels() * r];
    for (int k = 0; k < r; k++) {
      int e = estimateOfTrue[k];
      spectra[k] = e >= 0 ? estimated.spectrum(e) : nanArray(b);
      for (int p = 0; p < maps.pixels(); p++) {
        values[p * r + k] = e >= 0 ? maps.values()[p * maps.count() + e] : Double.NaN;
      }
    }
    double[] energy = new double[b];
    for (int c = 0; c < b; c++) {
      energy[c] = truth.axis().energy(c);
    }
    return new StudyExample(cell, label, energy, truth.names(), spectra, values, maps.height(), maps.width());
  }

  private static double[] nanArray(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }
}
