package dev.maas.standalone.security;

import io.grpc.Status.Code;
import java.util.Optional;

/**
 * The expected outcome of an rpc for each credential and target: one rule per kind of rpc, each
 * spelled out in {@link #expected}. This is the table docs/gateway.md and docs/control-plane.md
 * state, in code.
 */
enum Rule {
  /** Data plane, needs no key: answered for everyone. */
  OPEN,
  /** Data plane, about the server or the caller's own tenant: needs an infer key. */
  TENANT_LOCAL,
  /** Data plane, ModelReady: true only for the caller's own serving model, false otherwise. */
  MODEL_READY,
  /** Data plane, about one model: the caller's own, or NOT_FOUND. */
  MODEL,
  /** Data plane, ModelStreamInfer: the stream succeeds; a model not found is a message's error. */
  MODEL_STREAM,
  /** Data plane, not served by the gateway. */
  NOT_SERVED,
  /** Admin API, the platform admin's alone: PERMISSION_DENIED for any key. */
  ADMIN_ONLY,
  /** Admin API, ListTenants: a manage key sees its own tenant. */
  OWN_TENANT_LIST,
  /** Admin API, about one tenant's things: the caller's own, or NOT_FOUND. */
  TENANT,
  /** Admin API, GetUsage: a model name only filters, so an unknown name is an empty answer. */
  TENANT_FILTER;

  /** The status code a call with {@code credential} about {@code target} must end with. */
  Code expected(Credential credential, Target.Kind target) {
    return switch (this) {
      case OPEN -> Code.OK;
      case TENANT_LOCAL, MODEL_READY, MODEL_STREAM -> dataPlaneRefusal(credential).orElse(Code.OK);
      case MODEL ->
          dataPlaneRefusal(credential).orElse(target == Target.Kind.OWN ? Code.OK : Code.NOT_FOUND);
      case NOT_SERVED -> dataPlaneRefusal(credential).orElse(Code.UNIMPLEMENTED);
      case ADMIN_ONLY -> adminRefusal(credential).orElse(Code.PERMISSION_DENIED);
      case OWN_TENANT_LIST -> adminRefusal(credential).orElse(Code.OK);
      case TENANT ->
          adminRefusal(credential).orElse(target == Target.Kind.OWN ? Code.OK : Code.NOT_FOUND);
      case TENANT_FILTER ->
          adminRefusal(credential)
              .orElse(
                  target == Target.Kind.OTHER_TENANT || target == Target.Kind.ABSENT_TENANT
                      ? Code.NOT_FOUND
                      : Code.OK);
    };
  }

  /** The gateway: a dead or absent key is UNAUTHENTICATED; a key without infer is refused. */
  private static Optional<Code> dataPlaneRefusal(Credential credential) {
    if (!credential.live()) {
      return Optional.of(Code.UNAUTHENTICATED);
    }
    return credential == Credential.MANAGE ? Optional.of(Code.PERMISSION_DENIED) : Optional.empty();
  }

  /** The admin API: a dead or absent key is UNAUTHENTICATED; a key without manage is refused. */
  private static Optional<Code> adminRefusal(Credential credential) {
    if (!credential.live()) {
      return Optional.of(Code.UNAUTHENTICATED);
    }
    return credential == Credential.INFER ? Optional.of(Code.PERMISSION_DENIED) : Optional.empty();
  }
}
