package dev.maas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnreachableEndpointTest {

  @TempDir Path home;

  @Test
  void anUnreachableEndpointExitsFourteenNamingIt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Cli.Result result =
        new Cli(home)
            .env("MAAS_TOKEN", "token")
            .run("tenant", "list", "--endpoint", "127.0.0.1:" + closedPort, "--timeout", "10s");

    assertThat(result.exitCode()).isEqualTo(14);
    assertThat(result.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: UNAVAILABLE")
        .endsWith("(calling 127.0.0.1:" + closedPort + ")");
  }

  @Test
  void noCommandIsAUsageErrorAndHelpWorksEverywhere() {
    Cli.Result result = new Cli(home).run();

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("Missing a command");
    assertThat(new Cli(home).run("--help").out()).contains("tenant", "model", "perf", "Exit codes");
    // Commands whose --version names a model version still answer --help.
    for (String command : new String[] {"infer", "perf", "deploy"}) {
      Cli.Result help = new Cli(home).run(command, "--help");
      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.out()).contains("Usage: maas " + command, "--version=V");
    }
  }
}
