package dev.maas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.LivePlatformExtension;
import dev.maas.sdk.testing.TestTenant;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code maas usage}, {@code maas workers}, {@code maas audit} and {@code maas perf}. */
@ExtendWith(LivePlatformExtension.class)
class ObservabilityCommandsTest {

  @TempDir Path home;

  @Test
  void usageWorkersAndAuditShowWhatHappened(LivePlatform platform) throws Exception {
    TestTenant tenant = platform.newTenant("cli-usage");
    platform.deploy(tenant, "affine", "affine");
    Cli cli = LiveCli.asTenant(platform, tenant, home);
    assertThat(cli.run("infer", "affine", "-i", "x=@[1,2,3,4]").exitCode()).isZero();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Cli.Result usage = cli.run("usage", "--model", "affine", "-o", "json");
              JsonNode records = new ObjectMapper().readTree(usage.out());
              assertThat(records).hasSize(1);
              assertThat(records.get(0).get("requests").asLong()).isEqualTo(1);
            });
    assertThat(cli.run("usage").out()).contains("HOUR", "REQUESTS", "affine");

    Cli.Result workers = LiveCli.asAdmin(platform, home).run("workers");
    assertThat(workers.out()).contains("sdk-test-worker", "yes", "cpu");
    assertThat(cli.run("workers").exitCode()).isEqualTo(7);

    Cli.Result audit = cli.run("audit", "--limit", "20");
    assertThat(audit.out()).contains("model.create", "deployment.set", "version.ready");
    Cli.Result all = LiveCli.asAdmin(platform, home).run("audit", "--all", "-o", "json");
    assertThat(new ObjectMapper().readTree(all.out()).size()).isPositive();
    assertThat(cli.run("usage", "--since", "yesterday").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void perfReportsThroughputAndPercentilesPerLevel(LivePlatform platform) {
    TestTenant tenant = platform.newTenant("cli-perf");
    platform.deploy(tenant, "affine", "affine");
    platform
        .admin()
        .quotas()
        .set(
            tenant.name(),
            new dev.maas.sdk.admin.Quota(
                100_000.0, 100_000L, 1_000L, null, null, null, null, null));
    Cli cli = LiveCli.asTenant(platform, tenant, home);

    Cli.Result csv =
        cli.run(
            "perf",
            "affine",
            "--concurrency",
            "1:2:x2",
            "--duration",
            "300ms",
            "--warmup",
            "100ms",
            "--csv");
    Cli.Result table =
        cli.run(
            "perf",
            "affine",
            "-i",
            "x=@[1,2,3,4]",
            "--concurrency",
            "2",
            "--duration",
            "200ms",
            "--warmup",
            "0s");

    assertThat(csv.exitCode()).as(csv.toString()).isZero();
    assertThat(csv.out().lines().toList())
        .hasSize(3)
        .first()
        .isEqualTo("concurrency,throughput_per_s,p50_ms,p90_ms,p99_ms,successes,errors");
    assertThat(csv.out().lines().skip(1).map(l -> l.split(",")[0])).containsExactly("1", "2");
    assertThat(csv.out().lines().skip(1).map(l -> Double.parseDouble(l.split(",")[1])))
        .allMatch(t -> t > 0);
    assertThat(csv.err()).contains("concurrency 1: warming up");
    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).contains("CONCURRENCY", "THROUGHPUT/S", "P50 MS", "P99 MS");

    Cli.Result badRange = cli.run("perf", "affine", "--concurrency", "8:1");
    assertThat(badRange.exitCode()).isEqualTo(ExitCodes.USAGE);
    Cli.Result missing = cli.run("perf", "nothing", "--duration", "100ms");
    assertThat(missing.exitCode()).isEqualTo(5);
  }
}
