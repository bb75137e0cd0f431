package org.eelsunmix.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.eelsunmix.core.BadInputException;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a {@code --config FILE} properties file: key {@code <command>.<option>} (e.g.
 * {@code evaluate.replicates=20}) or plain {@code <option>} for every command that has it; option names without
 * their dashes. Values given on the command line win; these win over the built-in defaults.
 */
final class ConfigDefaults implements IDefaultValueProvider {
  private final Properties properties = new Properties();

  ConfigDefaults(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new BadInputException("--config " + file, "cannot be read: " + e.getMessage());
    }
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || arg.command() == null) {
      return null;
    }
    String name = option.longestName().replaceFirst("^-+", "");
    String value = properties.getProperty(arg.command().name() + "." + name);
    return value != null ? value.trim() : properties.getProperty(name) == null ? null
        : properties.getProperty(name).trim();
  }
}
