package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.unmix.Nmf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The parameter-to-option table against the options the commands really declare. */
class OptionNamesTest {

  private static final CommandLine ROOT = Main.commandLine(new String[0]);

  private static CommandSpec command(String name) {
    return ROOT.getSubcommands().get(name).getCommandSpec();
  }

  @Test
  void everyMappedOptionIsDeclaredBySomeCommand() {
    Set<String> declared = new HashSet<>();
    for (CommandLine sub : ROOT.getSubcommands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        declared.addAll(java.util.List.of(o.names()));
      }
    }
    for (Map.Entry<String, String> e : OptionNames.table().entrySet()) {
      assertTrue(declared.contains(e.getValue()), e.getKey() + " maps to " + e.getValue() + ", which no command has");
      assertTrue(!e.getKey().startsWith("-"), "a parameter name, not a flag: " + e.getKey());
    }
  }

  @Test
  void namesTheOptionOfTheFailingCommandOrLeavesTheSourceAlone() {
    assertEquals("--nmf-init", OptionNames.of("init", command("unmix")));
    assertEquals("--max-iter", OptionNames.of("maxIterations", command("unmix")));
    assertEquals("--endmembers", OptionNames.of("components", command("unmix")));
    assertEquals("--batch-size", OptionNames.of("batchSize", command("train")));
    assertEquals("--dose", OptionNames.of("dose", command("evaluate")));
    // estimate-endmembers has --components (the scree length) and no --endmembers.
    assertEquals("--components", OptionNames.of("screeLength", command("estimate-endmembers")));
    assertEquals("components", OptionNames.of("components", command("estimate-endmembers")));
    // A command without the option keeps the parameter name; files and unknown names pass through.
    assertEquals("init", OptionNames.of("init", command("generate")));
    assertEquals("/data/si.dm4", OptionNames.of("/data/si.dm4", command("ingest")));
    assertEquals("--pre-edge", OptionNames.of("--pre-edge", command("bs")));
    assertEquals(null, OptionNames.of(null, command("bs")));
  }

  @Test
  void aKernelErrorReadsAsItsOptionOnTheCommandLine() {
    BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class,
        () -> new Nmf.Options(3, 0).withInit("svd"));
    assertEquals("init", e.source());
    assertEquals(e.getMessage(), e.source() + ": " + e.problem());
    assertEquals("--nmf-init", OptionNames.of(e.source(), command("unmix")));
  }

  @Test
  void aBadCalibrationOnTheCommandLineIsBadInput(@TempDir Path dir) throws Exception {
    Path folder = CliErrorsTest.cubeFolder(dir, "no-axis", new float[2 * 3 * 4], 2, 3, 4);
    Files.delete(folder.resolve("energy.npy"));
    CliTestSupport.Run run = CliTestSupport.run("import-npy", "--input", folder.toString(), "--energy-offset", "0",
        "--energy-scale", "0", "--store", dir.resolve("store").toString());
    assertEquals(2, run.code(), run.err());
    assertTrue(run.err().startsWith("error: --energy-scale: the energy axis scale"), run.err());
  }
}
