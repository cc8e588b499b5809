package dev.maas.controlplane.auth;

import dev.maas.controlplane.apikey.ApiKeyVerifier;
import dev.maas.controlplane.config.PlatformSecrets;
import dev.maas.controlplane.problem.Problem;
import dev.maas.proto.StatusDescriptions;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.inject.Singleton;

/**
 * Authenticates admin API calls: {@code authorization: Bearer <admin token or API key>} (or {@code
 * x-api-key}). Puts the {@link Principal} into the call's context; closes the call with
 * UNAUTHENTICATED (no, unknown, expired or revoked credentials) or PERMISSION_DENIED (a key without
 * the manage scope, or of a suspended tenant).
 */
@Singleton
public final class AdminAuthInterceptor implements ServerInterceptor {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

  private final PlatformSecrets secrets;
  private final ApiKeyVerifier keys;

  public AdminAuthInterceptor(PlatformSecrets secrets, ApiKeyVerifier keys) {
    this.secrets = secrets;
    this.keys = keys;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Principal principal;
    try {
      principal = authenticate(credential(headers));
    } catch (Problem problem) {
      Status status =
          problem.kind() == Problem.Kind.PERMISSION_DENIED
              ? Status.PERMISSION_DENIED
              : Status.UNAUTHENTICATED;
      call.close(
          status.withDescription(StatusDescriptions.bounded(problem.getMessage())), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(Principal.CONTEXT_KEY, principal);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private Principal authenticate(String credential) {
    if (secrets.isAdminToken(credential)) {
      return new Principal.Admin();
    }
    Principal.TenantKey key = keys.verify(credential);
    if (!key.scopes().contains(KeyScope.MANAGE)) {
      throw Problem.permissionDenied(
          "API key " + key.keyId() + " lacks the manage scope the admin API needs");
    }
    return key;
  }

  /** The presented credential. */
  static String credential(Metadata headers) {
    String authorization = headers.get(AUTHORIZATION);
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw Problem.unauthenticated("authorization header must be 'Bearer <token or key>'");
      }
      return authorization.substring(7).strip();
    }
    String apiKey = headers.get(API_KEY);
    if (apiKey != null) {
      return apiKey.strip();
    }
    throw Problem.unauthenticated(
        "missing credentials: send 'authorization: Bearer <admin token or API key>'");
  }
}
