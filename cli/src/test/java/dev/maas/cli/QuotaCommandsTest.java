package dev.maas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.LivePlatformExtension;
import dev.maas.sdk.testing.TestTenant;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LivePlatformExtension.class)
class QuotaCommandsTest {

  @TempDir Path home;

  @Test
  void quotaSetChangesOnlyTheNamedLimits(LivePlatform platform) throws Exception {
    TestTenant tenant = platform.newTenant("cli-quota");
    Cli cli = LiveCli.asAdmin(platform, home).env("MAAS_TENANT", tenant.name());

    assertThat(cli.run("quota", "set", "--requests-per-second", "25").exitCode()).isZero();
    Cli.Result second = cli.run("quota", "set", "--burst", "50", "-o", "json");

    JsonNode overrides = new ObjectMapper().readTree(second.out()).get("overrides");
    assertThat(overrides.get("requestsPerSecond").asDouble()).isEqualTo(25.0);
    assertThat(overrides.get("burst").asLong()).isEqualTo(50);
    Cli.Result shown = cli.run("quota", "get");
    assertThat(shown.out())
        .contains("LIMIT", "IN FORCE", "OVERRIDE")
        .containsPattern("burst\\s+50\\s+50");

    Cli.Result reset = cli.run("quota", "set", "--reset", "--max-models", "3", "-o", "json");
    JsonNode afterReset = new ObjectMapper().readTree(reset.out()).get("overrides");
    assertThat(afterReset.get("burst").isNull()).isTrue();
    assertThat(afterReset.get("maxModels").asLong()).isEqualTo(3);
  }

  @Test
  void onlyTheAdminSetsQuotas(LivePlatform platform) {
    TestTenant tenant = platform.newTenant("cli-quota-key");

    Cli.Result refused =
        LiveCli.asTenant(platform, tenant, home).run("quota", "set", "--burst", "1");

    assertThat(refused.exitCode()).isEqualTo(7);
    assertThat(LiveCli.asTenant(platform, tenant, home).run("quota", "get").exitCode()).isZero();
  }
}
