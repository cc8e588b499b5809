package dev.maas.gateway.forwarding;

import dev.maas.gateway.routing.ReplicaPicker;
import dev.maas.gateway.snapshot.VersionRoute;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Sends a call's bytes, unchanged, to a worker serving the chosen version, with the cluster token,
 * {@code maas-model-id} and {@code maas-model-version}; retries on another replica when a worker
 * cannot take it. Thread-safe.
 */
public final class Forwarder {

  /** The header that tells a worker which internal model version to run. */
  public static final Metadata.Key<String> MODEL_ID =
      Metadata.Key.of("maas-model-id", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * The version number the gateway chose (tenants' numbering), so a worker can answer with it when
   * the caller named no version.
   */
  public static final Metadata.Key<String> MODEL_VERSION =
      Metadata.Key.of("maas-model-version", Metadata.ASCII_STRING_MARSHALLER);

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ReplicaPicker picker;
  private final RetryPolicy retry;
  private final ScheduledExecutorService scheduler;
  private final String bearerToken;
  private final ForwardingEvents events;
  private final LongSupplier nanoTime;

  /**
   * A forwarder.
   *
   * @param scheduler runs delayed retries
   * @param clusterToken sent to workers as {@code authorization: Bearer <token>}
   */
  public Forwarder(
      ReplicaPicker picker,
      RetryPolicy retry,
      ScheduledExecutorService scheduler,
      String clusterToken,
      ForwardingEvents events,
      LongSupplier nanoTime) {
    this.picker = picker;
    this.retry = retry;
    this.scheduler = scheduler;
    this.bearerToken = "Bearer " + clusterToken;
    this.events = events;
    this.nanoTime = nanoTime;
  }

  /**
   * Forwards one unary call. Must be called inside the incoming call's gRPC context: the worker
   * call inherits its deadline and is cancelled with it.
   *
   * @param modelName the model as the caller named it, for error messages
   * @param done called once, on a gRPC or scheduler thread, with how the call ended
   */
  public void forward(
      MethodDescriptor<byte[], byte[]> method,
      String modelName,
      VersionRoute version,
      byte[] request,
      Consumer<ForwardOutcome> done) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, bearerToken);
    headers.put(MODEL_ID, version.modelId());
    headers.put(MODEL_VERSION, Long.toString(version.version()));
    new ForwardingCall(this, method, modelName, version, request, headers, done).start();
  }

  ReplicaPicker picker() {
    return picker;
  }

  RetryPolicy retry() {
    return retry;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ForwardingEvents events() {
    return events;
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }
}
