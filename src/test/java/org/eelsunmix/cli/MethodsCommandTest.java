package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.spark.ml.UnmixingMethod;
import org.eelsunmix.spark.ml.UnmixingMethods;
import org.junit.jupiter.api.Test;

/** The registry as the command line shows it: {@code methods}, and the {@code --method} help of the commands. */
class MethodsCommandTest {

  /** The block of {@code listing} that describes {@code method}. */
  private static String block(String listing, String method) {
    int start = listing.indexOf("\n" + method + ": ");
    start = listing.startsWith(method + ": ") ? 0 : start + 1;
    int end = listing.indexOf("\n\n", start);
    return listing.substring(start, end);
  }

  @Test
  void everyMethodIsListedWithTheOptionsThatApplyToIt() {
    CliTestSupport.Run run = CliTestSupport.run("methods");
    assertEquals(0, run.code(), run.err());
    for (UnmixingMethod m : UnmixingMethods.all()) {
      String b = block(run.out(), m.name());
      assertTrue(b.contains(m.reference()), b);
    }
    assertTrue(block(run.out(), "vca-fcls").contains("--snr-db (snrDb, default NaN)"), run.out());
    assertTrue(block(run.out(), "nmf").contains("--nmf-init (init, default auto)"), run.out());
    assertTrue(block(run.out(), "nmf").contains("--max-iter (maxIter, default 200)"), run.out());
    assertTrue(block(run.out(), "daeu").contains("--epochs (epochs, default 40)"), run.out());
    assertTrue(block(run.out(), "cnnaeu").contains("--patch-size (patchSize, default 40)"), run.out());
    assertFalse(block(run.out(), "daeu").contains("--patch-size"), run.out());
    assertFalse(block(run.out(), "nmf").contains("--epochs"), run.out());
  }

  @Test
  void theMethodHelpOfEveryCommandComesFromTheRegistry() {
    for (String command : new String[] {"unmix", "train", "evaluate"}) {
      CliTestSupport.Run run = CliTestSupport.run(command, "--help");
      assertEquals(0, run.code(), run.err());
      String help = run.out().replaceAll("\\s+", " ");
      assertTrue(help.contains(UnmixingMethods.names()), command + ": " + help);
    }
  }
}
