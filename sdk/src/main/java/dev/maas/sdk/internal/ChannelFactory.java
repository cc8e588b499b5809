package dev.maas.sdk.internal;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Opens the channel a client talks over: transport security, credential and retries. */
public final class ChannelFactory {

  /** The header every credential travels in. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final long RETRY_BUFFER_BYTES = 64L << 20;
  private static final long PER_CALL_RETRY_BUFFER_BYTES = 16L << 20;

  private ChannelFactory() {}

  /**
   * A channel to {@code settings.target()}, retrying UNAVAILABLE on the methods of {@code services}
   * as the settings' retry policy says, except the methods in {@code notRetried}.
   */
  public static ManagedChannel open(
      ConnectionSettings settings, List<String> services, List<String> notRetried) {
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilder(settings.target(), credentials(settings))
            .maxInboundMessageSize(settings.maxInboundMessageBytes())
            .userAgent("maas-sdk")
            .disableServiceConfigLookUp()
            .defaultServiceConfig(
                ServiceConfigs.retrying(settings.retryPolicy(), services, notRetried))
            .enableRetry()
            .maxRetryAttempts(settings.retryPolicy().maxAttempts())
            .retryBufferSize(RETRY_BUFFER_BYTES)
            .perRpcBufferLimit(PER_CALL_RETRY_BUFFER_BYTES);
    if (settings.authority() != null) {
      builder.overrideAuthority(settings.authority());
    }
    if (settings.credential() != null && !settings.credential().isEmpty()) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + settings.credential());
      builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return builder.build();
  }

  private static ChannelCredentials credentials(ConnectionSettings settings) {
    if (!settings.tls()) {
      return InsecureChannelCredentials.create();
    }
    if (settings.trustedCertificates() == null) {
      return TlsChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder()
          .trustManager(settings.trustedCertificates().toFile())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read certificates from " + settings.trustedCertificates(), e);
    }
  }
}
