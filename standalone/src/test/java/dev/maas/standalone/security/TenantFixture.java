package dev.maas.standalone.security;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One tenant of the isolation suite and everything it owns: a deployed model ({@code ledger}), an
 * undeployed one with a READY version 1 ({@code draft}), a deployed model named {@code shared} as
 * in every tenant, and a key per credential kind.
 *
 * @param ledger name of its deployed model, computing {@code y = scale * x + offset}
 * @param ledgerId the internal id of ledger's version 1 ({@code m<id>-v1}), as routing names it
 * @param keys the whole key text per credential kind that has one
 */
record TenantFixture(
    String name,
    String ledger,
    String draft,
    float scale,
    float offset,
    String ledgerId,
    Map<Credential, String> keys) {

  /** The model every tenant of the suite has under the same name. */
  static final String SHARED = "shared";

  TenantFixture {
    keys = Map.copyOf(keys);
  }

  /** The key of {@code credential}. */
  String key(Credential credential) {
    String key = keys.get(credential);
    if (key == null) {
      throw new IllegalArgumentException(name + " has no " + credential);
    }
    return key;
  }

  /** The key id of {@code credential}'s key. */
  String keyId(Credential credential) {
    return keyIdOf(key(credential));
  }

  /** Every key id of the tenant. */
  List<String> keyIds() {
    return keys.values().stream().map(TenantFixture::keyIdOf).toList();
  }

  /**
   * Everything that names this tenant or its things and must never reach another tenant: its name,
   * its model names, its key ids and secrets, and its internal model id.
   */
  List<String> secretsAndNames() {
    return Stream.of(
            Stream.of(name, ledger, draft, ledgerId),
            keys.values().stream(),
            keys.values().stream().map(TenantFixture::keyIdOf))
        .flatMap(s -> s)
        .toList();
  }

  /** The key id of a key's text, {@code mk_<key id>_<secret>}. */
  static String keyIdOf(String key) {
    return key.substring(3, key.indexOf('_', 3));
  }
}
