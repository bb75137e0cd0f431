package org.eelsunmix.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.eelsunmix.spark.ml.UnmixingEstimator;
import org.eelsunmix.spark.ml.UnmixingMethod;
import org.eelsunmix.spark.ml.UnmixingMethods;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code methods}: the method registry as a microscopist reads it: each method's name, what it does, the paper it
 * implements, and the {@code unmix}/{@code train} options that apply to it with their defaults. Needs no Spark.
 */
@Command(name = "methods", mixinStandardHelpOptions = true,
    description = "List the unmixing methods, their papers and the options each one takes.")
final class MethodsCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.out.print(describe());
    return 0;
  }

  /** The listing: one block per registered method. */
  static String describe() {
    List<OptionSpec> options = new CommandLine(new MethodOptions()).getCommandSpec().options();
    StringBuilder sb = new StringBuilder();
    for (UnmixingMethod m : UnmixingMethods.all()) {
      UnmixingEstimator<?, ?> e = m.newEstimator();
      sb.append(m.name()).append(": ").append(m.summary()).append('\n');
      sb.append("    ").append(m.reference()).append('\n');
      List<String> own = new ArrayList<>();
      for (OptionSpec o : options) {
        String param = MethodOptions.paramName(o);
        if (MethodOptions.appliesTo(o, m, e)) {
          own.add(o.longestName() + " (" + param + ", default " + MethodOptions.defaultOf(e, param) + ")");
        }
      }
      sb.append("    options: ").append(own.isEmpty() ? "none beyond -R and --seed" : String.join(", ", own))
          .append("\n\n");
    }
    return sb.toString();
  }
}
