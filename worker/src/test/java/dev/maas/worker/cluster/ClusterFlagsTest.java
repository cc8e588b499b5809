package dev.maas.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClusterFlagsTest {

  @TempDir Path dir;

  @Test
  void withoutControlPlane_clusterModeIsOff() {
    assertThat(parse().enabled()).isFalse();
  }

  @Test
  void defaults_fillWorkerIdSlotsAndAdvertisedAddress() {
    ClusterFlags flags = parse("--control-plane", "cp:7001");

    ClusterOptions options = flags.toOptions(Map.of(ClusterFlags.TOKEN_VARIABLE, "s3cret"));

    assertThat(flags.enabled()).isTrue();
    assertThat(options.controlPlane()).isEqualTo("cp:7001");
    assertThat(options.slots()).isEqualTo(ClusterOptions.DEFAULT_SLOTS);
    assertThat(options.workerId()).isEqualTo(ClusterOptions.localHostName());
    assertThat(options.advertiseAddressFor(9001))
        .isEqualTo(ClusterOptions.localHostName() + ":9001");
    assertThat(options.token().matches("s3cret")).isTrue();
    assertThat(options.token().toString()).doesNotContain("s3cret");
    assertThat(flags.repositoryDirectory()).isEqualTo(Path.of("worker-cache", "repository"));
  }

  @Test
  void flags_overrideTheDefaults() {
    ClusterFlags flags =
        parse(
            "--control-plane=cp:7001",
            "--advertise-address=10.0.0.5:9001",
            "--worker-id=pod-7",
            "--slots=3",
            "--cache-dir=" + dir);

    ClusterOptions options = flags.toOptions(Map.of(ClusterFlags.TOKEN_VARIABLE, "s3cret"));

    assertThat(options.advertiseAddressFor(1234)).isEqualTo("10.0.0.5:9001");
    assertThat(options.workerId()).isEqualTo("pod-7");
    assertThat(options.slots()).isEqualTo(3);
    assertThat(flags.repositoryDirectory()).isEqualTo(dir.resolve("repository"));
  }

  @Test
  void tokenFile_isRead_withoutItsTrailingNewline() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-file\n");

    ClusterOptions options =
        parse("--control-plane=cp:7001", "--cluster-token-file=" + file).toOptions(Map.of());

    assertThat(options.token().matches("from-file")).isTrue();
  }

  @Test
  void missingToken_isAnError_namingWhereToPutIt() {
    ClusterFlags flags = parse("--control-plane=cp:7001");

    assertThatThrownBy(() -> flags.toOptions(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ClusterFlags.TOKEN_VARIABLE)
        .hasMessageContaining("--cluster-token-file");
  }

  @Test
  void tokenGivenTwice_isAnError() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-file");
    ClusterFlags flags = parse("--control-plane=cp:7001", "--cluster-token-file=" + file);

    assertThatThrownBy(() -> flags.toOptions(Map.of(ClusterFlags.TOKEN_VARIABLE, "from-env")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void tokenMatches_onlyItself() {
    ClusterToken token = ClusterToken.of("abc");

    assertThat(token.matches("abc")).isTrue();
    assertThat(token.matches("abd")).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThatThrownBy(() -> ClusterToken.of(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  private static ClusterFlags parse(String... args) {
    ClusterFlags flags = new ClusterFlags();
    new CommandLine(flags).parseArgs(args);
    return flags;
  }
}
