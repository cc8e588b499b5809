package dev.maas.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.launch.ConnectionLimits;
import dev.maas.launch.EnvironmentDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

  @TempDir Path dir;

  @Test
  void variableFor_mapsLongOptionsToMaasVariables() {
    assertThat(EnvironmentDefaults.variableFor("--metrics-port")).isEqualTo("MAAS_METRICS_PORT");
    assertThat(EnvironmentDefaults.variableFor("--model-repository"))
        .isEqualTo("MAAS_MODEL_REPOSITORY");
    assertThat(EnvironmentDefaults.variableFor("--intra-op-threads"))
        .isEqualTo("MAAS_INTRA_OP_THREADS");
  }

  @Test
  void environmentSuppliesOptionsThatTheCommandLineLeavesOut() {
    Main main =
        parse(
            Map.of(
                "MAAS_MODEL_REPOSITORY", dir.toString(),
                "MAAS_METRICS_PORT", "7777",
                "MAAS_DEVICE", "cpu"));

    assertThat(main.modelRepository).isEqualTo(dir);
    assertThat(main.metricsPort).isEqualTo(7777);
    assertThat(main.port).isEqualTo(WorkerOptions.DEFAULT_PORT);
  }

  @Test
  void commandLineFlagWinsOverTheEnvironment() {
    Main main =
        parse(
            Map.of("MAAS_METRICS_PORT", "7777"),
            "--model-repository",
            dir.toString(),
            "--metrics-port",
            "-1");

    assertThat(main.metricsPort).isEqualTo(-1);
  }

  @Test
  void connectionLimits_comeFromFlagsOrEnvironment_withDefaults() {
    Main main =
        parse(
            Map.of("MAAS_MAX_CONNECTION_IDLE_SECONDS", "42"),
            "--model-repository",
            dir.toString(),
            "--permit-keepalive-seconds",
            "7");
    Main defaults = parse(Map.of(), "--model-repository", dir.toString());

    assertThat(main.connectionLimits.limits())
        .isEqualTo(new ConnectionLimits(Duration.ofSeconds(42), Duration.ofSeconds(7)));
    assertThat(defaults.connectionLimits.limits()).isEqualTo(ConnectionLimits.defaults());
  }

  @Test
  void missingModelRepository_isAUsageError() {
    java.io.StringWriter err = new java.io.StringWriter();
    int exit =
        new CommandLine(new Main())
            .setDefaultValueProvider(new EnvironmentDefaults(Map.of()))
            .setErr(new java.io.PrintWriter(err))
            .execute();

    assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--model-repository");
  }

  @Test
  void commandLine_readsModelRepositoryFromTheProcessEnvironment() throws Exception {
    Path parsed = dir.resolve("parsed.txt");
    ProcessBuilder child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CommandLineProbe.class.getName(),
                parsed.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("probe.log").toFile());
    child.environment().put("MAAS_MODEL_REPOSITORY", dir.resolve("models").toString());

    Process probe = child.start();

    assertThat(probe.waitFor(2, TimeUnit.MINUTES)).isTrue();

    assertThat(Files.readString(parsed)).isEqualTo("parsed: " + dir.resolve("models"));
    assertThat(probe.exitValue()).isZero();
  }

  @Test
  void exportDemoModels_writesTheDemoRepository() throws IOException {
    Path target = dir.resolve("demo");

    int exitCode = Main.commandLine().execute("export-demo-models", target.toString());

    assertThat(exitCode).isZero();
    for (String model : List.of("lenet", "binary_classifier", "affine", "strings", "dtypes")) {
      assertThat(target.resolve(model).resolve("1").resolve("saved_model.pb")).isRegularFile();
    }
    assertThat(Files.readString(target.resolve("lenet/config.json"))).contains("max_batch_size");
  }

  private static Main parse(Map<String, String> environment, String... args) {
    Main main = new Main();
    new CommandLine(main)
        .setDefaultValueProvider(new EnvironmentDefaults(environment))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(args);
    return main;
  }

  /**
   * Run in a child JVM whose environment names the model repository: parses no arguments with
   * {@link Main#commandLine()} and writes what it got to the file named by its argument.
   */
  static final class CommandLineProbe {
    public static void main(String[] args) throws IOException {
      String outcome;
      try {
        CommandLine commandLine = Main.commandLine();
        commandLine.parseArgs();
        outcome = "parsed: " + ((Main) commandLine.getCommand()).modelRepository;
      } catch (CommandLine.ParameterException e) {
        outcome = "rejected: " + e.getMessage();
      }
      Files.writeString(Path.of(args[0]), outcome, StandardCharsets.UTF_8);
    }
  }
}
