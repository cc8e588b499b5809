package dev.maas.sdk.admin;

import java.util.Locale;

/** What an API key may do. */
public enum Scope {
  /** Call the inference API through the gateway. */
  INFER,
  /** Administer the key's own tenant through the admin API. */
  MANAGE;

  /**
   * The scope of this name, case-insensitive ({@code infer}, {@code manage}).
   *
   * @throws IllegalArgumentException for another name
   */
  public static Scope of(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown scope '" + name + "'; the scopes are infer and manage", e);
    }
  }
}
