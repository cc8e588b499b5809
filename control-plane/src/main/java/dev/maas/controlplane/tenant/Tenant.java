package dev.maas.controlplane.tenant;

import java.time.Instant;

/** A tenant as stored. */
public record Tenant(String name, String displayName, TenantStatus status, Instant createdAt) {}
