package dev.maas.standalone.demo;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/** Channels that present a credential as {@code authorization: Bearer <credential>}. */
public final class Bearer {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private Bearer() {}

  /** {@code channel}, with every call carrying {@code credential} (an API key or admin token). */
  public static Channel over(Channel channel, String credential) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + credential);
    return ClientInterceptors.intercept(
        channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }
}
