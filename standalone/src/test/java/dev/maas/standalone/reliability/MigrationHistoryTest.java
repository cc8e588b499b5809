package dev.maas.standalone.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.maas.standalone.e2e.ControlPlaneNode;
import dev.maas.standalone.e2e.EndToEndCluster;
import dev.maas.standalone.reliability.ResultsTable.Verdict;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 10c: two control planes started at the same moment on one empty PostgreSQL database
 * migrate it once between them (Flyway's lock), both serve, and once an applied migration's
 * checksum no longer matches its file, a control plane refuses to start and says why. Fast: it runs
 * at the same size in every build.
 */
class MigrationHistoryTest {

  @TempDir Path work;

  @Test
  void twoControlPlanesStartingTogether_migrateOnce_serve_andATamperedHistoryRefusesStart()
      throws Exception {
    try (EmbeddedPostgres postgres =
        EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres")).start()) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      List<ControlPlaneNode> nodes = new ArrayList<>();
      for (String name : List.of("a", "b")) {
        nodes.add(new ControlPlaneNode(url, work.resolve(name), EndToEndCluster.freePort()));
      }
      CountDownLatch ready = new CountDownLatch(1);
      List<CompletableFuture<Void>> starts = new ArrayList<>();
      for (ControlPlaneNode node : nodes) {
        starts.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    ready.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  node.start();
                }));
      }
      ready.countDown();
      try {
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        List<String> history = history(postgres);
        List<String> serving = new ArrayList<>();
        for (ControlPlaneNode node : nodes) {
          serving.add(health(node.port()).name());
        }
        boolean once = history.size() == history.stream().distinct().count();
        ResultsTable.row(
            "10c migrations",
            "two control planes on one empty database: migration rows / distinct / both SERVING",
            history.size() + " / " + history.stream().distinct().count() + " / " + serving,
            "each version once, both SERVING",
            Verdict.of(once && serving.stream().allMatch("SERVING"::equals)));

        assertThat(history).as("applied migrations, each once").doesNotHaveDuplicates();
        assertThat(history).as("applied migrations").contains("1", "2", "3", "4");
        assertThat(serving).containsOnly("SERVING");
      } finally {
        nodes.forEach(ControlPlaneNode::stop);
      }

      try (Connection sql = postgres.getPostgresDatabase().getConnection();
          Statement tamper = sql.createStatement()) {
        tamper.executeUpdate("update flyway_schema_history set checksum = 42 where version = '2'");
      }
      ControlPlaneNode third =
          new ControlPlaneNode(url, work.resolve("c"), EndToEndCluster.freePort());
      Throwable refused = catchThrowable(third::start);
      third.stop();
      String reason = rootMessage(refused);
      ResultsTable.row(
          "10c migrations",
          "start with a tampered applied migration (checksum of V2 changed)",
          refused == null ? "started" : "refused: " + firstLines(reason),
          "refuses with a clear message",
          Verdict.of(refused != null && reason.contains("checksum mismatch")));
      assertThat(refused).as("start with a tampered migration history").isNotNull();
      assertThat(reason).contains("checksum mismatch").contains("version 2");
      assertThat(third.running()).isFalse();
    }
  }

  private static List<String> history(EmbeddedPostgres postgres) throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection sql = postgres.getPostgresDatabase().getConnection();
        Statement select = sql.createStatement();
        ResultSet rows =
            select.executeQuery(
                "select version from flyway_schema_history where version is not null"
                    + " order by installed_rank")) {
      while (rows.next()) {
        versions.add(rows.getString(1));
      }
    }
    return versions;
  }

  private static HealthCheckResponse.ServingStatus health(int port) throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance())
          .getStatus();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String rootMessage(Throwable error) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  private static String firstLines(String text) {
    return text.lines()
        .filter(line -> line.contains("checksum") || line.contains("Validate failed"))
        .distinct()
        .limit(2)
        .reduce((a, b) -> a + " " + b)
        .orElse(text.lines().findFirst().orElse(""))
        .replace("|", "/");
  }
}
