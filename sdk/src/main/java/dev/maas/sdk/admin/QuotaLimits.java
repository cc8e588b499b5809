package dev.maas.sdk.admin;

/**
 * A tenant's quota as the control plane answers it.
 *
 * @param inForce the limits in force: the tenant's own, the platform default for the rest
 * @param overrides the tenant's own limits; unset fields follow the platform default
 */
public record QuotaLimits(Quota inForce, Quota overrides) {}
