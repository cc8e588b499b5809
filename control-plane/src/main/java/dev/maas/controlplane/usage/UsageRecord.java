package dev.maas.controlplane.usage;

import java.time.Instant;

/**
 * Usage of one model version in one hour, summed over every gateway.
 *
 * @param hour the start of the hour
 */
public record UsageRecord(String model, long version, Instant hour, UsageCounts counts) {}
