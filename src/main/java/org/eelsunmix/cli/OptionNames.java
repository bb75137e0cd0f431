package org.eelsunmix.cli;

import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Kernel parameter names to the command-line options that set them. Kernels (and the Spark ML stages that call
 * them) name a bad value by their own parameter, e.g. {@code init} or {@code batchSize}, so that a Spark user is
 * never told about a flag; {@link Main} prints the flag instead, so that a command-line user is told which option
 * to change.
 */
final class OptionNames {

  /** Parameter (record component of the kernel's options) → option. */
  private static final Map<String, String> OPTIONS = Map.ofEntries(
      // unmix: Vca, Nmf, FastIca (components = the endmember count), SpectralPca's scree
      Map.entry("method", "--method"),
      Map.entry("endmembers", "--endmembers"),
      Map.entry("numEndmembers", "--endmembers"),
      Map.entry("components", "--endmembers"),
      Map.entry("screeLength", "--components"),
      Map.entry("init", "--nmf-init"),
      Map.entry("solver", "--nmf-solver"),
      Map.entry("tol", "--tol"),
      Map.entry("maxIterations", "--max-iter"),
      // autoencoder: DaeuOptions, CnnaeuOptions
      Map.entry("epochs", "--epochs"),
      Map.entry("batchSize", "--batch-size"),
      Map.entry("samples", "--samples"),
      Map.entry("learningRate", "--learning-rate"),
      Map.entry("patchSize", "--patch-size"),
      Map.entry("filters", "--filters"),
      Map.entry("decoderSize", "--decoder-size"),
      // synth: SyntheticGenerator.Options and the replicate number
      Map.entry("set", "--set"),
      Map.entry("size", "--size"),
      Map.entry("block", "--block"),
      Map.entry("filter", "--filter"),
      Map.entry("dose", "--dose"),
      Map.entry("replicate", "--replicates"),
      // core.EnergyAxis (import-npy's calibration), spark.SeriesStore, maps.LineProfile
      Map.entry("offset", "--energy-offset"),
      Map.entry("scale", "--energy-scale"),
      Map.entry("acquisition", "--acquisition"),
      Map.entry("out", "--out"),
      Map.entry("region", "--region"),
      Map.entry("lineWidth", "--width"));

  private OptionNames() {
  }

  /**
   * The option of {@code command} that sets the parameter {@code source}; {@code source} itself when it is no
   * parameter (a file, a table, an option already) or the command has no such option, so nothing is renamed to a
   * flag the user could not have given.
   */
  static String of(String source, CommandSpec command) {
    String option = source == null ? null : OPTIONS.get(source);
    if (option != null && command.findOption(option) != null) {
      return option;
    }
    // A Spark ML param of a method: the option of the command's MethodOptions that sets it (--max-iter: maxIter).
    for (CommandSpec mixin : command.mixins().values()) {
      if (mixin.userObject() instanceof MethodOptions) {
        for (OptionSpec o : mixin.options()) {
          if (MethodOptions.paramName(o).equals(source)) {
            return o.longestName();
          }
        }
      }
    }
    return source;
  }

  /** The whole table, for tests. */
  static Map<String, String> table() {
    return OPTIONS;
  }
}
