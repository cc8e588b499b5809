package dev.maas.controlplane.auth;

import io.grpc.Context;
import java.util.Set;

/** Who is calling the admin API: the platform admin, or an API key of one tenant. */
public sealed interface Principal {

  /** Carries the caller of the current gRPC call, set by {@link AdminAuthInterceptor}. */
  Context.Key<Principal> CONTEXT_KEY = Context.key("maas-principal");

  /** The caller of the current call. */
  static Principal current() {
    Principal principal = CONTEXT_KEY.get();
    if (principal == null) {
      throw new IllegalStateException("no authenticated caller in this context");
    }
    return principal;
  }

  /** How the audit log names this caller. */
  String actor();

  /** The holder of the platform admin token: may do everything. */
  record Admin() implements Principal {
    @Override
    public String actor() {
      return "admin";
    }
  }

  /** An API key: acts only within its tenant, as its scopes allow. */
  record TenantKey(String keyId, String tenant, Set<KeyScope> scopes) implements Principal {
    public TenantKey {
      scopes = Set.copyOf(scopes);
    }

    @Override
    public String actor() {
      return "key:" + keyId;
    }
  }
}
