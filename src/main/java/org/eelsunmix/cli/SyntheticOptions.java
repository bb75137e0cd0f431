package org.eelsunmix.cli;

import java.nio.file.Path;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.synth.EndmemberSet;
import org.eelsunmix.synth.Scene;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.synth.Variability;
import picocli.CommandLine.Option;

/**
 * The options of the synthetic protocol, shared by {@code generate} and {@code evaluate}: each setting of
 * {@link SyntheticGenerator#SETTINGS} as a flag of the same name with dashes ({@code shift_drift} →
 * {@code --shift-drift}).
 */
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

  @Option(names = "--map", defaultValue = "chequerboard", description = "abundance maps: chequerboard (default) or "
      + "layers (horizontal layers with a thin, one-sidedly diffused layer)")
  String map;

  @Option(names = "--layer-width", defaultValue = "" + Scene.DEFAULT_LAYER_WIDTH, description = "--map layers: "
      + "thin-layer thickness in pixels (default ${DEFAULT-VALUE})")
  int layerWidth;

  @Option(names = "--diffusion", defaultValue = "" + Scene.DEFAULT_DIFFUSION, description = "--map layers: "
      + "diffusion length of the thin layer into its lower neighbour, pixels (default ${DEFAULT-VALUE}; 0 = sharp)")
  double diffusion;

  @Option(names = "--vacuum", defaultValue = "0", description = "fraction of the image (top rows) without specimen, "
      + "only a dark level of 1e-3 x dose counts per pixel (default 0)")
  double vacuum;

  @Option(names = "--shift-drift", defaultValue = "0", description = "energy drift in channels at the far corner of "
      + "a linear plane, 0 at pixel (0,0) (default 0 = off)")
  double shiftDrift;

  @Option(names = "--shift-jitter", defaultValue = "0", description = "std of a per-pixel Gaussian energy shift, "
      + "channels (default 0)")
  double shiftJitter;

  @Option(names = "--edge-scale", defaultValue = "0", description = "relative std of a per-pixel, per-endmember "
      + "factor on the edge signal above the background (default 0)")
  double edgeScale;

  @Option(names = "--background-jitter", defaultValue = "0", description = "std of a per-pixel change of the "
      + "power-law background exponent (default 0)")
  double backgroundJitter;

  @Option(names = "--thickness", defaultValue = "0", description = "relative std of a per-pixel scale of the whole "
      + "spectrum, the ELMM scaling (default 0)")
  double thickness;

  @Option(names = "--endmembers-dir", description = "folder of the user's EMSA/MSA endmember spectra (instead of "
      + "a built-in --set)")
  Path endmembersDir;

  /** Generator options for one endmember set (built-in name, or the user's folder when given). */
  SyntheticGenerator.Options forSet(String set) {
    Endmembers e = endmembersDir != null ? EndmemberSet.fromFolder(endmembersDir) : EndmemberSet.builtin(set);
    String name = endmembersDir != null ? endmembersDir.getFileName().toString() : set;
    try {
      return new SyntheticGenerator.Options(name, e, size, block, filter, dose, seed,
          new Scene(Scene.MapKind.parse(map), layerWidth, diffusion, vacuum),
          new Variability(shiftDrift, shiftJitter, edgeScale, backgroundJitter, thickness));
    } catch (BadInputException ex) {
      // The generator names a setting by its study key; name the flag the user typed.
      if (SyntheticGenerator.SETTINGS.contains(ex.source())) {
        throw new BadInputException("--" + ex.source().replace('_', '-'), ex.problem(), ex);
      }
      throw ex;
    }
  }
}
