package dev.maas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.LivePlatformExtension;
import dev.maas.sdk.testing.TestTenant;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LivePlatformExtension.class)
class TenantAndKeyCommandsTest {

  private static LivePlatform platform;

  @TempDir Path home;

  @BeforeAll
  static void setUp(LivePlatform live) {
    platform = live;
  }

  @Test
  void tenantLifecycleThroughTheCli() throws Exception {
    Cli cli = LiveCli.asAdmin(platform, home);

    Cli.Result created = cli.run("tenant", "create", "cli-acme", "--display-name", "Acme");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).contains("NAME", "cli-acme", "ACTIVE", "Acme");

    assertThat(cli.run("tenant", "list").out()).contains("cli-acme");
    assertThat(cli.run("tenant", "suspend", "cli-acme").out()).contains("SUSPENDED");
    assertThat(cli.run("tenant", "resume", "cli-acme").out()).contains("ACTIVE");

    Cli.Result json = cli.run("tenant", "get", "cli-acme", "--output", "json");
    JsonNode tenant = new ObjectMapper().readTree(json.out());
    assertThat(tenant.get("name").asText()).isEqualTo("cli-acme");
    assertThat(tenant.get("status").asText()).isEqualTo("ACTIVE");

    Cli.Result duplicate = cli.run("tenant", "create", "cli-acme");
    assertThat(duplicate.exitCode()).isEqualTo(6);
    assertThat(duplicate.err().strip()).startsWith("error: ALREADY_EXISTS").doesNotContain("\n");

    assertThat(cli.run("tenant", "delete", "cli-acme").exitCode()).isZero();
    Cli.Result gone = cli.run("tenant", "get", "cli-acme");
    assertThat(gone.exitCode()).isEqualTo(5);
    assertThat(gone.err()).startsWith("error: NOT_FOUND").doesNotContain("\tat ");
  }

  @Test
  void aKeysSecretIsPrintedOnceAtCreation() throws Exception {
    TestTenant tenant = platform.newTenant("cli-keys");
    Cli cli = LiveCli.asAdmin(platform, home).env("MAAS_TENANT", tenant.name());

    Cli.Result created =
        cli.run("key", "create", "--scope", "infer", "--description", "ci", "--expires", "30d");

    assertThat(created.exitCode()).as(created.toString()).isZero();
    String secret =
        created
            .out()
            .lines()
            .filter(l -> l.startsWith("secret: "))
            .findFirst()
            .orElseThrow()
            .substring("secret: ".length());
    assertThat(secret).startsWith("mk_");
    assertThat(created.err()).contains("not shown again");
    Cli.Result listed = cli.run("key", "list");
    assertThat(listed.out()).contains("ci", "infer").doesNotContain(secret);

    String keyId = secret.split("_")[1];
    Cli.Result revoked = cli.run("key", "revoke", keyId, "-o", "json");
    assertThat(new ObjectMapper().readTree(revoked.out()).get("revokeTime").isNull()).isFalse();

    Cli.Result json = cli.run("key", "create", "--scope", "infer,manage", "-o", "json");
    JsonNode key = new ObjectMapper().readTree(json.out());
    assertThat(key.get("secret").asText()).startsWith("mk_" + key.get("key").get("keyId").asText());
    assertThat(key.get("key").get("scopes")).hasSize(2);
  }

  @Test
  void failuresExitWithTheGrpcCodeAndOneLine() {
    TestTenant tenant = platform.newTenant("cli-fail");

    Cli.Result badToken =
        LiveCli.asAdmin(platform, home).env("MAAS_TOKEN", "wrong").run("tenant", "list");
    assertThat(badToken.exitCode()).isEqualTo(16);
    assertThat(badToken.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: UNAUTHENTICATED");

    Cli.Result notAdmin =
        LiveCli.asTenant(platform, tenant, home).run("tenant", "create", "other-x");
    assertThat(notAdmin.exitCode()).isEqualTo(7);
    assertThat(notAdmin.err()).startsWith("error: PERMISSION_DENIED");

    Cli.Result noToken =
        new Cli(home).env("MAAS_ENDPOINT", platform.adminTarget()).run("tenant", "list");
    assertThat(noToken.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noToken.err()).contains("--token");

    Cli.Result usage = LiveCli.asAdmin(platform, home).run("tenant", "get");
    assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(usage.err()).contains("Missing required parameter", "maas tenant get --help");

    Cli.Result unknownScope =
        LiveCli.asAdmin(platform, home)
            .env("MAAS_TENANT", tenant.name())
            .run("key", "create", "--scope", "admin");
    assertThat(unknownScope.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknownScope.err()).contains("unknown scope 'admin'");
  }

  @Test
  void debugPrintsTheStackTrace() {
    Cli.Result result =
        LiveCli.asAdmin(platform, home).run("tenant", "get", "no-such-tenant", "--debug");

    assertThat(result.exitCode()).isEqualTo(5);
    assertThat(result.err()).contains("error: NOT_FOUND", "\tat ");
  }

  @Test
  void aManageKeyActsOnItsOwnTenantWithoutNamingIt() {
    TestTenant tenant = platform.newTenant("cli-own");

    Cli.Result keys = LiveCli.asTenant(platform, tenant, home).run("key", "list");

    assertThat(keys.exitCode()).as(keys.toString()).isZero();
    assertThat(keys.out()).contains("infer", "manage");
    Cli.Result ambiguous = LiveCli.asAdmin(platform, home).run("key", "list");
    assertThat(ambiguous.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(ambiguous.err()).contains("name the tenant with --tenant");
  }
}
