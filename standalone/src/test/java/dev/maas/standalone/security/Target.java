package dev.maas.standalone.security;

import java.util.HashMap;
import java.util.Map;

/**
 * What one call of the isolation matrix asks about: which tenant, model, version and key it names,
 * and how those relate to the caller.
 *
 * @param kind how the names relate to the caller
 * @param tenant the tenant named in admin requests
 * @param model a deployed model's name (or, for {@link Kind#INTERNAL_ID}, an internal model id)
 * @param draft an undeployed model's name, with a READY version {@code version}
 * @param keyId a key id
 * @param fresh a name no model has yet, for creating one
 */
record Target(
    Kind kind,
    String tenant,
    String model,
    String draft,
    long version,
    String keyId,
    String fresh) {

  /** How a target's names relate to the caller's tenant. */
  enum Kind {
    /** The caller's tenant and its own things. */
    OWN,
    /** Another tenant, and its things. */
    OTHER_TENANT,
    /** A tenant that does not exist. */
    ABSENT_TENANT,
    /** The caller's tenant, with the names of another tenant's things. */
    OTHER_NAME,
    /** The caller's tenant, with names nothing has. */
    ABSENT_NAME,
    /** Another tenant's internal model id used as a model name (data plane). */
    INTERNAL_ID
  }

  /** Names of things that do not exist, shaped like real ones. */
  static final String GHOST = "ghost";

  static final String GHOST_KEY_ID = "qqqqqqqqqqqqqqqq";

  /** The names this target sends that are not the caller's own, mapped to neutral placeholders. */
  Map<String, String> foreignNames(String callerTenant) {
    Map<String, String> names = new HashMap<>();
    if (kind == Kind.OWN) {
      return names;
    }
    if (!tenant.equals(callerTenant)) {
      names.put(tenant, "<tenant>");
    }
    names.put(model, "<model>");
    names.put(draft, "<draft>");
    names.put(keyId, "<key>");
    return names;
  }

  Target withKeyId(String id) {
    return new Target(kind, tenant, model, draft, version, id, fresh);
  }

  Target withModel(String name) {
    return new Target(kind, tenant, name, draft, version, keyId, fresh);
  }

  Target withDraft(String name, long number) {
    return new Target(kind, tenant, model, name, number, keyId, fresh);
  }

  Target withFresh(String name) {
    return new Target(kind, tenant, model, draft, version, keyId, name);
  }

  @Override
  public String toString() {
    return kind + "(" + tenant + "/" + model + ")";
  }
}
