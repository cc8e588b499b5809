package dev.maas.gateway.snapshot;

import com.google.protobuf.Timestamp;
import dev.maas.proto.cluster.v1.RoutedKey;
import dev.maas.proto.cluster.v1.RoutedModel;
import dev.maas.proto.cluster.v1.RoutedQuota;
import dev.maas.proto.cluster.v1.RoutedTenant;
import dev.maas.proto.cluster.v1.RoutedVersion;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Converts the control plane's {@link RoutingSnapshot} into a {@link RoutingTable}. */
public final class SnapshotMapper {

  private SnapshotMapper() {}

  /** The table of one snapshot. */
  public static RoutingTable toTable(RoutingSnapshot snapshot) {
    return new RoutingTable(
        snapshot.getVersion(),
        instant(snapshot.getBuildTime()),
        snapshot.getKeysList().stream().map(SnapshotMapper::key).toList(),
        snapshot.getTenantsList().stream().map(SnapshotMapper::tenant).toList(),
        snapshot.getModelsList().stream().map(SnapshotMapper::model).toList());
  }

  private static KeyEntry key(RoutedKey key) {
    return new KeyEntry(
        key.getKeyId(),
        key.getSecretSha256().toByteArray(),
        key.getTenant(),
        key.getInfer(),
        key.hasExpireTime() ? instant(key.getExpireTime()) : null);
  }

  private static TenantEntry tenant(RoutedTenant tenant) {
    RoutedQuota quota = tenant.getQuota();
    return new TenantEntry(
        tenant.getName(),
        tenant.getActive(),
        new TenantQuota(
            quota.getRequestsPerSecond(),
            quota.getBurst(),
            quota.getMaxConcurrentRequests(),
            quota.getMaxRequestBytes(),
            quota.getMonthlyRequests(),
            quota.getMonthlyRequestsUsed()));
  }

  private static ModelRoute model(RoutedModel model) {
    Map<Long, VersionRoute> versions = new TreeMap<>();
    for (RoutedVersion version : model.getVersionsList()) {
      versions.put(
          version.getVersion(),
          new VersionRoute(version.getVersion(), version.getModelId(), version.getAddressesList()));
    }
    return new ModelRoute(
        model.getTenant(),
        model.getName(),
        model.getDefaultVersion(),
        model.getSplitMap(),
        model.getRateLimitRps(),
        new TreeMap<>(versions));
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
