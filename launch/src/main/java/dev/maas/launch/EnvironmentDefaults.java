package dev.maas.launch;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option defaults from the environment: {@code --metrics-port} is read from {@code
 * MAAS_METRICS_PORT}, and so on. A flag on the command line wins over the environment.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

  private final Map<String, String> environment;

  public EnvironmentDefaults(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public String defaultValue(ArgSpec argument) {
    if (argument instanceof OptionSpec option && option.longestName().startsWith("--")) {
      String value = environment.get(variableFor(option.longestName()));
      if (value != null) {
        return value;
      }
    }
    return argument.defaultValue();
  }

  /** The variable that sets an option: {@code --metrics-port} → {@code MAAS_METRICS_PORT}. */
  public static String variableFor(String longName) {
    return "MAAS_" + longName.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
