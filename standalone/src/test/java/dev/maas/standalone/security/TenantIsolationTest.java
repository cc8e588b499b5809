package dev.maas.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Descriptors;
import dev.maas.proto.admin.v1.ApiKey;
import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.AuditEvent;
import dev.maas.proto.admin.v1.AuditServiceGrpc;
import dev.maas.proto.admin.v1.Batching;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.GetQuotaRequest;
import dev.maas.proto.admin.v1.GetTenantRequest;
import dev.maas.proto.admin.v1.GetVersionRequest;
import dev.maas.proto.admin.v1.ListApiKeysRequest;
import dev.maas.proto.admin.v1.ListAuditEventsRequest;
import dev.maas.proto.admin.v1.ListModelsRequest;
import dev.maas.proto.admin.v1.ListTenantsRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.demo.SavedModelArchive;
import dev.maas.standalone.e2e.ClusterAdmin;
import dev.maas.standalone.e2e.EndToEndCluster;
import dev.maas.standalone.testing.Tensors;
import dev.maas.worker.demo.DemoModels;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant isolation on a real cluster (control plane on PostgreSQL, two worker processes, the
 * gateway): three tenants, every data-plane and admin rpc with every kind of credential, hostile
 * names, and concurrent traffic of the three tenants on the same workers. Figures are logged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIsolationTest {

  @RegisterExtension static final EndToEndCluster cluster = new EndToEndCluster();

  private static final Logger log = LoggerFactory.getLogger(TenantIsolationTest.class);

  private static final int CONCURRENT_CALLS = 100_000;
  private static final int IN_FLIGHT = 96;

  private static final List<String> NAMES = List.of("amber", "birch", "cedar");
  private static final float[][] LEDGER = {{2f, 1f}, {3f, 2f}, {5f, 3f}};
  private static final float[][] SHARED = {{7f, 1f}, {11f, 2f}, {13f, 3f}};

  private static final List<TenantFixture> tenants = new ArrayList<>();
  private static SavedModelArchive archive;
  private static final AtomicInteger fresh = new AtomicInteger();

  @BeforeAll
  static void threeTenants() {
    ClusterAdmin admin = cluster.admin();
    archive = SavedModelArchive.export(dir -> DemoModels.exportAffine(dir, 1f, 0f));
    // Keys first, so the expiring ones expire while the models load.
    Instant expiry = Instant.now().plusSeconds(3);
    List<Map<Credential, String>> keys = new ArrayList<>();
    for (String name : NAMES) {
      admin.createTenant(name);
      QuotaServiceGrpc.newBlockingStub(admin.channel())
          .setQuota(
              SetQuotaRequest.newBuilder()
                  .setTenant(name)
                  .setQuota(
                      Quota.newBuilder()
                          .setRequestsPerSecond(1e6)
                          .setBurst(1_000_000)
                          .setMaxConcurrentRequests(1_000))
                  .build());
      Map<Credential, String> tenantKeys = new EnumMap<>(Credential.class);
      tenantKeys.put(Credential.INFER, admin.createKey(name, Scope.SCOPE_INFER));
      tenantKeys.put(Credential.MANAGE, admin.createKey(name, Scope.SCOPE_MANAGE));
      tenantKeys.put(
          Credential.INFER_AND_MANAGE,
          admin.createKey(name, Scope.SCOPE_INFER, Scope.SCOPE_MANAGE));
      String revoked = admin.createKey(name, Scope.SCOPE_INFER, Scope.SCOPE_MANAGE);
      admin.revoke(name, revoked);
      tenantKeys.put(Credential.REVOKED, revoked);
      tenantKeys.put(
          Credential.EXPIRED,
          admin.createExpiringKey(name, expiry, Scope.SCOPE_INFER, Scope.SCOPE_MANAGE));
      keys.add(tenantKeys);
    }
    for (int i = 0; i < NAMES.size(); i++) {
      String name = NAMES.get(i);
      admin.createModel(name, name + "-ledger");
      admin.uploadAffine(name, name + "-ledger", LEDGER[i][0], LEDGER[i][1]);
      admin.deploy(name, name + "-ledger", 1, 1, Map.of());
      admin.createModel(name, TenantFixture.SHARED);
      admin.uploadAffine(name, TenantFixture.SHARED, SHARED[i][0], SHARED[i][1]);
      // Two replicas: both workers serve every tenant's `shared`, batching on.
      admin.setDeployment(
          Deployment.newBuilder()
              .setTenant(name)
              .setModel(TenantFixture.SHARED)
              .setDefaultVersion(1)
              .setMinReplicas(2)
              .setDevice(admin.device())
              .setBatching(
                  Batching.newBuilder().setMaxBatchSize(32).setMaxQueueDelayMicroseconds(500))
              .build());
      admin.createModel(name, name + "-draft");
      assertThat(admin.upload(name, name + "-draft", archive).getVersion()).isEqualTo(1);
      admin.createModel(name, name + "-vault");
    }
    for (int i = 0; i < NAMES.size(); i++) {
      String name = NAMES.get(i);
      String infer = keys.get(i).get(Credential.INFER);
      cluster.awaitServing(infer, name + "-ledger", "");
      cluster.awaitServing(infer, TenantFixture.SHARED, "");
      tenants.add(
          new TenantFixture(
              name,
              name + "-ledger",
              name + "-draft",
              LEDGER[i][0],
              LEDGER[i][1],
              cluster.routedVersion(name, name + "-ledger", 1).getModelId(),
              keys.get(i)));
    }
    await("every tenant's `shared` on both workers")
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                NAMES.stream()
                    .allMatch(
                        n ->
                            cluster.routedVersion(n, TenantFixture.SHARED, 1).getAddressesCount()
                                == 2));
    await("the expiring keys expired")
        .atMost(Duration.ofSeconds(30))
        .until(() -> Instant.now().isAfter(expiry.plusMillis(100)));
  }

  @Test
  @Order(1)
  void hostileNames_areInvalidOrNotFound_andTouchNoFile() throws Exception {
    TenantFixture amber = tenants.get(0);
    Path outside =
        Path.of(System.getProperty("java.io.tmpdir"), "maas-traversal-" + UUID.randomUUID());
    HostileNames hostile = new HostileNames(amber, tenants.get(1), outside);
    Map<String, String> filesBefore = quietFileTree();
    List<String> modelsBefore = modelNames(amber.name());
    List<String> tenantsBefore = tenantNames();

    HostileNames.Outcome outcome =
        hostile.run(
            cluster.gatewayChannel(),
            cluster.controlPlaneChannel(),
            cluster.admin().channel(),
            archive);

    Map<String, String> filesAfter = fileTree();
    log.info(
        "hostile names: {} names and {} version labels, {} calls: {} INVALID_ARGUMENT, {} NOT_FOUND,"
            + " {} OK (ModelReady false, or a stream message's error), {} other; {} files under"
            + " the cluster's data directories before and after, {} changed",
        hostile.names().size(),
        hostile.versions().size(),
        outcome.calls(),
        outcome.codes().getOrDefault(Code.INVALID_ARGUMENT, 0),
        outcome.codes().getOrDefault(Code.NOT_FOUND, 0),
        outcome.codes().getOrDefault(Code.OK, 0),
        outcome.failures().size(),
        filesBefore.size(),
        changes(filesBefore, filesAfter).size());
    assertThat(outcome.failures()).as("answers other than INVALID_ARGUMENT or NOT_FOUND").isEmpty();
    assertThat(changes(filesBefore, filesAfter)).as("files touched").isEmpty();
    assertThat(outside).doesNotExist();
    assertThat(modelNames(amber.name())).isEqualTo(modelsBefore);
    assertThat(tenantNames()).isEqualTo(tenantsBefore);
  }

  @Test
  @Order(5)
  void aModelNamedLikeAnotherTenantsModel_isCreatedAsAnyNewName() {
    // ALREADY_EXISTS here would tell amber that birch has a model of that name.
    Channel amberAdmin =
        Bearer.over(cluster.controlPlaneChannel(), tenants.get(0).key(Credential.MANAGE));
    String birchs = tenants.get(1).name() + "-vault";

    ModelServiceGrpc.newBlockingStub(amberAdmin)
        .createModel(
            CreateModelRequest.newBuilder()
                .setTenant(tenants.get(0).name())
                .setName(birchs)
                .build());

    assertThat(modelNames(tenants.get(0).name())).contains(birchs);
    assertThat(modelNames(tenants.get(1).name())).contains(birchs);
  }

  @Test
  @Order(2)
  void everyRpc_withEveryCredential_answersAsClassified_andNeverShowsAnotherTenant() {
    RpcCatalog catalog = new RpcCatalog(archive, cluster.admin().device());
    Map<String, String> protectedBefore = protectedState();
    List<String> failures = new ArrayList<>();
    List<RpcCase> rpcs = new ArrayList<>();
    for (Descriptors.MethodDescriptor method :
        concat(RpcCatalog.dataPlaneMethods(), RpcCatalog.adminMethods())) {
      RpcCase rpc = catalog.find(GenericRpc.fullName(method));
      if (rpc == null) {
        failures.add(
            "unclassified rpc "
                + GenericRpc.fullName(method)
                + ": add it to RpcCatalog with its expected outcomes");
      } else {
        rpcs.add(rpc);
      }
    }
    MatrixFigures figures = new MatrixFigures();
    for (TenantFixture caller : tenants) {
      for (RpcCase rpc : rpcs) {
        for (Credential credential : Credential.values()) {
          runCell(caller, rpc, credential, figures, failures);
        }
      }
    }
    failures.addAll(protectedStateChanges(protectedBefore, protectedState()));
    failures.addAll(auditEventsByOtherTenantsKeys());

    log.info(
        "isolation matrix: {} rpcs ({} data plane, {} admin) x {} credential kinds x 3 tenants:"
            + " {} calls, {} (rpc, credential, target) classes, {} answer pairs compared"
            + " (another tenant's vs missing), {} leaks, {} failures\n{}",
        rpcs.size(),
        RpcCatalog.dataPlaneMethods().size(),
        RpcCatalog.adminMethods().size(),
        Credential.values().length,
        figures.calls,
        figures.expected.values().stream().mapToInt(Map::size).sum(),
        figures.compared,
        figures.leaks,
        failures.size(),
        figures.table(rpcs));
    assertThat(failures).as("isolation matrix failures").isEmpty();
    assertThat(figures.leaks).isZero();
  }

  @Test
  @Order(3)
  void concurrentTrafficOfThreeTenantsOnTheSameWorkers_eachCallGetsItsOwnAnswer()
      throws InterruptedException {
    // Batches never mix tenants: a worker keeps one batcher per internal model version
    // (m<model id>-v<version>), and two tenants' models never share a model id, even with the
    // same artifact. So this runs the three tenants' `shared` side by side on both workers and
    // checks that every call gets its own tenant's function of its own input.
    for (TenantFixture tenant : tenants) {
      assertThat(cluster.routedVersion(tenant.name(), TenantFixture.SHARED, 1).getAddressesList())
          .hasSize(2);
    }
    List<GRPCInferenceServiceGrpc.GRPCInferenceServiceStub> stubs =
        tenants.stream()
            .map(
                t ->
                    GRPCInferenceServiceGrpc.newStub(
                        Bearer.over(cluster.gatewayChannel(), t.key(Credential.INFER))))
            .toList();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(CONCURRENT_CALLS);
    AtomicLong correct = new AtomicLong();
    AtomicLong mismatches = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    for (int i = 0; i < CONCURRENT_CALLS; i++) {
      int tenant = i % tenants.size();
      float[] x = {i, i + 0.5f, -i, i * 0.25f};
      List<Float> expected = new ArrayList<>();
      for (float value : x) {
        expected.add(SHARED[tenant][0] * value + SHARED[tenant][1]);
      }
      ModelInferRequest request = Tensors.affine(TenantFixture.SHARED, "", x);
      inFlight.acquire();
      int call = i;
      stubs
          .get(tenant)
          .withDeadlineAfter(60, TimeUnit.SECONDS)
          .modelInfer(
              request,
              new StreamObserver<>() {
                @Override
                public void onNext(ModelInferResponse response) {
                  if (Tensors.output(response, "y").equals(expected)
                      && response.getModelName().equals(TenantFixture.SHARED)) {
                    correct.incrementAndGet();
                  } else {
                    mismatches.incrementAndGet();
                    if (examples.size() < 10) {
                      examples.add(
                          "call "
                              + call
                              + ": "
                              + Tensors.output(response, "y")
                              + " != "
                              + expected);
                    }
                  }
                }

                @Override
                public void onError(Throwable t) {
                  failed.incrementAndGet();
                  if (examples.size() < 10) {
                    examples.add("call " + call + ": " + Status.fromThrowable(t));
                  }
                  end();
                }

                @Override
                public void onCompleted() {
                  end();
                }

                private void end() {
                  inFlight.release();
                  done.countDown();
                }
              });
    }
    assertThat(done.await(5, TimeUnit.MINUTES)).as("every call answered").isTrue();
    double seconds = (System.nanoTime() - start) / 1e9;
    log.info(
        "cross-tenant traffic: {} ModelInfer calls of 3 tenants on `shared` (2 replicas each, both"
            + " workers, batching up to 32), {} in flight: {} correct, {} mismatches, {} failed,"
            + " in {} s ({} calls/s)",
        CONCURRENT_CALLS,
        IN_FLIGHT,
        correct.get(),
        mismatches.get(),
        failed.get(),
        String.format("%.1f", seconds),
        Math.round(CONCURRENT_CALLS / seconds));
    assertThat(examples).as("mismatches and failures").isEmpty();
    assertThat(correct.get()).isEqualTo(CONCURRENT_CALLS);
  }

  // ---------------------------------------------------------------------------------------------

  private void runCell(
      TenantFixture caller,
      RpcCase rpc,
      Credential credential,
      MatrixFigures figures,
      List<String> failures) {
    boolean dataPlane = rpc.fullName().startsWith("inference.");
    Channel channel = dataPlane ? cluster.gatewayChannel() : cluster.controlPlaneChannel();
    Map<String, Answer> answers = new LinkedHashMap<>();
    Map<String, Target> asked = new LinkedHashMap<>();
    for (Target target : targets(caller, rpc)) {
      Code expected = rpc.rule().expected(credential, target.kind());
      figures.expect(rpc, credential, target.kind(), expected);
      if (target.kind() == Target.Kind.OWN && expected == Code.OK) {
        target = prepare(rpc.preparation(), target, caller);
      }
      Answer answer =
          GenericRpc.call(
              channel, rpc.method(), credential.headers(caller), rpc.request().apply(target));
      figures.calls++;
      String cell = caller.name() + " " + rpc.shortName() + " [" + credential + "] " + target;
      if (answer.code() != expected) {
        failures.add(cell + ": expected " + expected + ", got " + answer);
      } else if (expected == Code.OK) {
        String wrong =
            target.kind() == Target.Kind.OWN
                ? (rpc.ownCheck() == null ? null : rpc.ownCheck().apply(answer, caller))
                : (rpc.elsewhereCheck() == null ? null : rpc.elsewhereCheck().apply(answer));
        if (wrong != null) {
          failures.add(cell + ": " + wrong + " in " + answer);
        }
      }
      String seen = answer.text(target.foreignNames(caller.name()));
      for (TenantFixture other : tenants) {
        if (other == caller) {
          continue;
        }
        for (String secret : other.secretsAndNames()) {
          if (seen.contains(secret)) {
            figures.leaks++;
            failures.add(cell + ": answer shows '" + secret + "' of " + other.name() + ": " + seen);
          }
        }
      }
      String key = target.kind() + ":" + target.tenant() + ":" + target.model();
      answers.put(key, answer);
      asked.put(key, target);
    }
    compareWithMissing(caller, rpc, credential, answers, asked, figures, failures);
  }

  /** Another tenant's things are answered byte for byte as missing ones, names substituted. */
  private void compareWithMissing(
      TenantFixture caller,
      RpcCase rpc,
      Credential credential,
      Map<String, Answer> answers,
      Map<String, Target> asked,
      MatrixFigures figures,
      List<String> failures) {
    String absentTenant = null;
    String absentName = null;
    for (Map.Entry<String, Target> entry : asked.entrySet()) {
      if (entry.getValue().kind() == Target.Kind.ABSENT_TENANT) {
        absentTenant = entry.getKey();
      } else if (entry.getValue().kind() == Target.Kind.ABSENT_NAME) {
        absentName = entry.getKey();
      }
    }
    for (Map.Entry<String, Target> entry : asked.entrySet()) {
      Target target = entry.getValue();
      String missing =
          switch (target.kind()) {
            case OTHER_TENANT -> absentTenant;
            case OTHER_NAME, INTERNAL_ID -> absentName;
            default -> null;
          };
      if (missing == null) {
        continue;
      }
      String theirs = answers.get(entry.getKey()).text(target.foreignNames(caller.name()));
      String nobodys = answers.get(missing).text(asked.get(missing).foreignNames(caller.name()));
      figures.compared++;
      if (!theirs.equals(nobodys)) {
        failures.add(
            caller.name()
                + " "
                + rpc.shortName()
                + " ["
                + credential
                + "] "
                + target
                + " is answered unlike a missing one:\n  "
                + theirs
                + "\n  vs\n  "
                + nobodys);
      }
    }
  }

  private List<Target> targets(TenantFixture caller, RpcCase rpc) {
    List<Target> targets = new ArrayList<>();
    String own = caller.keyId(Credential.INFER);
    String ghostLedger = Target.GHOST + "-ledger";
    String ghostDraft = Target.GHOST + "-draft";
    for (Target.Kind kind : rpc.targets()) {
      switch (kind) {
        case OWN ->
            targets.add(
                new Target(
                    kind, caller.name(), caller.ledger(), caller.draft(), 1, own, "made-by-key"));
        case ABSENT_TENANT ->
            targets.add(
                new Target(
                    kind,
                    Target.GHOST,
                    ghostLedger,
                    ghostDraft,
                    1,
                    Target.GHOST_KEY_ID,
                    "made-by-key"));
        case ABSENT_NAME ->
            targets.add(
                new Target(
                    kind,
                    caller.name(),
                    ghostLedger,
                    ghostDraft,
                    1,
                    Target.GHOST_KEY_ID,
                    "made-by-key"));
        default -> {
          for (TenantFixture other : tenants) {
            if (other == caller) {
              continue;
            }
            String otherKey = other.keyId(Credential.INFER);
            targets.add(
                switch (kind) {
                  case OTHER_TENANT ->
                      new Target(
                          kind,
                          other.name(),
                          other.ledger(),
                          other.draft(),
                          1,
                          otherKey,
                          "made-by-key");
                  case OTHER_NAME ->
                      new Target(
                          kind,
                          caller.name(),
                          other.ledger(),
                          other.draft(),
                          1,
                          otherKey,
                          "made-by-key");
                  case INTERNAL_ID ->
                      new Target(
                          kind,
                          caller.name(),
                          other.ledgerId(),
                          other.draft(),
                          1,
                          otherKey,
                          "made-by-key");
                  default -> throw new IllegalStateException("unhandled target " + kind);
                });
          }
        }
      }
    }
    return targets;
  }

  /** Sets up what an OK call on the caller's own things consumes. */
  private Target prepare(RpcCase.Preparation preparation, Target own, TenantFixture caller) {
    ClusterAdmin admin = cluster.admin();
    String scratch = "scratch-" + fresh.incrementAndGet();
    return switch (preparation) {
      case NONE -> own;
      case FRESH_KEY ->
          own.withKeyId(TenantFixture.keyIdOf(admin.createKey(caller.name(), Scope.SCOPE_INFER)));
      case FRESH_NAME -> own.withFresh(scratch);
      case SCRATCH_MODEL -> {
        admin.createModel(caller.name(), scratch);
        yield own.withDraft(scratch, 1);
      }
      case DRAFT_VERSION ->
          own.withDraft(
              caller.draft(), admin.upload(caller.name(), caller.draft(), archive).getVersion());
      case DEPLOYED_DRAFT -> {
        admin.deploy(caller.name(), caller.draft(), 1, 1, Map.of());
        yield own.withModel(caller.draft());
      }
    };
  }

  /**
   * What no call of another tenant may change, per tenant: its status, quota, the ledger's
   * deployment (but its update time, which the tenant's own SetDeployment moves), draft version 1,
   * and which of its keys are revoked.
   */
  private Map<String, String> protectedState() {
    Channel admin = cluster.admin().channel();
    Map<String, String> state = new LinkedHashMap<>();
    for (TenantFixture tenant : tenants) {
      String name = tenant.name();
      state.put(
          name + " tenant",
          TenantServiceGrpc.newBlockingStub(admin)
              .getTenant(GetTenantRequest.newBuilder().setName(name).build())
              .getTenant()
              .getStatus()
              .toString());
      state.put(
          name + " quota",
          QuotaServiceGrpc.newBlockingStub(admin)
              .getQuota(GetQuotaRequest.newBuilder().setTenant(name).build())
              .toString());
      state.put(
          name + " ledger deployment",
          DeploymentServiceGrpc.newBlockingStub(admin)
              .getDeployment(
                  GetDeploymentRequest.newBuilder()
                      .setTenant(name)
                      .setModel(tenant.ledger())
                      .build())
              .getDeployment()
              .toBuilder()
              .clearUpdateTime()
              .build()
              .toString());
      state.put(
          name + " draft v1",
          ModelServiceGrpc.newBlockingStub(admin)
              .getVersion(
                  GetVersionRequest.newBuilder()
                      .setTenant(name)
                      .setModel(tenant.draft())
                      .setVersion(1)
                      .build())
              .getVersion()
              .getState()
              .toString());
      state.put(
          name + " revoked keys",
          keysOf(admin, name).stream()
              .filter(ApiKey::hasRevokeTime)
              .map(ApiKey::getKeyId)
              .filter(tenant.keyIds()::contains)
              .sorted()
              .toList()
              .toString());
    }
    return state;
  }

  private static List<String> protectedStateChanges(
      Map<String, String> before, Map<String, String> after) {
    List<String> changes = new ArrayList<>();
    before.forEach(
        (what, value) -> {
          if (!value.equals(after.get(what))) {
            changes.add(what + " changed: " + value + " -> " + after.get(what));
          }
        });
    return changes;
  }

  /** Audit events in a tenant whose actor is a key of another tenant: there must be none. */
  private List<String> auditEventsByOtherTenantsKeys() {
    Channel admin = cluster.admin().channel();
    List<String> found = new ArrayList<>();
    for (TenantFixture tenant : tenants) {
      Set<String> ownActors =
          keysOf(admin, tenant.name()).stream()
              .map(k -> "key:" + k.getKeyId())
              .collect(Collectors.toSet());
      List<AuditEvent> events =
          AuditServiceGrpc.newBlockingStub(admin)
              .listAuditEvents(
                  ListAuditEventsRequest.newBuilder()
                      .setTenant(tenant.name())
                      .setLimit(10_000)
                      .build())
              .getEventsList();
      for (AuditEvent event : events) {
        if (!event.getActor().equals("admin") && !ownActors.contains(event.getActor())) {
          found.add("audit event in " + tenant.name() + " by " + event.getActor() + ": " + event);
        }
      }
    }
    return found;
  }

  private static List<ApiKey> keysOf(Channel admin, String tenant) {
    return ApiKeyServiceGrpc.newBlockingStub(admin)
        .listApiKeys(ListApiKeysRequest.newBuilder().setTenant(tenant).build())
        .getKeysList();
  }

  /**
   * The files under the cluster's working directory but the database's and the logs, once two looks
   * a second apart agree (placements from earlier setup may still be writing).
   */
  private static Map<String, String> quietFileTree() throws IOException {
    Map<String, String>[] last = new Map[] {fileTree()};
    await("the data directories at rest")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              Map<String, String> now = fileTree();
              boolean same = now.equals(last[0]);
              last[0] = now;
              return same;
            });
    return last[0];
  }

  /** Each file (path relative to the working directory) with its size and modification time. */
  private static Map<String, String> fileTree() throws IOException {
    Path root = cluster.workDirectory();
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        Path relative = root.relativize(path);
        if (relative.startsWith("postgres") || path.toString().endsWith(".log")) {
          continue;
        }
        files.put(
            relative.toString(),
            Files.isDirectory(path)
                ? "dir"
                : Files.size(path) + " " + Files.getLastModifiedTime(path).toMillis());
      }
    }
    return files;
  }

  private static List<String> changes(Map<String, String> before, Map<String, String> after) {
    List<String> changed = new ArrayList<>();
    Set<String> paths = new TreeSet<>(before.keySet());
    paths.addAll(after.keySet());
    for (String path : paths) {
      if (!java.util.Objects.equals(before.get(path), after.get(path))) {
        changed.add(path + ": " + before.get(path) + " -> " + after.get(path));
      }
    }
    return changed;
  }

  private static List<String> modelNames(String tenant) {
    return ModelServiceGrpc.newBlockingStub(cluster.admin().channel())
        .listModels(ListModelsRequest.newBuilder().setTenant(tenant).build())
        .getModelsList()
        .stream()
        .map(dev.maas.proto.admin.v1.Model::getName)
        .toList();
  }

  private static List<String> tenantNames() {
    return TenantServiceGrpc.newBlockingStub(cluster.admin().channel())
        .listTenants(ListTenantsRequest.getDefaultInstance())
        .getTenantsList()
        .stream()
        .map(dev.maas.proto.admin.v1.Tenant::getName)
        .toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Counts of the matrix run, and the expected outcomes for the logged table. */
  private static final class MatrixFigures {
    int calls;
    int compared;
    int leaks;

    /** rpc short name → credential → target kinds → expected codes. */
    final Map<String, Map<String, Code>> expected = new LinkedHashMap<>();

    void expect(RpcCase rpc, Credential credential, Target.Kind target, Code code) {
      expected
          .computeIfAbsent(rpc.shortName() + "|" + credential, k -> new LinkedHashMap<>())
          .put(target.name(), code);
    }

    /** One row per rpc, one column per credential: the expected codes over its targets. */
    String table(List<RpcCase> rpcs) {
      StringBuilder table = new StringBuilder(String.format("%-40s", "rpc \\ credential"));
      for (Credential credential : Credential.values()) {
        table.append(String.format(" | %-22s", credential));
      }
      for (RpcCase rpc : rpcs) {
        table.append('\n').append(String.format("%-40s", rpc.shortName()));
        for (Credential credential : Credential.values()) {
          Map<String, Code> byTarget =
              expected.getOrDefault(rpc.shortName() + "|" + credential, Map.of());
          Set<String> codes = new TreeSet<>();
          byTarget.forEach((target, code) -> codes.add(abbreviate(code)));
          table.append(String.format(" | %-22s", String.join("/", codes)));
        }
      }
      return table.toString();
    }

    private static String abbreviate(Code code) {
      return switch (code) {
        case OK -> "OK";
        case NOT_FOUND -> "NOT_FOUND";
        case PERMISSION_DENIED -> "DENIED";
        case UNAUTHENTICATED -> "UNAUTH";
        default -> code.name();
      };
    }
  }
}
