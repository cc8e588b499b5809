package dev.maas.gateway.snapshot;

/**
 * A tenant as the gateway sees it.
 *
 * @param name the tenant's name
 * @param active false when the tenant is suspended
 * @param quota its limits
 */
public record TenantEntry(String name, boolean active, TenantQuota quota) {}
