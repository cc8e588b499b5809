package dev.maas.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI reads from its surroundings: environment variables and the home directory (tests
 * pass their own).
 *
 * @param variables the environment variables
 * @param home the user's home directory
 * @param interactive whether a person is at a terminal (progress bars redraw in place)
 */
public record CliEnvironment(Map<String, String> variables, Path home, boolean interactive) {

  /** Copies the variables. */
  public CliEnvironment {
    variables = Map.copyOf(variables);
  }

  /** This process's environment. */
  public static CliEnvironment ofSystem() {
    return new CliEnvironment(
        System.getenv(), Path.of(System.getProperty("user.home")), System.console() != null);
  }

  /** A variable, or null when it is unset or empty. */
  public String variable(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
