package org.eelsunmix.eval;

import java.io.Serializable;

/**
 * What a study keeps of replicate 0 of a cell for the report's figures: endmembers and maps in the order of the
 * true endmembers (a method's components matched to the truth by the Hungarian assignment on SAD; an unmatched
 * true endmember gets NaN), endmembers on the scale of the counts.
 *
 * @param cell the cell number
 * @param method the method's label, or {@code truth}
 * @param energy the energy axis (channel centres, the set's units)
 * @param names the true endmembers' names (column order)
 * @param endmembers names.size() × channels
 * @param maps height × width × names.size(), C order
 * @param height map height
 * @param width map width
 */
public record StudyExample(int cell, String method, double[] energy, java.util.List<String> names,
    double[][] endmembers, double[] maps, int height, int width) implements Serializable {
  /** The label of the truth's example files. */
  public static final String TRUTH = "truth";
}
