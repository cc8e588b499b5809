package dev.maas.standalone.security;

import io.grpc.Metadata;

/** What a caller presents, as the isolation matrix classifies it. */
enum Credential {
  /** Its tenant's key with only the {@code infer} scope. */
  INFER("infer key"),
  /** Its tenant's key with only the {@code manage} scope. */
  MANAGE("manage key"),
  /** Its tenant's key with both scopes. */
  INFER_AND_MANAGE("infer+manage key"),
  /** A key of its tenant with both scopes, revoked. */
  REVOKED("revoked key"),
  /** A key of its tenant with both scopes, past its expiry. */
  EXPIRED("expired key"),
  /** No credentials at all. */
  MISSING("no key"),
  /** A bearer token that is not a key. */
  MALFORMED("malformed key");

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String label;

  Credential(String label) {
    this.label = label;
  }

  /** Whether the credential identifies a live key (whatever its scopes). */
  boolean live() {
    return this == INFER || this == MANAGE || this == INFER_AND_MANAGE;
  }

  /** The headers a call with this credential of {@code tenant} carries. */
  Metadata headers(TenantFixture tenant) {
    Metadata headers = new Metadata();
    switch (this) {
      case MISSING -> {}
      case MALFORMED -> headers.put(AUTHORIZATION, "Bearer not-a-key");
      default -> headers.put(AUTHORIZATION, "Bearer " + tenant.key(this));
    }
    return headers;
  }

  @Override
  public String toString() {
    return label;
  }
}
