package org.eelsunmix.cli;

import java.nio.file.Path;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.synth.EndmemberSet;
import org.eelsunmix.synth.SyntheticGenerator;
import picocli.CommandLine.Option;

/** The options of the synthetic protocol, shared by {@code generate} and {@code evaluate}. */
final class SyntheticOptions {
  @Option(names = "--size", defaultValue = "64", description = "map side in pixels (default 64)")
  int size;

  @Option(names = "--block", defaultValue = "8", description = "chequerboard block side in pixels (default 8)")
  int block;

  @Option(names = "--filter", defaultValue = "9", description = "k of the k x k moving-average mixing filter, odd "
      + "(default 9; 1 = no mixing)")
  int filter;

  @Option(names = "--dose", defaultValue = "1e5", description = "expected counts per pixel for Poisson noise "
      + "(default 1e5; Infinity = noise-free)")
  double dose;

  @Option(names = "--seed", defaultValue = "1", description = "master seed (default 1)")
  long seed;

  @Option(names = "--endmembers-dir", description = "folder of the user's EMSA/MSA endmember spectra (instead of "
      + "a built-in --set)")
  Path endmembersDir;

  /** Generator options for one endmember set (built-in name, or the user's folder when given). */
  SyntheticGenerator.Options forSet(String set) {
    Endmembers e = endmembersDir != null ? EndmemberSet.fromFolder(endmembersDir) : EndmemberSet.builtin(set);
    String name = endmembersDir != null ? endmembersDir.getFileName().toString() : set;
    return new SyntheticGenerator.Options(name, e, size, block, filter, dose, seed);
  }
}
