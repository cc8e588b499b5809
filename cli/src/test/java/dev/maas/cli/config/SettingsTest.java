package dev.maas.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.cli.CliEnvironment;
import dev.maas.cli.CliException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SettingsTest {

  @TempDir Path home;

  private GlobalOptions flags(String... args) {
    GlobalOptions options = new GlobalOptions();
    new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return options;
  }

  @Test
  void defaultsApplyWhenNothingIsGiven() {
    Settings settings = Settings.resolve(flags(), new CliEnvironment(Map.of(), home, false));

    assertThat(settings.endpoint()).isEqualTo("localhost:7001");
    assertThat(settings.gateway()).isEqualTo("localhost:8001");
    assertThat(settings.token()).isNull();
    assertThat(settings.tls()).isFalse();
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.profiles().file()).isEqualTo(home.resolve(".maas/profiles"));
  }

  @Test
  void flagsBeatVariablesWhichBeatTheProfile() {
    new ProfileStore(home.resolve(".maas/profiles"))
        .write(
            "default",
            Map.of(
                "endpoint", "profile:1", "token", "p-token", "tenant", "p-tenant", "tls", "true"));
    CliEnvironment env =
        new CliEnvironment(Map.of("MAAS_ENDPOINT", "env:1", "MAAS_TOKEN", "e-token"), home, false);

    Settings settings = Settings.resolve(flags("--endpoint", "flag:1"), env);

    assertThat(settings.endpoint()).isEqualTo("flag:1");
    assertThat(settings.token()).isEqualTo("e-token");
    assertThat(settings.tenant()).isEqualTo("p-tenant");
    assertThat(settings.tls()).isTrue();
    assertThat(settings.toString()).doesNotContain("e-token");
  }

  @Test
  void aNamedProfileMustExist() {
    CliEnvironment env = new CliEnvironment(Map.of("MAAS_PROFILE", "prod"), home, false);

    assertThatThrownBy(() -> Settings.resolve(flags(), env))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("no profile 'prod'");
  }

  @Test
  void profilesAreKeptApart() {
    ProfileStore store = new ProfileStore(home.resolve("p"));
    store.write("a", Map.of("token", "1"));
    store.write("b", Map.of("token", "2"));
    store.write("a", Map.of("token", "3"));

    assertThat(store.read("a")).containsExactly(Map.entry("token", "3"));
    assertThat(store.read("b")).containsExactly(Map.entry("token", "2"));
    assertThat(store.has("c")).isFalse();
  }
}
