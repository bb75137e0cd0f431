package org.eelsunmix.spark.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * Which surveyed files one load reads, and in which tiles. All files of a load share one energy axis (it is the
 * spectrum column's metadata). Strict: a bad file, or a file on another axis, fails the load naming it. Lenient:
 * they are left out (listed in {@link #rejected()}), the axis being the one most files share (the first such
 * file's when tied).
 *
 * @param accepted the files read, in input order
 * @param rejected the files left out, with their reasons
 * @param axis the common energy axis
 */
public record LoadPlan(List<SurveyedFile> accepted, List<SurveyedFile> rejected, EnergyAxis axis) {
  private static final double AXIS_TOLERANCE = 1e-9;

  public static LoadPlan of(List<SurveyedFile> files, SourceOptions options) {
    List<SurveyedFile> good = new ArrayList<>();
    List<SurveyedFile> rejected = new ArrayList<>();
    for (SurveyedFile f : files) {
      if (f.ok()) {
        good.add(f);
      } else if (options.lenient()) {
        rejected.add(f);
      } else {
        throw f.toException();
      }
    }
    if (good.isEmpty()) {
      throw new BadInputException(String.join(", ", options.paths()), files.isEmpty()
          ? "no .dm3, .dm4, .hspy, .rpl or .npy files found" : "none of the " + files.size() + " files can be read ("
          + files.get(0).reason() + (files.size() > 1 ? ", ..." : "") + ")");
    }
    EnergyAxis axis = options.lenient() ? commonest(good) : good.get(0).header().axis();
    List<SurveyedFile> accepted = new ArrayList<>();
    for (SurveyedFile f : good) {
      EnergyAxis a = f.header().axis();
      if (a.sameAs(axis, AXIS_TOLERANCE)) {
        accepted.add(f);
        continue;
      }
      String problem = "its energy axis (" + a + ") differs from that of the other files of this load (" + axis
          + (options.lenient() ? "" : ", " + good.get(0).path()) + "); load files of one axis together";
      if (!options.lenient()) {
        throw new BadInputException(f.path(), problem);
      }
      rejected.add(f.refused(problem));
    }
    return new LoadPlan(List.copyOf(accepted), List.copyOf(rejected), axis);
  }

  private static EnergyAxis commonest(List<SurveyedFile> good) {
    Map<EnergyAxis, Integer> counts = new LinkedHashMap<>();
    for (SurveyedFile f : good) {
      EnergyAxis key = counts.keySet().stream().filter(k -> k.sameAs(f.header().axis(), AXIS_TOLERANCE))
          .findFirst().orElse(f.header().axis());
      counts.merge(key, 1, Integer::sum);
    }
    EnergyAxis best = null;
    int bestCount = 0;
    for (Map.Entry<EnergyAxis, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }

  /** One partition per file, or per tile of {@link SourceOptions#tilePixels} pixels of a large file. */
  public List<FileTile> tiles(SourceOptions options) {
    List<FileTile> out = new ArrayList<>();
    for (SurveyedFile f : accepted) {
      long pixels = f.header().pixels();
      long step = options.tilePixels(f.header().width(), f.header().axis().channels());
      for (long p0 = 0; p0 < pixels; p0 += step) {
        out.add(new FileTile(f.path(), f.id(), p0, Math.min(pixels, p0 + step)));
      }
    }
    return out;
  }
}
