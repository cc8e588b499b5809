package dev.maas.gateway.grpc;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;

/**
 * Publishes the gateway's state on {@code grpc.health.v1.Health}: the server ("") and the inference
 * service are NOT_SERVING until the first routing snapshot arrives, then SERVING (also while the
 * control plane is away: the gateway serves from its last snapshot), and NOT_SERVING for good once
 * shutdown begins. Thread-safe.
 */
public final class HealthReporter {

  private final HealthStatusManager health = new HealthStatusManager();

  public HealthReporter() {
    set(ServingStatus.NOT_SERVING);
  }

  /** The health service to add to the server. */
  public BindableService service() {
    return health.getHealthService();
  }

  /** Reports SERVING; called when a snapshot arrives. */
  public synchronized void serving() {
    set(ServingStatus.SERVING);
  }

  /** Reports NOT_SERVING from now on, as the gateway shuts down. */
  public synchronized void shutdown() {
    health.enterTerminalState();
  }

  private void set(ServingStatus status) {
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    health.setStatus(GRPCInferenceServiceGrpc.SERVICE_NAME, status);
  }
}
