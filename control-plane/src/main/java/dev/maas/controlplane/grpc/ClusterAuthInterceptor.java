package dev.maas.controlplane.grpc;

import dev.maas.controlplane.config.PlatformSecrets;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.inject.Singleton;

/**
 * Admits only holders of the cluster token ({@code authorization: Bearer <cluster token>}) to the
 * internal cluster API; closes other calls with UNAUTHENTICATED.
 */
@Singleton
public final class ClusterAuthInterceptor implements ServerInterceptor {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final PlatformSecrets secrets;

  public ClusterAuthInterceptor(PlatformSecrets secrets) {
    this.secrets = secrets;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String authorization = headers.get(AUTHORIZATION);
    if (authorization == null
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || !secrets.isClusterToken(authorization.substring(7).strip())) {
      call.close(
          Status.UNAUTHENTICATED.withDescription("the cluster API needs the cluster token"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
