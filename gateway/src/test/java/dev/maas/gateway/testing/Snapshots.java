package dev.maas.gateway.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.maas.proto.cluster.v1.RoutedKey;
import dev.maas.proto.cluster.v1.RoutedModel;
import dev.maas.proto.cluster.v1.RoutedQuota;
import dev.maas.proto.cluster.v1.RoutedTenant;
import dev.maas.proto.cluster.v1.RoutedVersion;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/** Builds routing snapshots for tests, with keys whose text a test can present. */
public final class Snapshots {

  private static final AtomicLong VERSIONS = new AtomicLong();

  private final RoutingSnapshot.Builder snapshot = RoutingSnapshot.newBuilder();

  private Snapshots() {}

  /** An empty snapshot builder. */
  public static Snapshots builder() {
    return new Snapshots();
  }

  /** The text of the key {@code keyId}, as a client presents it. */
  public static String keyText(String keyId) {
    return "mk_" + keyId + "_" + secret(keyId);
  }

  /** Limits with nothing limited. */
  public static RoutedQuota.Builder unlimited() {
    return RoutedQuota.newBuilder();
  }

  /** An active tenant without limits. */
  public Snapshots tenant(String name) {
    return tenant(name, true, unlimited());
  }

  /** A tenant. */
  public Snapshots tenant(String name, boolean active, RoutedQuota.Builder quota) {
    snapshot.addTenants(RoutedTenant.newBuilder().setName(name).setActive(active).setQuota(quota));
    return this;
  }

  /** An infer key of {@code tenant} that never expires. */
  public Snapshots key(String keyId, String tenant) {
    return key(keyId, tenant, true, null);
  }

  /** A key. */
  public Snapshots key(String keyId, String tenant, boolean infer, Instant expires) {
    RoutedKey.Builder key =
        RoutedKey.newBuilder()
            .setKeyId(keyId)
            .setSecretSha256(ByteString.copyFrom(sha256(secret(keyId))))
            .setTenant(tenant)
            .setInfer(infer);
    if (expires != null) {
      key.setExpireTime(timestamp(expires));
    }
    snapshot.addKeys(key);
    return this;
  }

  /** A model whose requests without a version go to {@code defaultVersion}. */
  public Snapshots model(
      String tenant, String name, long defaultVersion, RoutedVersion... versions) {
    return model(
        RoutedModel.newBuilder()
            .setTenant(tenant)
            .setName(name)
            .setDefaultVersion(defaultVersion)
            .addAllVersions(Arrays.asList(versions)));
  }

  /** A model as given. */
  public Snapshots model(RoutedModel.Builder model) {
    snapshot.addModels(model);
    return this;
  }

  /** A version served at {@code workers}. */
  public static RoutedVersion version(long version, String modelId, TestWorker... workers) {
    RoutedVersion.Builder routed =
        RoutedVersion.newBuilder().setVersion(version).setModelId(modelId);
    for (TestWorker worker : workers) {
      routed.addAddresses(worker.address());
    }
    return routed.build();
  }

  /** The snapshot, with a fresh version number and the build time now. */
  public RoutingSnapshot build() {
    return snapshot
        .setVersion(VERSIONS.incrementAndGet())
        .setBuildTime(timestamp(Instant.now()))
        .build();
  }

  private static String secret(String keyId) {
    return "s3cret_" + keyId + "-0123456789";
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
