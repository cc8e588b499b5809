package dev.maas.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.problem.Problem;
import dev.maas.controlplane.testing.ControlPlaneExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsageRecorderTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  static final Instant TEN = Instant.parse("2024-03-01T10:00:00Z");

  static UsageRecorder recorder;
  static UsageService usage;

  @BeforeAll
  static void tenants() {
    for (String tenant : List.of("acme", "once", "hours", "racy", "gone")) {
      plane.createTenant(tenant);
    }
    recorder = plane.context().getBean(UsageRecorder.class);
    usage = plane.context().getBean(UsageService.class);
  }

  static UsageEntry entry(String tenant, String model, long version, Instant at, long requests) {
    return new UsageEntry(
        tenant,
        model,
        version,
        at,
        new UsageCounts(requests, 1, requests * 2, requests * 100, requests * 10, requests * 3));
  }

  static List<UsageRecord> usageOf(String tenant) {
    return usage.get(
        new Principal.Admin(), tenant, "", TEN.minusSeconds(86_400), TEN.plusSeconds(86_400));
  }

  @Test
  void sameBatchRecordedTwice_isCountedOnce() {
    List<UsageEntry> entries = List.of(entry("once", "lenet", 1, TEN.plusSeconds(60), 5));

    assertThat(recorder.record("batch-once", "gw-1", entries)).isTrue();
    assertThat(recorder.record("batch-once", "gw-1", entries)).isFalse();
    assertThat(recorder.record("batch-once", "gw-2", entries)).isFalse();

    assertThat(usageOf("once"))
        .containsExactly(new UsageRecord("lenet", 1, TEN, new UsageCounts(5, 1, 10, 500, 50, 15)));
  }

  @Test
  void entriesOfTheSameHour_addUp_withinAndAcrossBatches() {
    recorder.record(
        "hours-1",
        "gw-1",
        List.of(
            entry("hours", "lenet", 1, TEN.plusSeconds(5 * 60), 2),
            entry("hours", "lenet", 1, TEN.plusSeconds(50 * 60), 3),
            entry("hours", "lenet", 2, TEN.plusSeconds(50 * 60), 7),
            entry("hours", "lenet", 1, TEN.plusSeconds(60 * 60), 11)));
    recorder.record(
        "hours-2", "gw-2", List.of(entry("hours", "lenet", 1, TEN.plusSeconds(59 * 60 + 59), 4)));

    assertThat(usageOf("hours"))
        .containsExactly(
            new UsageRecord("lenet", 1, TEN, new UsageCounts(9, 3, 18, 900, 90, 27)),
            new UsageRecord("lenet", 2, TEN, new UsageCounts(7, 1, 14, 700, 70, 21)),
            new UsageRecord(
                "lenet", 1, TEN.plusSeconds(3600), new UsageCounts(11, 1, 22, 1100, 110, 33)));
  }

  @Test
  void concurrentDuplicates_areCountedOnce() throws Exception {
    List<UsageEntry> entries =
        List.of(entry("racy", "lenet", 1, TEN, 1), entry("racy", "affine", 1, TEN, 1));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<Boolean> report =
            () -> {
              start.await();
              return recorder.record("racy-batch", "gw", entries);
            };
        results.add(pool.submit(report));
      }
      start.countDown();
      int counted = 0;
      for (Future<Boolean> result : results) {
        counted += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(counted).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(usageOf("racy")).extracting(r -> r.counts().requests()).containsExactly(1L, 1L);
  }

  @Test
  void entriesOfUnknownTenants_areDropped_andTheRestCounted() {
    assertThat(
            recorder.record(
                "mixed",
                "gw-1",
                List.of(entry("no-such-tenant", "m", 1, TEN, 1), entry("acme", "m", 1, TEN, 2))))
        .isTrue();

    assertThat(usageOf("acme")).extracting(r -> r.counts().requests()).containsExactly(2L);
  }

  @Test
  void usageOfADeletedTenant_isDeletedWithIt() throws Exception {
    recorder.record("gone-1", "gw-1", List.of(entry("gone", "m", 1, TEN, 1)));
    assertThat(usageOf("gone")).hasSize(1);

    try (Connection sql = plane.sql()) {
      sql.createStatement().executeUpdate("delete from tenants where name = 'gone'");
      try (ResultSet rows =
          sql.createStatement()
              .executeQuery("select count(*) from usage_hourly where tenant = 'gone'")) {
        rows.next();
        assertThat(rows.getLong(1)).isZero();
      }
    }
  }

  @Test
  void batchWithoutId_orWithNegativeCounts_isInvalid() {
    assertThatThrownBy(() -> recorder.record(" ", "gw", List.of()))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID_ARGUMENT));
    assertThatThrownBy(() -> new UsageCounts(1, -1, 0, 0, 0, 0))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.getMessage()).contains("errors=-1"));
    assertThatThrownBy(() -> new UsageEntry("acme", "", 1, TEN, UsageCounts.ZERO))
        .isInstanceOf(Problem.class);
  }

  @Test
  void batchIds_areKeptWithTheirGateway() throws Exception {
    recorder.record("kept", "gw-7", List.of());

    try (Connection sql = plane.sql();
        ResultSet rows =
            sql.createStatement()
                .executeQuery("select gateway from usage_batches where batch_id = 'kept'")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("gw-7");
    }
  }
}
