package dev.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.launch.ConnectionLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

  @Test
  void flagsAndEnvironment_makeTheOptions_flagsWinning() throws Exception {
    Map<String, String> env =
        Map.of(
            "MAAS_CONTROL_PLANE", "cp:7001",
            "MAAS_PORT", "9100",
            "MAAS_REPLICAS_HINT", "3",
            "MAAS_CLUSTER_TOKEN", "tok");
    CommandLine command = Main.commandLine(env);
    command.parseArgs("--port", "9200", "--gateway-id", "g1");

    GatewayOptions options = ((Main) command.getCommand()).options();

    assertThat(options.controlPlane()).isEqualTo("cp:7001");
    assertThat(options.port()).isEqualTo(9200);
    assertThat(options.metricsPort()).isEqualTo(8002);
    assertThat(options.replicasHint()).isEqualTo(3);
    assertThat(options.clusterToken()).isEqualTo("tok");
    assertThat(options.gatewayId()).isEqualTo("g1");
    assertThat(options.toString()).doesNotContain("tok");
  }

  @Test
  void connectionLimits_comeFromFlagsOrEnvironment_withDefaults() throws Exception {
    Map<String, String> env =
        Map.of(
            "MAAS_CONTROL_PLANE", "cp:7001",
            "MAAS_CLUSTER_TOKEN", "tok",
            "MAAS_MAX_CONNECTION_IDLE_SECONDS", "42");
    CommandLine command = Main.commandLine(env);
    command.parseArgs("--permit-keepalive-seconds", "7");
    GatewayOptions options = ((Main) command.getCommand()).options();

    assertThat(options.connections())
        .isEqualTo(new ConnectionLimits(Duration.ofSeconds(42), Duration.ofSeconds(7)));
    CommandLine defaults = Main.commandLine(Map.of("MAAS_CLUSTER_TOKEN", "tok"));
    defaults.parseArgs("--control-plane", "cp:7001");
    assertThat(((Main) defaults.getCommand()).options().connections())
        .isEqualTo(ConnectionLimits.defaults());
  }

  @Test
  void tokenFile_isRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-file\n");
    CommandLine command = Main.commandLine(Map.of());
    command.parseArgs("--control-plane", "cp:7001", "--cluster-token-file", file.toString());

    assertThat(((Main) command.getCommand()).options().clusterToken()).isEqualTo("from-file");
  }

  @Test
  void missingToken_failsWithAMessage() {
    StringWriter err = new StringWriter();
    CommandLine command = Main.commandLine(Map.of()).setErr(new PrintWriter(err));

    int code = command.execute("--control-plane", "cp:7001");

    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("MAAS_CLUSTER_TOKEN");
  }
}
