package org.eelsunmix.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.synth.EndmemberSet;
import org.eelsunmix.synth.SyntheticGenerator;

/**
 * The expansion of a study grid into cells, and the seeds.
 *
 * <p><b>Order.</b> The cells are the Cartesian product of the axes in the file's order, the last axis varying
 * fastest (as nested loops written in that order); cell numbers count from 0 in that order.
 *
 * <p><b>Seeds.</b> With master seed s, cell c and replicate r (SplitMix64 mixing, {@link SyntheticGenerator#mix64},
 * γ = 0x9E3779B97F4A7C15):
 *
 * <pre>  cell seed  = mix64(s + (c + 1)·γ)
 *  unit seed  = mix64(cell seed + (r + 1)·γ)   (= SyntheticGenerator.replicateSeed(cell seed, r))</pre>
 *
 * The unit seed draws the cube (maps and noise, {@link SyntheticGenerator#generate} with the cell seed as the
 * protocol's seed) and seeds every method's fit; it does not depend on the method, so every method of one
 * (cell, replicate) unmixes the same cube.
 *
 * <p><b>Settings.</b> {@code set} is a built-in name or a folder of MSA spectra relative to the study file,
 * {@code R} the endmembers to unmix (default: the set's count), every other axis goes through
 * {@link SyntheticGenerator.Options#with}. {@link #cells(StudyDefinition, boolean)} with {@code checkSettings}
 * builds every cell's protocol, so an unknown setting or a bad value fails naming it before any work;
 * without it (a study file written for settings not yet known) only the expansion and labels are made.
 */
public final class StudyGrid {
  private StudyGrid() {}

  /** The cell seed of cell {@code cell}. */
  public static long cellSeed(long masterSeed, int cell) {
    return SyntheticGenerator.replicateSeed(masterSeed, cell);
  }

  /** The cells with their protocols, every setting checked. */
  public static List<StudyCell> cells(StudyDefinition d) {
    return cells(d, true);
  }

  /**
   * The cells in expansion order.
   *
   * @param checkSettings build each cell's protocol (errors name the axis); false: protocol null, R null-safe 0
   */
  public static List<StudyCell> cells(StudyDefinition d, boolean checkSettings) {
    List<String> axes = d.axes();
    int total = 1;
    for (List<String> v : d.grid().values()) {
      total = Math.multiplyExact(total, v.size());
    }
    List<StudyCell> out = new ArrayList<>(total);
    Map<String, Endmembers> sets = new LinkedHashMap<>();
    for (int c = 0; c < total; c++) {
      LinkedHashMap<String, String> values = new LinkedHashMap<>();
      int rest = c;
      int[] index = new int[axes.size()];
      for (int a = axes.size() - 1; a >= 0; a--) {
        List<String> v = d.grid().get(axes.get(a));
        index[a] = rest % v.size();
        rest /= v.size();
      }
      for (int a = 0; a < axes.size(); a++) {
        values.put(axes.get(a), d.grid().get(axes.get(a)).get(index[a]));
      }
      SyntheticGenerator.Options options = null;
      int r = 0;
      if (checkSettings) {
        String set = values.get(StudyDefinition.SET);
        Endmembers e = sets.computeIfAbsent(set, s -> endmembers(s, d.baseDir()));
        options = SyntheticGenerator.Options.of(setName(set), e).withSeed(cellSeed(d.seed(), c));
        for (Map.Entry<String, String> v : values.entrySet()) {
          if (!v.getKey().equals(StudyDefinition.SET) && !v.getKey().equals(StudyDefinition.R)) {
            options = withSetting(options, v.getKey(), v.getValue());
          }
        }
        r = e.count();
        if (values.containsKey(StudyDefinition.R)) {
          try {
            r = Integer.parseInt(values.get(StudyDefinition.R).strip());
          } catch (NumberFormatException ex) {
            throw new BadInputException("grid.R", "'" + values.get(StudyDefinition.R) + "' is not a whole number");
          }
          if (r < 1) {
            throw new BadInputException("grid.R", "R must be at least 1, got " + r);
          }
        }
      }
      out.add(new StudyCell(c, values, label(d, values), options, r));
    }
    return out;
  }

  private static SyntheticGenerator.Options withSetting(SyntheticGenerator.Options o, String key, String value) {
    try {
      return o.with(key, value);
    } catch (BadInputException e) {
      throw new BadInputException("grid." + key, e.getMessage());
    }
  }

  /** A built-in set, else a folder of MSA spectra relative to the study file. */
  static Endmembers endmembers(String set, String baseDir) {
    if (EndmemberSet.builtinNames().contains(set)) {
      return EndmemberSet.builtin(set);
    }
    Path folder = Path.of(baseDir).resolve(set);
    if (!Files.isDirectory(folder)) {
      throw new BadInputException("grid.set", "'" + set + "' is neither a built-in set (" + String.join(", ",
          EndmemberSet.builtinNames()) + ") nor a folder of MSA spectra (looked in " + folder + ")");
    }
    return EndmemberSet.fromFolder(folder);
  }

  private static String setName(String set) {
    Path p = Path.of(set).getFileName();
    return p == null ? set : p.toString();
  }

  private static String label(StudyDefinition d, Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    boolean anyVaries = d.grid().values().stream().anyMatch(v -> v.size() > 1);
    for (Map.Entry<String, String> v : values.entrySet()) {
      if (!anyVaries || d.grid().get(v.getKey()).size() > 1) {
        sb.append(sb.length() == 0 ? "" : " ").append(v.getKey()).append('=').append(v.getValue());
      }
    }
    return sb.toString();
  }
}
