package dev.maas.controlplane.auth;

import java.util.Locale;

/** What an API key may do. */
public enum KeyScope {
  /** Call the inference API through the gateway. */
  INFER,
  /** Administer the key's own tenant. */
  MANAGE;

  /** The name stored in the database, such as {@code infer}. */
  public String storedName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope with this stored name. */
  public static KeyScope fromStoredName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
