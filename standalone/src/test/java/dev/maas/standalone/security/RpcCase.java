package dev.maas.standalone.security;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One rpc of the isolation matrix: how to ask it about a target, which targets it can name, the
 * rule for its outcomes, and how its answers are checked.
 *
 * @param method the rpc, from its service's descriptor
 * @param targets the kinds of target its request can name
 * @param request the request message(s) about a target
 * @param preparation what an OK call on the caller's own things needs first (a key to revoke, a
 *     model to delete, ...), so the suite's own fixtures survive
 * @param ownCheck for an OK answer about the caller's own things: null when right, else what is
 *     wrong
 * @param elsewhereCheck for an OK answer about anything else: null when right, else what is wrong
 */
record RpcCase(
    Descriptors.MethodDescriptor method,
    Rule rule,
    Set<Target.Kind> targets,
    Function<Target, List<? extends Message>> request,
    Preparation preparation,
    BiFunction<Answer, TenantFixture, String> ownCheck,
    Function<Answer, String> elsewhereCheck) {

  /** What an OK call on the caller's own things needs set up first. */
  enum Preparation {
    NONE,
    /** A fresh key of the caller's tenant, to revoke. */
    FRESH_KEY,
    /** A fresh model of the caller's tenant, to delete. */
    SCRATCH_MODEL,
    /** A fresh READY version of the caller's draft, to retire. */
    DRAFT_VERSION,
    /** The caller's draft deployed, to undeploy. */
    DEPLOYED_DRAFT,
    /** A model name the caller's tenant does not have yet, to create. */
    FRESH_NAME
  }

  /** The gRPC full name, {@code package.Service/Method}. */
  String fullName() {
    return GenericRpc.fullName(method);
  }

  /** A short name: {@code Service/Method}. */
  String shortName() {
    return method.getService().getName() + "/" + method.getName();
  }
}
