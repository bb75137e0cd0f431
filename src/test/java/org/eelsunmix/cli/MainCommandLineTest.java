package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link Main#commandLine}: a command line that names a command gets that one only (picocli reads each added
 * command's options by reflection); help, an unknown word and no word get all of them, in the usage help's order.
 */
class MainCommandLineTest {

  private static List<String> names(String... args) {
    return List.copyOf(Main.commandLine(args).getSubcommands().keySet());
  }

  @Test
  void aNamedCommandGetsOnlyItself() {
    assertEquals(List.of("unmix"), names("unmix", "--store", "s", "--out", "o"));
    assertEquals(List.of("bench"), names("bench", "--all"));
  }

  @Test
  void helpUnknownWordsAndNoWordGetEveryCommandInOrder() {
    List<String> all = Main.SUBCOMMANDS.stream()
        .map(c -> c.getAnnotation(CommandLine.Command.class).name()).toList();
    assertEquals(18, all.size());
    assertEquals(all, names());
    assertEquals(all, names("--help"));
    assertEquals(all, names("help", "unmix"));
    assertEquals(all, names("unmx", "--store", "s"));
  }

  @Test
  void aTypoStillGetsPicoclisSuggestionAndExitCode2() {
    StringWriter err = new StringWriter();
    int code = Main.execute(new String[] {"unmx"}, true, new PrintWriter(err, true));
    assertEquals(2, code);
    assertTrue(err.toString().contains("unmix"), err.toString());
  }

  @Test
  void theUsageHelpStillListsEveryCommand() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine(new String[] {"--help"});
    cli.setOut(new PrintWriter(out, true));
    assertEquals(0, cli.execute("--help"));
    for (Class<?> c : Main.SUBCOMMANDS) {
      String name = c.getAnnotation(CommandLine.Command.class).name();
      assertTrue(out.toString().contains("  " + name), name + " missing from:\n" + out);
    }
  }
}
