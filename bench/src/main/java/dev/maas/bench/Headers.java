package dev.maas.bench;

import io.grpc.Metadata;

/** The metadata keys the harness sends. */
final class Headers {

  /** {@code authorization: Bearer <API key or cluster token>}. */
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The internal model a worker call runs on, as the gateway sets it. */
  static final Metadata.Key<String> MODEL_ID =
      Metadata.Key.of("maas-model-id", Metadata.ASCII_STRING_MARSHALLER);

  /** The tenant-facing version of a worker call, as the gateway sets it. */
  static final Metadata.Key<String> MODEL_VERSION =
      Metadata.Key.of("maas-model-version", Metadata.ASCII_STRING_MARSHALLER);

  private Headers() {}
}
