package dev.maas.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code maas} commands in-process with their own environment, capturing out and err. */
final class Cli {

  private final Map<String, String> environment = new HashMap<>();
  private final Path home;

  Cli(Path home) {
    this.home = home;
    environment.put("MAAS_CONFIG", home.resolve(".maas/profiles").toString());
  }

  /** Sets an environment variable for later runs (null unsets it). */
  Cli env(String name, String value) {
    if (value == null) {
      environment.remove(name);
    } else {
      environment.put(name, value);
    }
    return this;
  }

  /** Runs one command line. */
  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = Main.commandLine(new CliEnvironment(environment, home, false));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  /** What a command did. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }
}
