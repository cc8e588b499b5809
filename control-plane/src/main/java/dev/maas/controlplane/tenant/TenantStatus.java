package dev.maas.controlplane.tenant;

/** Whether a tenant's keys work. */
public enum TenantStatus {
  ACTIVE,
  SUSPENDED
}
