package dev.maas.worker.grpc;

import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.worker.lifecycle.ModelRegistry;
import dev.maas.worker.lifecycle.ServedModel;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.HashSet;
import java.util.Set;

/**
 * Publishes the worker's state on {@code grpc.health.v1.Health}: the server ("") and the inference
 * service are SERVING once the repository has been loaded, and each model has a service name of its
 * own, SERVING while a version of it is ready.
 */
public final class HealthReporter {

  private final HealthStatusManager health = new HealthStatusManager();
  private final ModelRegistry registry;
  private final Set<String> published = new HashSet<>();

  public HealthReporter(ModelRegistry registry) {
    this.registry = registry;
    setServer(ServingStatus.NOT_SERVING);
  }

  /** The health service to add to the server. */
  public BindableService service() {
    return health.getHealthService();
  }

  /** Publishes the models' current state; call after every change. */
  public synchronized void update(boolean serverReady) {
    setServer(serverReady ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    Set<String> current = new HashSet<>();
    for (ServedModel model : registry.models()) {
      current.add(model.name());
      health.setStatus(
          model.name(), model.isReady() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }
    for (String gone : published) {
      if (!current.contains(gone)) {
        health.clearStatus(gone);
      }
    }
    published.clear();
    published.addAll(current);
  }

  /** Reports NOT_SERVING for everything from now on, as the worker shuts down. */
  public synchronized void shutdown() {
    health.enterTerminalState();
  }

  private void setServer(ServingStatus status) {
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    health.setStatus(GRPCInferenceServiceGrpc.SERVICE_NAME, status);
  }
}
