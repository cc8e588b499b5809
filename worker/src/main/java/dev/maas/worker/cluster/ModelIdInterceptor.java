package dev.maas.worker.cluster;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;

/**
 * Reads the {@code maas-model-id} header, by which the gateway names the internal model a call runs
 * on, into the call's {@link Context}. The request's own model name stays what the caller sent, and
 * answers carry it back.
 */
public final class ModelIdInterceptor implements ServerInterceptor {

  /** The header the gateway sets. */
  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("maas-model-id", Metadata.ASCII_STRING_MARSHALLER);

  /** The version, as the tenant numbers it, that the gateway chose; answers report it. */
  public static final Metadata.Key<String> VERSION_HEADER =
      Metadata.Key.of("maas-model-version", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> MODEL_ID = Context.key("maas-model-id");
  private static final Context.Key<String> MODEL_VERSION = Context.key("maas-model-version");

  /**
   * The internal model id of the current call, when its caller sent one. Read it on the call's
   * thread (the service method or a listener callback).
   */
  public static Optional<String> current() {
    return Optional.ofNullable(MODEL_ID.get());
  }

  /** The tenant-facing version the gateway chose for the current call, when it sent one. */
  public static Optional<String> currentVersion() {
    return Optional.ofNullable(MODEL_VERSION.get());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String modelId = headers.get(HEADER);
    if (modelId == null || modelId.isEmpty()) {
      return next.startCall(call, headers);
    }
    String version = headers.get(VERSION_HEADER);
    return Contexts.interceptCall(
        Context.current().withValues(MODEL_ID, modelId, MODEL_VERSION, version),
        call,
        headers,
        next);
  }
}
