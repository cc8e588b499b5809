package dev.maas.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.cli.CliEnvironment;
import dev.maas.cli.ExitCodes;
import dev.maas.cli.Main;
import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.LivePlatformExtension;
import dev.maas.sdk.testing.TestTenant;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(LivePlatformExtension.class)
class LoginCommandTest {

  @TempDir Path home;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(new CliEnvironment(env, home, false));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void loginSavesAPrivateProfileThatLaterCommandsUse(LivePlatform platform) throws Exception {
    TestTenant tenant = platform.newTenant("cli-login");

    int login =
        run(
            Map.of(),
            "login",
            "--endpoint",
            platform.adminTarget(),
            "--gateway",
            platform.gatewayTarget(),
            "--token",
            tenant.manageKey(),
            "--api-key",
            tenant.inferKey(),
            "--tenant",
            tenant.name());

    assertThat(login).as(err.toString()).isZero();
    Path file = home.resolve(".maas/profiles");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(file))
        .contains("default.token=" + tenant.manageKey(), "default.tenant=" + tenant.name());

    assertThat(run(Map.of(), "model", "list")).as(err.toString()).isZero();
    assertThat(run(Map.of(), "key", "list")).isZero();
    assertThat(out.toString()).contains("manage");
  }

  @Test
  void aFlagBeatsTheEnvironmentWhichBeatsTheProfile(LivePlatform platform) {
    TestTenant tenant = platform.newTenant("cli-order");
    assertThat(
            run(
                Map.of(),
                "login",
                "--no-verify",
                "--endpoint",
                "localhost:1",
                "--token",
                "stale",
                "--profile",
                "work"))
        .isZero();

    Map<String, String> env = new HashMap<>();
    env.put("MAAS_PROFILE", "work");
    env.put("MAAS_ENDPOINT", platform.adminTarget());
    assertThat(run(env, "tenant", "list")).isEqualTo(16);
    assertThat(run(env, "tenant", "list", "--token", tenant.manageKey()))
        .as(err.toString())
        .isZero();
  }

  @Test
  void aBadCredentialIsNotSavedAndAnUnknownProfileIsAUsageError(LivePlatform platform) {
    int login = run(Map.of(), "login", "--endpoint", platform.adminTarget(), "--token", "wrong");

    assertThat(login).isEqualTo(16);
    assertThat(home.resolve(".maas/profiles")).doesNotExist();
    assertThat(run(Map.of(), "tenant", "list", "--profile", "nope")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("no profile 'nope'", "maas login --profile nope");
  }
}
