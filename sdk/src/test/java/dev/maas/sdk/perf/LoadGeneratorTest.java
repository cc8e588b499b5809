package dev.maas.sdk.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.sdk.InferRequest;
import dev.maas.sdk.MaasClient;
import dev.maas.sdk.Tensor;
import dev.maas.sdk.admin.Quota;
import dev.maas.sdk.testing.LivePlatform;
import dev.maas.sdk.testing.LivePlatformExtension;
import dev.maas.sdk.testing.TestTenant;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LivePlatformExtension.class)
class LoadGeneratorTest {

  private static LivePlatform platform;
  private static TestTenant tenant;

  @BeforeAll
  static void deploy(LivePlatform live) {
    platform = live;
    tenant = live.newTenant("perf");
    // Far above what the test sends: the default 100 requests/s would refuse some calls.
    live.admin()
        .quotas()
        .set(tenant.name(), new Quota(100_000.0, 100_000L, 1_000L, null, null, null, null, null));
    live.deploy(tenant, "affine", "affine");
  }

  @Test
  void aLevelKeepsCallsInFlightAndRecordsEverySuccess() throws Exception {
    AtomicLong recorded = new AtomicLong();
    AtomicLong slowest = new AtomicLong();
    try (MaasClient client = platform.inference(tenant.inferKey())) {
      LoadGenerator generator =
          new LoadGenerator(
              client,
              InferRequest.of("affine", Tensor.ofFloats("x", new float[] {1, 2, 3, 4}, 1, 4)));

      LevelResult result =
          generator.run(
              4,
              Duration.ofMillis(200),
              Duration.ofMillis(800),
              nanos -> {
                recorded.incrementAndGet();
                slowest.accumulateAndGet(nanos, Math::max);
              });

      assertThat(result.concurrency()).isEqualTo(4);
      assertThat(result.successes()).isPositive().isEqualTo(recorded.get());
      assertThat(result.errors()).isZero();
      assertThat(result.throughputPerSecond()).isEqualTo(result.successes() / 0.8);
      assertThat(slowest.get()).isPositive().isLessThan(Duration.ofMillis(800).toNanos());
    }
  }

  @Test
  void failuresAreCountedByCode() throws Exception {
    try (MaasClient client = platform.inference(tenant.inferKey())) {
      LoadGenerator generator =
          new LoadGenerator(
              client,
              InferRequest.of("missing", Tensor.ofFloats("x", new float[] {1, 2, 3, 4}, 1, 4)));

      LevelResult result = generator.run(2, Duration.ZERO, Duration.ofMillis(300), nanos -> {});

      assertThat(result.successes()).isZero();
      assertThat(result.errors()).isPositive();
      assertThat(result.errorsByCode()).containsOnlyKeys("NOT_FOUND");
      assertThat(result.firstError()).contains("model missing not found");
    }
  }
}
