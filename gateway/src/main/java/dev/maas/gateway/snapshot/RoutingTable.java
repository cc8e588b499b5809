package dev.maas.gateway.snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One routing snapshot, indexed for the request path: keys by id, tenants by name, models by tenant
 * and name. Immutable, so request threads read it without locks.
 */
public final class RoutingTable {

  private final long version;
  private final Instant buildTime;
  private final Map<String, KeyEntry> keys;
  private final Map<String, TenantEntry> tenants;
  private final Map<String, Map<String, ModelRoute>> modelsByTenant;

  /** Indexes the given entries; later duplicates replace earlier ones. */
  public RoutingTable(
      long version,
      Instant buildTime,
      Collection<KeyEntry> keys,
      Collection<TenantEntry> tenants,
      Collection<ModelRoute> models) {
    this.version = version;
    this.buildTime = buildTime;
    Map<String, KeyEntry> keyIndex = new HashMap<>();
    keys.forEach(key -> keyIndex.put(key.keyId(), key));
    Map<String, TenantEntry> tenantIndex = new HashMap<>();
    tenants.forEach(tenant -> tenantIndex.put(tenant.name(), tenant));
    Map<String, Map<String, ModelRoute>> modelIndex = new HashMap<>();
    models.forEach(
        model ->
            modelIndex
                .computeIfAbsent(model.tenant(), t -> new HashMap<>())
                .put(model.name(), model));
    this.keys = Map.copyOf(keyIndex);
    this.tenants = Map.copyOf(tenantIndex);
    Map<String, Map<String, ModelRoute>> frozen = new HashMap<>();
    modelIndex.forEach((tenant, byName) -> frozen.put(tenant, Map.copyOf(byName)));
    this.modelsByTenant = Map.copyOf(frozen);
  }

  /** The snapshot's version; increases with every change in the control plane. */
  public long version() {
    return version;
  }

  /** When the control plane built the snapshot. */
  public Instant buildTime() {
    return buildTime;
  }

  /** The key with this id; revoked keys are absent. */
  public Optional<KeyEntry> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** The tenant with this name. */
  public Optional<TenantEntry> tenant(String name) {
    return Optional.ofNullable(tenants.get(name));
  }

  /** The names of every tenant. */
  public Set<String> tenantNames() {
    return tenants.keySet();
  }

  /** The model {@code name} of {@code tenant}; never another tenant's model. */
  public Optional<ModelRoute> model(String tenant, String name) {
    return Optional.ofNullable(modelsByTenant.getOrDefault(tenant, Map.of()).get(name));
  }

  /** The models of one tenant, sorted by name. */
  public List<ModelRoute> modelsOf(String tenant) {
    List<ModelRoute> models =
        new ArrayList<>(modelsByTenant.getOrDefault(tenant, Map.of()).values());
    models.sort((a, b) -> a.name().compareTo(b.name()));
    return models;
  }

  /** Every worker address any version of any model is served at. */
  public Set<String> workerAddresses() {
    Set<String> addresses = new TreeSet<>();
    modelsByTenant.values().stream()
        .flatMap(byName -> byName.values().stream())
        .flatMap(model -> model.versions().values().stream())
        .forEach(version -> addresses.addAll(version.addresses()));
    return addresses;
  }
}
