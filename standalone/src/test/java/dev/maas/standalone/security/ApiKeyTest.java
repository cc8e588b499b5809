package dev.maas.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.gateway.Gateway;
import dev.maas.proto.admin.v1.GetTenantRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ServerMetadataRequest;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.e2e.ClusterAdmin;
import dev.maas.standalone.e2e.EndToEndCluster;
import dev.maas.standalone.testing.Tensors;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys on a real cluster with two gateways: revocation and expiry reach every gateway within a
 * second (measured and logged; asserted with a generous bound), and no secret of any key issued
 * here is in the database (a dump of every row and the raw database files) or in any log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiKeyTest {

  @RegisterExtension static final EndToEndCluster cluster = new EndToEndCluster();

  private static final Logger log = LoggerFactory.getLogger(ApiKeyTest.class);

  private static final List<String> TENANTS = List.of("keys-a", "keys-b");
  private static final String MODEL = "affine";
  private static final int ROUNDS = 5;

  /** The target: a change reaches every gateway within this. */
  private static final Duration TARGET = Duration.ofSeconds(1);

  /** What the test asserts, generous so a loaded CI machine does not flake. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  /** Every key issued in this class. */
  private static final List<String> issued = new ArrayList<>();

  /** Key texts presented with a wrong secret. */
  private static final List<String> forged = new ArrayList<>();

  private static final Instant started = Instant.now();

  private static LogCapture logs;
  private static List<Channel> gateways;

  @BeforeAll
  static void twoGatewaysAndTwoTenants() throws IOException {
    logs = LogCapture.start();
    Gateway second = cluster.startGateway(options -> options);
    gateways = List.of(cluster.gatewayChannel(), cluster.channelTo(second));
    ClusterAdmin admin = cluster.admin();
    for (String tenant : TENANTS) {
      admin.createTenant(tenant);
      admin.createModel(tenant, MODEL);
      admin.uploadAffine(tenant, MODEL, 2f, 1f);
      admin.deploy(tenant, MODEL, 1, 1, Map.of());
    }
  }

  @AfterAll
  static void stopCapturing() {
    if (logs != null) {
      logs.close();
    }
  }

  @Test
  @Order(1)
  void revocationAndExpiry_areRefusedByEveryGateway_withinASecond() throws Exception {
    ClusterAdmin admin = cluster.admin();
    List<Long> revocation = new ArrayList<>();
    List<Long> expiry = new ArrayList<>();
    List<Long> controlPlane = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String tenant = TENANTS.get(round % TENANTS.size());
      String key = issue(admin.createKey(tenant, Scope.SCOPE_INFER, Scope.SCOPE_MANAGE));
      awaitAccepted(key);
      List<CompletableFuture<Long>> refused = refusals(key, tenant);
      admin.revoke(tenant, key);
      long revoked = System.nanoTime();
      for (int i = 0; i < refused.size(); i++) {
        long millis = millisAfter(refused.get(i), revoked);
        (i < gateways.size() ? revocation : controlPlane).add(millis);
      }

      Instant expires = Instant.now().plusMillis(1_000);
      String expiring =
          issue(admin.createExpiringKey(tenant, expires, Scope.SCOPE_INFER, Scope.SCOPE_MANAGE));
      awaitAccepted(expiring);
      long expiresNanos = System.nanoTime() + Duration.between(Instant.now(), expires).toNanos();
      for (CompletableFuture<Long> refusal : refusals(expiring, null)) {
        expiry.add(millisAfter(refusal, expiresNanos));
      }
    }
    log.info(
        "key changes over {} rounds, {} gateways (in this JVM, on one control plane):"
            + " revocation refused after {} ms (max {} ms), expiry refused after {} ms (max {} ms),"
            + " the admin API refused a revoked key after {} ms; target {} ms: {}",
        ROUNDS,
        gateways.size(),
        revocation,
        max(revocation),
        expiry,
        max(expiry),
        controlPlane,
        TARGET.toMillis(),
        Math.max(max(revocation), max(expiry)) <= TARGET.toMillis() ? "met" : "missed");
    assertThat(revocation).allMatch(ms -> ms <= BOUND.toMillis());
    assertThat(expiry).allMatch(ms -> ms <= BOUND.toMillis());
    assertThat(controlPlane).allMatch(ms -> ms <= BOUND.toMillis());
  }

  @Test
  @Order(2)
  void noSecret_isInTheDatabase_itsFiles_orAnyLog() throws Exception {
    ClusterAdmin admin = cluster.admin();
    // Keys of every kind, used for what they may do, for what they may not, and with wrong secrets.
    for (String tenant : TENANTS) {
      String infer = issue(admin.createKey(tenant, Scope.SCOPE_INFER));
      String manage = issue(admin.createKey(tenant, Scope.SCOPE_MANAGE));
      String both = issue(admin.createKey(tenant, Scope.SCOPE_INFER, Scope.SCOPE_MANAGE));
      String revoked = issue(admin.createKey(tenant, Scope.SCOPE_INFER));
      issue(
          admin.createExpiringKey(
              tenant, Instant.now().plusSeconds(3600), Scope.SCOPE_INFER, Scope.SCOPE_MANAGE));
      awaitAccepted(both);
      for (String key : List.of(infer, manage, both, revoked)) {
        for (Channel gateway : gateways) {
          statusOf(
              () ->
                  GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(gateway, key))
                      .withDeadlineAfter(30, TimeUnit.SECONDS)
                      .modelInfer(Tensors.affine(MODEL, "", 1f, 2f, 3f, 4f)));
        }
        statusOf(() -> getTenant(key, tenant));
      }
      admin.revoke(tenant, revoked);
      String wrongSecret = both.substring(0, both.length() - 4) + "AAAA";
      forged.add(wrongSecret);
      for (String key : List.of(revoked, wrongSecret)) {
        statusOf(() -> getTenant(key, tenant));
        statusOf(
            () ->
                GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(gateways.get(0), key))
                    .serverMetadata(ServerMetadataRequest.getDefaultInstance()));
      }
    }
    Dump dump = dump();
    String files = rawFilesWrittenSince(cluster.workDirectory(), started.minusSeconds(2));
    String logText = logs.text() + "\n" + workerLogs();
    Map<String, List<String>> hits = new TreeMap<>();
    List<String> presented = new ArrayList<>(issued);
    presented.addAll(forged);
    for (String key : presented) {
      for (String form : secretForms(key)) {
        if (dump.text().contains(form)) {
          hits.computeIfAbsent("database dump", k -> new ArrayList<>()).add(form);
        }
        if (files.contains(form)) {
          hits.computeIfAbsent("database and data files", k -> new ArrayList<>()).add(form);
        }
        if (logText.contains(form)) {
          hits.computeIfAbsent("logs", k -> new ArrayList<>()).add(form);
        }
      }
    }
    log.info(
        "secret scan: {} keys issued or presented, {} forms each (whole key, secret, hex of the"
            + " secret's text and of its bytes); database dump: {} tables, {} rows, {} chars; raw"
            + " files under the cluster's working directory (PostgreSQL data and WAL, artifacts,"
            + " worker caches): {} bytes; logs: {} lines in this JVM at TRACE plus {} chars of"
            + " worker logs; hits: {}",
        presented.size(),
        secretForms(issued.get(0)).size(),
        dump.tables(),
        dump.rows(),
        dump.text().length(),
        files.length(),
        logs.lines(),
        workerLogs().length(),
        hits);
    assertThat(hits).as("secrets found").isEmpty();
    // The scan sees what is stored: every key id and the SHA-256 of every issued secret.
    for (String key : issued) {
      String keyId = TenantFixture.keyIdOf(key);
      String hash = HexFormat.of().formatHex(sha256(secretOf(key)));
      assertThat(dump.text()).contains(keyId).contains("\\x" + hash);
      assertThat(files).contains(new String(sha256(secretOf(key)), StandardCharsets.ISO_8859_1));
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static String issue(String key) {
    issued.add(key);
    return key;
  }

  /** Waits until both gateways take {@code key}. */
  private static void awaitAccepted(String key) {
    for (Channel gateway : gateways) {
      await("a new key accepted")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> serverMetadata(gateway, key) == Status.Code.OK);
    }
  }

  /**
   * Starts polling every gateway (and, given the key's {@code tenant}, the admin API) with {@code
   * key}; each future completes with the {@link System#nanoTime()} of the first refusal.
   */
  private static List<CompletableFuture<Long>> refusals(String key, String tenant) {
    List<CompletableFuture<Long>> refusals = new ArrayList<>();
    for (Channel gateway : gateways) {
      refusals.add(firstRefusal(() -> serverMetadata(gateway, key), 200_000));
    }
    if (tenant != null) {
      // Each admin call checks the key in the database: poll it less often.
      refusals.add(firstRefusal(() -> statusOf(() -> getTenant(key, tenant)).getCode(), 2_000_000));
    }
    return refusals;
  }

  private static CompletableFuture<Long> firstRefusal(Supplier<Status.Code> probe, long pause) {
    return CompletableFuture.supplyAsync(
        () -> {
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          while (System.nanoTime() < deadline) {
            if (probe.get() == Status.Code.UNAUTHENTICATED) {
              return System.nanoTime();
            }
            LockSupport.parkNanos(pause);
          }
          throw new AssertionError("never refused");
        });
  }

  /** Milliseconds from {@code since} to the refusal; 0 when it was refused already. */
  private static long millisAfter(CompletableFuture<Long> refusal, long since) throws Exception {
    long at = refusal.get(60, TimeUnit.SECONDS);
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(at - since));
  }

  private static Status.Code serverMetadata(Channel gateway, String key) {
    return statusOf(
            () ->
                GRPCInferenceServiceGrpc.newBlockingStub(Bearer.over(gateway, key))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .serverMetadata(ServerMetadataRequest.getDefaultInstance()))
        .getCode();
  }

  private static Object getTenant(String key, String tenant) {
    return TenantServiceGrpc.newBlockingStub(Bearer.over(cluster.controlPlaneChannel(), key))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getTenant(GetTenantRequest.newBuilder().setName(tenant).build());
  }

  private static Status statusOf(Supplier<?> call) {
    try {
      call.get();
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Every form a secret could be stored or logged in. */
  private static List<String> secretForms(String key) {
    String secret = secretOf(key);
    List<String> forms = new ArrayList<>(List.of(key, secret));
    forms.add(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)));
    try {
      byte[] raw = Base64.getUrlDecoder().decode(secret);
      forms.add(HexFormat.of().formatHex(raw));
      forms.add(Base64.getEncoder().encodeToString(raw));
    } catch (IllegalArgumentException e) {
      // A presented secret that is no base64 has only its text forms.
    }
    return forms;
  }

  private static String secretOf(String key) {
    return key.substring(key.indexOf('_', 3) + 1);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every row of every table outside PostgreSQL's own schemas, as text. */
  private record Dump(int tables, int rows, String text) {}

  private static Dump dump() throws SQLException {
    StringBuilder text = new StringBuilder();
    int tables = 0;
    int rows = 0;
    try (Connection connection = DriverManager.getConnection(cluster.jdbcUrl());
        Statement statement = connection.createStatement()) {
      // Writes the WAL and every dirty page out, so the raw-file scan after this sees all rows.
      statement.execute("CHECKPOINT");
      List<String> names = new ArrayList<>();
      try (ResultSet found =
          statement.executeQuery(
              "select table_schema, table_name from information_schema.tables"
                  + " where table_type = 'BASE TABLE'"
                  + " and table_schema not in ('pg_catalog', 'information_schema')")) {
        while (found.next()) {
          names.add('"' + found.getString(1) + "\".\"" + found.getString(2) + '"');
        }
      }
      for (String table : names) {
        tables++;
        text.append("-- ").append(table).append('\n');
        try (ResultSet row = statement.executeQuery("select t::text from " + table + " t")) {
          while (row.next()) {
            rows++;
            text.append(row.getString(1)).append('\n');
          }
        }
      }
    }
    return new Dump(tables, rows, text.toString());
  }

  /**
   * The bytes of every file under {@code root} written since {@code since} (nothing older can hold
   * a key issued later), as Latin-1 text: one char per byte.
   */
  private static String rawFilesWrittenSince(Path root, Instant since) throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        try {
          if (Files.isRegularFile(path)
              && !Files.getLastModifiedTime(path).toInstant().isBefore(since)) {
            text.append(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1));
          }
        } catch (IOException e) {
          // A file PostgreSQL removed while we walked.
        }
      }
    }
    return text.toString();
  }

  private static String workerLogs() throws IOException {
    StringBuilder text = new StringBuilder();
    for (Path file : cluster.workerLogs()) {
      if (Files.exists(file)) {
        text.append(Files.readString(file, StandardCharsets.ISO_8859_1));
      }
    }
    return text.toString();
  }
}
