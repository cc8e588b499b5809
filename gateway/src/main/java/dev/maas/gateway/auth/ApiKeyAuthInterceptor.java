package dev.maas.gateway.auth;

import dev.maas.gateway.snapshot.SnapshotHolder;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Set;
import java.util.function.Function;

/**
 * Authenticates every call of the service it wraps by its API key ({@code authorization: Bearer
 * <key>} or {@code x-api-key: <key>}) and puts the {@link Principal} into the call's context.
 * Failing calls are closed before any message is read, with the status {@code errors} maps to:
 * UNAUTHENTICATED, PERMISSION_DENIED, or UNAVAILABLE before the first routing snapshot.
 */
public final class ApiKeyAuthInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> X_API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final ApiKeyVerifier verifier;
  private final SnapshotHolder snapshots;
  private final Function<Throwable, StatusRuntimeException> errors;
  private final Set<String> openMethods;

  /**
   * An interceptor that verifies against the latest snapshot.
   *
   * @param errors the service's one exception-to-status mapping
   * @param openMethods full names of methods that need no key (they reveal nothing of a tenant)
   */
  public ApiKeyAuthInterceptor(
      ApiKeyVerifier verifier,
      SnapshotHolder snapshots,
      Function<Throwable, StatusRuntimeException> errors,
      Set<String> openMethods) {
    this.verifier = verifier;
    this.snapshots = snapshots;
    this.errors = errors;
    this.openMethods = Set.copyOf(openMethods);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (openMethods.contains(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    Principal principal;
    try {
      principal = verifier.verify(presentedKey(headers), snapshots.require());
    } catch (RuntimeException e) {
      StatusRuntimeException status = errors.apply(e);
      Metadata trailers = status.getTrailers();
      call.close(status.getStatus(), trailers == null ? new Metadata() : trailers);
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(Principal.CONTEXT_KEY, principal);
    return Contexts.interceptCall(context, call, headers, next);
  }

  /** The key text the call carries, or null; a non-Bearer authorization fails as malformed. */
  static String presentedKey(Metadata headers) {
    String authorization = headers.get(AUTHORIZATION);
    if (authorization != null) {
      return authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
          ? authorization.substring(BEARER.length()).strip()
          : "malformed";
    }
    String apiKey = headers.get(X_API_KEY);
    return apiKey == null ? null : apiKey.strip();
  }
}
