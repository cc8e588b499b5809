package dev.maas.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.RevokeApiKeyRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SuspendTenantRequest;
import dev.maas.proto.admin.v1.TenantServiceGrpc;
import dev.maas.proto.cluster.v1.RoutedKey;
import dev.maas.proto.cluster.v1.RoutedTenant;
import dev.maas.proto.cluster.v1.RoutingServiceGrpc;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import dev.maas.proto.cluster.v1.WatchRoutingRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RoutingSnapshotTest {

  @RegisterExtension
  @Order(1)
  static final ControlPlaneExtension first = new ControlPlaneExtension();

  @RegisterExtension
  @Order(2)
  static final ControlPlaneExtension second = ControlPlaneExtension.replicaOf(first);

  @BeforeAll
  static void tenant() {
    first.createTenant("acme");
  }

  /** Keeps the latest snapshot a watch received. */
  private static final class LatestSnapshot implements StreamObserver<RoutingSnapshot> {
    final AtomicReference<RoutingSnapshot> latest = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();

    @Override
    public void onNext(RoutingSnapshot snapshot) {
      latest.set(snapshot);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {}

    boolean hasKey(String keyId) {
      RoutingSnapshot snapshot = latest.get();
      return snapshot != null
          && snapshot.getKeysList().stream().map(RoutedKey::getKeyId).anyMatch(keyId::equals);
    }
  }

  private static LatestSnapshot watch(
      ControlPlaneExtension plane, Context.CancellableContext scope) {
    LatestSnapshot observer = new LatestSnapshot();
    scope.run(
        () ->
            RoutingServiceGrpc.newStub(plane.cluster())
                .watchRouting(
                    WatchRoutingRequest.newBuilder().setGatewayId("test").build(), observer));
    return observer;
  }

  @Test
  void keyRevocationReachesWatchersOfBothReplicasWithinOneSecond() {
    String key = first.createKey("acme", Scope.SCOPE_INFER);
    String keyId = key.substring(3, 19);
    try (Context.CancellableContext scope = Context.current().withCancellation()) {
      LatestSnapshot onFirst = watch(first, scope);
      LatestSnapshot onSecond = watch(second, scope);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> onFirst.hasKey(keyId) && onSecond.hasKey(keyId));
      long before = onSecond.latest.get().getVersion();

      ApiKeyServiceGrpc.newBlockingStub(first.admin())
          .revokeApiKey(RevokeApiKeyRequest.newBuilder().setTenant("acme").setKeyId(keyId).build());

      await()
          .atMost(Duration.ofSeconds(1))
          .until(() -> !onFirst.hasKey(keyId) && !onSecond.hasKey(keyId));
      assertThat(onSecond.latest.get().getVersion()).isGreaterThan(before);
      assertThat(onFirst.error.get()).isNull();
    }
  }

  @Test
  void snapshotCarriesKeyHashesScopesAndTenantState() {
    String infer = first.createKey("acme", Scope.SCOPE_INFER);
    String manage = first.createKey("acme", Scope.SCOPE_MANAGE);
    first.createTenant("sleepy");
    TenantServiceGrpc.newBlockingStub(first.admin())
        .suspendTenant(SuspendTenantRequest.newBuilder().setName("sleepy").build());
    try (Context.CancellableContext scope = Context.current().withCancellation()) {
      LatestSnapshot watcher = watch(second, scope);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  watcher.hasKey(manage.substring(3, 19))
                      && watcher.hasKey(infer.substring(3, 19)));
      RoutingSnapshot snapshot = watcher.latest.get();

      RoutedKey inferKey =
          snapshot.getKeysList().stream()
              .filter(k -> k.getKeyId().equals(infer.substring(3, 19)))
              .findFirst()
              .orElseThrow();
      assertThat(inferKey.getInfer()).isTrue();
      assertThat(inferKey.getTenant()).isEqualTo("acme");
      assertThat(inferKey.getSecretSha256().toByteArray())
          .isEqualTo(dev.maas.controlplane.auth.TokenHash.sha256(infer.substring(20)));
      assertThat(
              snapshot.getKeysList().stream()
                  .filter(k -> k.getKeyId().equals(manage.substring(3, 19)))
                  .findFirst()
                  .orElseThrow()
                  .getInfer())
          .isFalse();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  watcher.latest.get().getTenantsList().stream()
                      .anyMatch(t -> t.getName().equals("sleepy") && !t.getActive()));
      RoutedTenant acme =
          watcher.latest.get().getTenantsList().stream()
              .filter(t -> t.getName().equals("acme"))
              .findFirst()
              .orElseThrow();
      assertThat(acme.getActive()).isTrue();
      assertThat(acme.getQuota().getRequestsPerSecond()).isPositive();
    }
  }

  @Test
  void watchWithoutTheClusterTokenIsRefused() {
    java.util.Iterator<RoutingSnapshot> stream =
        RoutingServiceGrpc.newBlockingStub(first.admin())
            .watchRouting(WatchRoutingRequest.getDefaultInstance());
    try {
      stream.hasNext();
      throw new AssertionError("the admin token must not open the cluster API");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }
}
