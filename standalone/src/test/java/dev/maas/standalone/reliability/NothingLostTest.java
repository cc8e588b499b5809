package dev.maas.standalone.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.UsageRecord;
import dev.maas.proto.admin.v1.VersionState;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.demo.SavedModelArchive;
import dev.maas.standalone.demo.VersionUploader;
import dev.maas.standalone.e2e.ClusterAdmin;
import dev.maas.standalone.reliability.ResultsTable.Verdict;
import dev.maas.worker.demo.DemoModels;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 10 (a, b), nothing lost: usage and uploads across {@code kill -9} of every process of a
 * real cluster (control plane and gateway from their jars, two worker processes, an embedded
 * PostgreSQL that is restarted too).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NothingLostTest {

  /** The gateway's production default. */
  private static final double USAGE_REPORT_SECONDS = 5.0;

  /** Client threads of 10a, each with one call in flight at a time. */
  private static final int CLIENT_THREADS = 8;

  @RegisterExtension
  static final ProcessCluster cluster = new ProcessCluster(2, "256m", USAGE_REPORT_SECONDS);

  private static final Scale scale = Scale.current();

  /**
   * Scenario 10a. Calls with unique ids, each retried by the client until it succeeds, while the
   * gateway, a worker and the control plane are each killed once (and started again). The gateway
   * bills every routed call as a request and every non-OK one as an error too, so the successful
   * calls in the usage rows (requests − errors) must equal the distinct ids that succeeded: a
   * client retry after an attempt that failed (DEADLINE_EXCEEDED, CANCELLED, UNAVAILABLE...) adds
   * an error, never a second success. The gateway keeps usage in its journal on disk until the
   * control plane acknowledges it, so what the killed gateway had counted and not yet reported is
   * sent after its restart: nothing lost. A call the gateway finished and metered as a success but
   * whose answer never left it because it was killed that instant is retried by the client and
   * billed a second success: at-least-once at a gateway crash, so at most one per client thread (a
   * thread has one call in flight). Reported against the target of 0; asserted within that bound.
   */
  @Test
  @Order(1)
  void usage_equalsTheDistinctSuccessfulCalls_acrossKillsOfGatewayWorkerAndControlPlane()
      throws Exception {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("ledger");
    admin.setRate("ledger", 1_000_000, 1_000_000);
    String key = admin.createKey("ledger", Scope.SCOPE_INFER);
    admin.createModel("ledger", "counted");
    long version = admin.uploadAffine("ledger", "counted", 2f, 1f);
    admin.deploy("ledger", "counted", version, 2, Map.of());
    await("counted serving through the gateway")
        .atMost(ProcessCluster.START_TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(cluster.gatewayChannel(), key))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .modelReady(ModelReadyRequest.newBuilder().setName("counted").build())
                    .getReady());
    int calls = scale.pick(3_000, 100_000);
    UniqueCalls client = new UniqueCalls(cluster, key, calls);
    client.start(CLIENT_THREADS);
    double gatewayKilledAt;
    try {
      awaitDone(client, calls / 4);
      gatewayKilledAt = client.elapsedSeconds();
      cluster.gateway().kill();
      cluster.startGateway();
      awaitDone(client, calls / 2);
      cluster.workers().get(0).kill();
      cluster.startWorker("reliability-worker-2");
      awaitDone(client, 3 * calls / 4);
      cluster.controlPlane().kill();
      cluster.startControlPlane();
      awaitDone(client, calls);
    } finally {
      client.close();
    }
    long succeeded = client.succeeded();
    // Reports arrive every USAGE_REPORT_SECONDS; wait until the figure stops moving.
    long[] billed = {-1};
    await("usage reported and settled")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis((long) (USAGE_REPORT_SECONDS * 1000) + 500))
        .ignoreExceptions()
        .until(
            () -> {
              long now = billedSuccesses(cluster.admin().usage("ledger", "counted"));
              boolean settled = now == billed[0] && now > 0;
              billed[0] = now;
              return now == succeeded || settled;
            });
    long usage = billed[0];
    long lost = Math.max(0, succeeded - usage);
    long twice = Math.max(0, usage - succeeded);
    long atRisk =
        client.succeededBetween(gatewayKilledAt - USAGE_REPORT_SECONDS - 1, gatewayKilledAt);

    ResultsTable.row(
        "10a nothing lost (usage)",
        String.format(
            Locale.ROOT,
            "distinct successful calls / successes in usage rows (%,d unique ids)",
            calls),
        String.format(Locale.ROOT, "%,d / %,d", succeeded, usage),
        "equal",
        Verdict.of(succeeded == usage));
    ResultsTable.row(
        "10a nothing lost (usage)",
        String.format(
            Locale.ROOT,
            "lost (%,d calls were served in the killed gateway's last %.0f s report interval)",
            atRisk,
            USAGE_REPORT_SECONDS),
        String.format(Locale.ROOT, "%,d", lost),
        "0",
        Verdict.of(lost == 0));
    ResultsTable.row(
        "10a nothing lost (usage)",
        "successes counted twice (answer lost in the gateway kill, call retried)",
        Long.toString(twice),
        "0",
        Verdict.of(twice == 0));
    ResultsTable.row(
        "10a nothing lost (usage)",
        "failed attempts the client retried, by code",
        client.failuresByCode().toString(),
        "reported",
        Verdict.INFO);

    assertThat(client.gaveUp()).as("calls that never succeeded within 2 minutes").isEmpty();
    assertThat(client.wrong()).as("wrong answers").isZero();
    assertThat(twice)
        .as("successes counted twice: only calls in flight when the gateway was killed")
        .isLessThanOrEqualTo(CLIENT_THREADS);
    assertThat(lost).as("successful calls missing from usage").isZero();
  }

  /**
   * Scenario 10b. Uploads, each retried until acknowledged READY, while the control plane is killed
   * at random points and PostgreSQL is restarted; then one more kill and PostgreSQL restart with
   * the control plane down. Every acknowledged version must be READY with its SHA-256; no version
   * may be left unfinished, and the artifact store and the database must agree: no file without its
   * row, no row without its file. Temporary files of writes the kills interrupted are counted apart
   * (see the assertion).
   */
  @Test
  @Order(2)
  void uploads_acrossControlPlaneKillsAndPostgresRestarts_leaveNothingPartialOrOrphaned()
      throws Exception {
    ClusterAdmin admin = cluster.admin();
    admin.createTenant("uploads");
    admin.createModel("uploads", "affine");
    int uploads = scale.pick(10, 100);
    List<SavedModelArchive> archives = new ArrayList<>();
    for (int i = 0; i < uploads; i++) {
      float slope = i + 1;
      archives.add(SavedModelArchive.export(dir -> DemoModels.exportAffine(dir, slope, 0.5f)));
    }

    Map<Long, String> acknowledged = new TreeMap<>();
    Map<String, Integer> failedAttempts = new TreeMap<>();
    AtomicInteger kills = new AtomicInteger();
    AtomicInteger postgresRestarts = new AtomicInteger();
    // Faults land inside uploads: a third of them have the control plane killed, a tenth have
    // PostgreSQL restarted, each at a random moment of the upload's first attempt (streaming,
    // validating or committing); the client retries until acknowledged.
    ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
    Random random = new Random(10);
    try {
      for (int i = 0; i < uploads; i++) {
        SavedModelArchive archive = archives.get(i);
        if (i % 3 == 1) {
          chaos.schedule(
              () -> {
                cluster.controlPlane().kill();
                cluster.startControlPlane();
                kills.incrementAndGet();
                return null;
              },
              random.nextInt(400),
              TimeUnit.MILLISECONDS);
        } else if (i % 10 == 5) {
          chaos.schedule(
              () -> {
                cluster.restartPostgres();
                postgresRestarts.incrementAndGet();
                return null;
              },
              random.nextInt(400),
              TimeUnit.MILLISECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
          try {
            ModelVersion version =
                new VersionUploader(cluster.adminChannel()).upload("uploads", "affine", archive);
            if (version.getState() == VersionState.VERSION_STATE_READY) {
              assertThat(version.getSha256()).isEqualTo(archive.sha256());
              acknowledged.put(version.getVersion(), version.getSha256());
              break;
            }
            failedAttempts.merge("FAILED: " + version.getReason(), 1, Integer::sum);
          } catch (StatusRuntimeException e) {
            failedAttempts.merge(e.getStatus().getCode().toString(), 1, Integer::sum);
          }
          assertThat(System.nanoTime())
              .as("upload acknowledged within 3 minutes")
              .isLessThan(deadline);
          TimeUnit.MILLISECONDS.sleep(200);
        }
      }
    } finally {
      chaos.shutdown();
      assertThat(chaos.awaitTermination(3, TimeUnit.MINUTES)).as("faults done").isTrue();
    }
    cluster.controlPlane().kill();
    cluster.restartPostgres();
    cluster.startControlPlane();

    List<ModelVersion> versions =
        ModelServiceGrpc.newBlockingStub(cluster.adminChannel())
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .listVersions(
                ListVersionsRequest.newBuilder().setTenant("uploads").setModel("affine").build())
            .getVersionsList();
    Map<Long, ModelVersion> byNumber = new HashMap<>();
    versions.forEach(v -> byNumber.put(v.getVersion(), v));
    long present =
        acknowledged.entrySet().stream()
            .filter(
                e -> {
                  ModelVersion v = byNumber.get(e.getKey());
                  return v != null
                      && v.getState() == VersionState.VERSION_STATE_READY
                      && v.getSha256().equals(e.getValue());
                })
            .count();
    long unfinished =
        versions.stream()
            .filter(
                v ->
                    v.getState() == VersionState.VERSION_STATE_UPLOADING
                        || v.getState() == VersionState.VERSION_STATE_VALIDATING)
            .count();
    Set<String> readyShas = new HashSet<>();
    versions.stream()
        .filter(v -> v.getState() == VersionState.VERSION_STATE_READY)
        .forEach(v -> readyShas.add(v.getSha256()));
    Set<String> rows = artifactRows("uploads");
    Set<String> files = artifactFiles("uploads");
    Set<String> readyWithoutArtifact = difference(readyShas, intersection(rows, files));
    Set<String> temporaryFiles = new HashSet<>();
    files.stream().filter(name -> name.endsWith(".tmp")).forEach(temporaryFiles::add);
    Set<String> orphanFiles = difference(difference(files, rows), temporaryFiles);
    Set<String> rowsWithoutFile = difference(rows, files);

    String scenario = "10b nothing lost (uploads)";
    ResultsTable.row(
        scenario,
        String.format(
            Locale.ROOT,
            "acknowledged versions READY with their SHA-256 (%d control-plane kills and %d"
                + " PostgreSQL restarts during uploads, + 1 each at the end; %d failed attempts"
                + " retried)",
            kills.get(),
            postgresRestarts.get(),
            failedAttempts.values().stream().mapToInt(Integer::intValue).sum()),
        present + " / " + acknowledged.size(),
        "all",
        Verdict.of(present == acknowledged.size()));
    ResultsTable.row(
        scenario,
        "versions READY without a complete artifact / left UPLOADING or VALIDATING",
        readyWithoutArtifact.size() + " / " + unfinished,
        "0 / 0",
        Verdict.of(readyWithoutArtifact.isEmpty() && unfinished == 0));
    ResultsTable.row(
        scenario,
        "orphaned artifact files / artifact rows without a file",
        orphanFiles.size() + " / " + rowsWithoutFile.size(),
        "0 / 0",
        Verdict.of(orphanFiles.isEmpty() && rowsWithoutFile.isEmpty()));
    ResultsTable.row(
        scenario,
        "temporary files of interrupted artifact writes left after the restart",
        Integer.toString(temporaryFiles.size()),
        "0",
        Verdict.of(temporaryFiles.isEmpty()));

    ResultsTable.row(
        scenario,
        "failed upload attempts the client retried, by outcome",
        failedAttempts.toString().replace("|", "/"),
        "reported",
        Verdict.INFO);

    assertThat(acknowledged).hasSize(uploads);
    assertThat(present)
        .as("acknowledged versions present, READY, with their SHA-256")
        .isEqualTo(uploads);
    assertThat(unfinished).as("versions left unfinished").isZero();
    assertThat(readyWithoutArtifact).as("READY versions without their artifact").isEmpty();
    assertThat(orphanFiles).as("artifact files no row records").isEmpty();
    // A killed write leaves its temporary file until it is older than the upload stale time (1 h
    // by default): another replica might still be writing it. At most one per kill, uploads being
    // sequential; never readable as an artifact.
    assertThat(temporaryFiles.size())
        .as("temporary artifact files left by killed writes")
        .isLessThanOrEqualTo(kills.get() + 1);
    assertThat(rowsWithoutFile).as("artifact rows without their file").isEmpty();
  }

  private static long billedSuccesses(List<UsageRecord> records) {
    return records.stream().mapToLong(r -> r.getRequests() - r.getErrors()).sum();
  }

  private static void awaitDone(UniqueCalls client, int done) {
    await()
        .atMost(Duration.ofMinutes(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> client.finished() >= done || client.finished() >= client.total());
  }

  private static Set<String> artifactRows(String tenant) throws Exception {
    Set<String> rows = new HashSet<>();
    try (Connection connection = cluster.database().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "select sha256 from artifacts where tenant = '" + tenant + "'")) {
      while (result.next()) {
        rows.add(result.getString(1));
      }
    }
    return rows;
  }

  /** Every entry of the tenant's artifact directory, temporary files included. */
  private static Set<String> artifactFiles(String tenant) throws Exception {
    Path directory = cluster.controlPlaneDataDir().resolve("artifacts").resolve(tenant);
    Set<String> files = new HashSet<>();
    if (Files.isDirectory(directory)) {
      try (Stream<Path> list = Files.list(directory)) {
        list.forEach(p -> files.add(p.getFileName().toString()));
      }
    }
    return files;
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> result = new HashSet<>(a);
    result.removeAll(b);
    return result;
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> result = new HashSet<>(a);
    result.retainAll(b);
    return result;
  }
}
