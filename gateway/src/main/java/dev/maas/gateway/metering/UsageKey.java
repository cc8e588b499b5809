package dev.maas.gateway.metering;

import java.time.Instant;

/**
 * What one usage entry counts: one model version of one tenant in one hour.
 *
 * @param tenant the tenant
 * @param model the model's name in the tenant
 * @param version the version that served
 * @param hour the start of the hour (UTC)
 */
public record UsageKey(String tenant, String model, long version, Instant hour) {}
