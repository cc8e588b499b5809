package dev.maas.sdk.admin;

/**
 * A key just created, with its secret.
 *
 * @param key the key
 * @param secret the whole key, {@code mk_<key id>_<secret>}: shown this once, never stored
 */
public record CreatedApiKey(ApiKey key, String secret) {

  @Override
  public String toString() {
    return "CreatedApiKey[key=" + key + ", secret=(hidden)]";
  }
}
