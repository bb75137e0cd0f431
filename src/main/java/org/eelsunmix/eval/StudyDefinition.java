package org.eelsunmix.eval;

import org.eelsunmix.core.BadInputException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study as its file ({@code conf/studies/*.json}, read by {@link StudyFile}) describes it: a name, the master
 * seed, replicates per cell, the grid (axes in file order, each with its values as written) and the methods.
 *
 * @param name the study's name (the {@code study} column)
 * @param seed master seed
 * @param replicates replicates per cell, ≥ 1
 * @param grid axis → values as written in the file, in file order; {@code set} is always present
 * @param methods the methods, in file order (the order of the paired comparisons)
 * @param note free text of the file's {@code note} (may be empty)
 * @param baseDir the folder of the study file: folders of MSA spectra in {@code set} are relative to it
 */
public record StudyDefinition(String name, long seed, int replicates, LinkedHashMap<String, List<String>> grid,
    List<Method> methods, String note, String baseDir) implements Serializable {

  /** The grid axis naming the endmember set (a built-in name or a folder of MSA spectra). */
  public static final String SET = "set";
  /** The grid axis of R, the number of endmembers to unmix (default: the set's count). */
  public static final String R = "R";

  /**
   * One method of the study.
   *
   * @param label its name in the result tables (unique in the study; the registry name unless given)
   * @param method the registry name ({@code eels-unmix methods})
   * @param options option name (the command-line flag without dashes) → value (number, boolean or text)
   */
  public record Method(String label, String method, Map<String, Object> options) implements Serializable {}

  /** The grid axes, in file order. */
  public List<String> axes() {
    return List.copyOf(grid.keySet());
  }

  /** The same study with {@code n} replicates per cell (e.g. the command line's {@code --replicates}). */
  public StudyDefinition withReplicates(int n) {
    if (n < 1) {
      throw new BadInputException("replicates", "must be at least 1, got " + n);
    }
    return new StudyDefinition(name, seed, n, grid, methods, note, baseDir);
  }

  /**
   * The same study with only the methods whose label or registry name is in {@code keep}, in the file's order (the
   * cubes and seeds of every unit are unchanged: they do not depend on the methods).
   *
   * @throws BadInputException naming {@code option} for a name that is none of the study's methods
   */
  public StudyDefinition withMethods(List<String> keep, String option) {
    for (String k : keep) {
      if (methods.stream().noneMatch(m -> m.label().equals(k) || m.method().equals(k))) {
        throw new BadInputException(option, "'" + k + "' is not a method of study " + name + " ("
            + String.join(", ", methods.stream().map(Method::label).toList()) + ")");
      }
    }
    List<Method> kept = methods.stream().filter(m -> keep.contains(m.label()) || keep.contains(m.method())).toList();
    return new StudyDefinition(name, seed, replicates, grid, kept, note, baseDir);
  }
}
