package dev.maas.controlplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.ListWorkersRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.WorkerServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ManagementEndpointsTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  private static HttpResponse<String> get(String path) throws Exception {
    // ApplicationContext.run, as the extension starts the control plane, does not start the HTTP
    // server; Application.main does.
    EmbeddedServer server = plane.context().getBean(EmbeddedServer.class);
    if (!server.isRunning()) {
      server.start();
    }
    int port = server.getPort();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpHealthIsUp_andPrometheusMetricsAreServed() throws Exception {
    HttpResponse<String> health = get("/health");
    HttpResponse<String> metrics = get("/prometheus");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("UP");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
  }

  @Test
  void grpcHealthIsServingWithoutCredentials() {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(plane.as(null)).check(HealthCheckRequest.getDefaultInstance());

    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void listingWorkersIsForTheAdminOnly() {
    plane.createTenant("acme");
    String manage = plane.createKey("acme", Scope.SCOPE_MANAGE);

    assertThat(
            WorkerServiceGrpc.newBlockingStub(plane.admin())
                .listWorkers(ListWorkersRequest.getDefaultInstance())
                .getWorkersList())
        .isEmpty();
    assertThatThrownBy(
            () ->
                WorkerServiceGrpc.newBlockingStub(plane.as(manage))
                    .listWorkers(ListWorkersRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }
}
