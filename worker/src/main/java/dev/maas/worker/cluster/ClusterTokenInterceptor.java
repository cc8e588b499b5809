package dev.maas.worker.cluster;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Locale;

/**
 * Lets a call through only with {@code authorization: Bearer <cluster token>}, so that in cluster
 * mode nothing reaches the worker's data plane around the gateway. Other calls are closed with
 * UNAUTHENTICATED before the service sees them.
 */
public final class ClusterTokenInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final String BEARER = "bearer ";

  private final ClusterToken token;

  public ClusterTokenInterceptor(ClusterToken token) {
    this.token = token;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String authorization = headers.get(AUTHORIZATION);
    if (authorization == null
        || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)
        || !token.matches(authorization.substring(BEARER.length()).trim())) {
      String why =
          authorization == null ? "missing cluster token" : "the cluster token does not match";
      call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
