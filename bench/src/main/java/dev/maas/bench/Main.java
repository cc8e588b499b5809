package dev.maas.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The benchmark harness: {@code java -jar maas-bench.jar all}. */
@Command(
    name = "maas-bench",
    mixinStandardHelpOptions = true,
    subcommands = AllCommand.class,
    description = "Measures maas side by side with TensorFlow in one run; prints a markdown table.")
public final class Main {

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
