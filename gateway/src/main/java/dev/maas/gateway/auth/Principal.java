package dev.maas.gateway.auth;

import io.grpc.Context;

/**
 * Who is calling: the tenant of a verified API key.
 *
 * @param tenant the tenant the key belongs to
 * @param keyId the key's id (not secret; never log the key itself)
 */
public record Principal(String tenant, String keyId) {

  /** Where {@link ApiKeyAuthInterceptor} puts the caller for the rest of the call. */
  public static final Context.Key<Principal> CONTEXT_KEY = Context.key("maas-principal");

  /**
   * The caller of the current call.
   *
   * @throws IllegalStateException outside a call that passed the interceptor
   */
  public static Principal current() {
    Principal principal = CONTEXT_KEY.get();
    if (principal == null) {
      throw new IllegalStateException("no authenticated caller in this context");
    }
    return principal;
  }
}
