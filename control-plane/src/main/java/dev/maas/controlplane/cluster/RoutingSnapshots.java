package dev.maas.controlplane.cluster;

import com.google.protobuf.ByteString;
import dev.maas.controlplane.auth.KeyScope;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.controlplane.quota.Quota;
import dev.maas.controlplane.quota.QuotaService;
import dev.maas.proto.cluster.v1.RoutedKey;
import dev.maas.proto.cluster.v1.RoutedModel;
import dev.maas.proto.cluster.v1.RoutedQuota;
import dev.maas.proto.cluster.v1.RoutedTenant;
import dev.maas.proto.cluster.v1.RoutedVersion;
import dev.maas.proto.cluster.v1.RoutingSnapshot;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the routing snapshot gateways hold: keys, tenants with their limits, and deployed models
 * with the addresses of the healthy workers serving each version. Read in one transaction, so a
 * snapshot is consistent.
 */
@Singleton
public final class RoutingSnapshots {

  private final Database database;
  private final QuotaService quotas;

  public RoutingSnapshots(Database database, QuotaService quotas) {
    this.database = database;
    this.quotas = quotas;
  }

  /** A full snapshot of now, with a new cluster-wide version number. */
  public RoutingSnapshot build() {
    return database.transaction(
        connection -> {
          RoutingSnapshot.Builder snapshot =
              RoutingSnapshot.newBuilder()
                  .setVersion(ClusterRepository.nextGeneration(connection))
                  .setBuildTime(ProtoTime.of(Instant.now()));
          addKeys(connection, snapshot);
          addTenants(connection, snapshot);
          addModels(connection, snapshot);
          return snapshot.build();
        });
  }

  private static void addKeys(Connection connection, RoutingSnapshot.Builder snapshot)
      throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement(
                "select key_id, secret_sha256, tenant, scopes, expires_at from api_keys"
                    + " where revoked_at is null"
                    + " and (expires_at is null or expires_at > now() - interval '1 day')"
                    + " order by key_id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        Array scopes = rows.getArray(4);
        boolean infer = List.of((String[]) scopes.getArray()).contains(KeyScope.INFER.storedName());
        RoutedKey.Builder key =
            RoutedKey.newBuilder()
                .setKeyId(rows.getString(1))
                .setSecretSha256(ByteString.copyFrom(rows.getBytes(2)))
                .setTenant(rows.getString(3))
                .setInfer(infer);
        Timestamp expires = rows.getTimestamp(5);
        if (expires != null) {
          key.setExpireTime(ProtoTime.of(expires.toInstant()));
        }
        snapshot.addKeys(key);
      }
    }
  }

  private void addTenants(Connection connection, RoutingSnapshot.Builder snapshot)
      throws SQLException {
    Map<String, Long> used = monthlyRequests(connection);
    try (PreparedStatement select =
            connection.prepareStatement("select name, status from tenants order by name");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        String tenant = rows.getString(1);
        Quota quota = quotas.effective(connection, tenant);
        snapshot.addTenants(
            RoutedTenant.newBuilder()
                .setName(tenant)
                .setActive("ACTIVE".equals(rows.getString(2)))
                .setQuota(
                    RoutedQuota.newBuilder()
                        .setRequestsPerSecond(quota.requestsPerSecond())
                        .setBurst(quota.burst())
                        .setMaxConcurrentRequests(quota.maxConcurrentRequests())
                        .setMaxRequestBytes(quota.maxRequestBytes())
                        .setMonthlyRequests(quota.monthlyRequests())
                        .setMonthlyRequestsUsed(used.getOrDefault(tenant, 0L))));
      }
    }
  }

  private static Map<String, Long> monthlyRequests(Connection connection) throws SQLException {
    Map<String, Long> used = new HashMap<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "select tenant, sum(requests) from usage_hourly"
                    + " where hour >= date_trunc('month', now(), 'UTC') group by tenant");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        used.put(rows.getString(1), rows.getLong(2));
      }
    }
    return used;
  }

  private static void addModels(Connection connection, RoutingSnapshot.Builder snapshot)
      throws SQLException {
    Map<Long, Map<Long, RoutedVersion.Builder>> serving = servingVersions(connection);
    for (DeployedModel deployed : ClusterRepository.deployments(connection)) {
      RoutedModel.Builder model =
          RoutedModel.newBuilder()
              .setTenant(deployed.tenant())
              .setName(deployed.name())
              .setDefaultVersion(deployed.defaultVersion())
              .setRateLimitRps(deployed.rateLimitRps());
      deployed.split().forEach((version, percent) -> model.putSplit(version, percent));
      Map<Long, RoutedVersion.Builder> servingVersions =
          serving.getOrDefault(deployed.modelId(), Map.of());
      // Wanted versions are listed with no addresses while none serves, so a gateway answers an
      // explicit request for one UNAVAILABLE (loading), not NOT_FOUND; versions still serving
      // while a rollout drains them stay listed too.
      SortedSet<Long> listed = new TreeSet<>(deployed.wantedVersions());
      listed.addAll(servingVersions.keySet());
      for (long version : listed) {
        model.addVersions(
            servingVersions.containsKey(version)
                ? servingVersions.get(version)
                : RoutedVersion.newBuilder()
                    .setVersion(version)
                    .setModelId(DeployedModel.modelIdOf(deployed.modelId(), version)));
      }
      snapshot.addModels(model);
    }
  }

  /** By model id, then version: the serving addresses on healthy workers. */
  private static Map<Long, Map<Long, RoutedVersion.Builder>> servingVersions(Connection connection)
      throws SQLException {
    Map<Long, Map<Long, RoutedVersion.Builder>> serving = new HashMap<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "select p.model_id, p.version, w.address from placements p"
                    + " join workers w on w.id = p.worker_id"
                    + " where p.state = 'SERVING' and w.healthy order by w.address");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        long modelId = rows.getLong(1);
        long version = rows.getLong(2);
        serving
            .computeIfAbsent(modelId, id -> new TreeMap<>())
            .computeIfAbsent(
                version,
                v ->
                    RoutedVersion.newBuilder()
                        .setVersion(v)
                        .setModelId(DeployedModel.modelIdOf(modelId, v)))
            .addAddresses(rows.getString(3));
      }
    }
    return serving;
  }
}
