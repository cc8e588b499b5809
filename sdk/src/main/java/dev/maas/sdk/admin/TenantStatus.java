package dev.maas.sdk.admin;

/** Whether a tenant's keys work. */
public enum TenantStatus {
  /** Keys work. */
  ACTIVE,
  /** Keys are refused with PERMISSION_DENIED. */
  SUSPENDED,
  /** A state this SDK does not know (a newer server). */
  UNKNOWN
}
