package org.eelsunmix.eval;

import java.io.Serializable;
import java.util.LinkedHashMap;

/**
 * One cell of a study grid: its number in expansion order, the value of every axis (as written in the study
 * file), a short label naming the axes that vary, the synthetic protocol it gives, R and the cell's seed.
 *
 * @param index 0-based number in expansion order
 * @param values axis → value, in the file's axis order
 * @param label e.g. {@code set=co-ru-pt dose=1e5} (only the axes with more than one value; all axes when none
 *     varies)
 * @param options the synthetic protocol of the cell, its seed the cell seed ({@link StudyGrid#cellSeed})
 * @param endmembers R, the number of endmembers the methods unmix into
 */
public record StudyCell(int index, LinkedHashMap<String, String> values, String label,
    org.eelsunmix.synth.SyntheticGenerator.Options options, int endmembers) implements Serializable {

  /** The seed of replicate {@code replicate} of this cell: the cube's seed, and every method's. */
  public long unitSeed(int replicate) {
    return org.eelsunmix.synth.SyntheticGenerator.replicateSeed(options.seed(), replicate);
  }
}
