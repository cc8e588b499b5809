package dev.maas.sdk.admin;

import java.time.Instant;

/**
 * Usage of one model version in one hour.
 *
 * @param model the model's name
 * @param version the version
 * @param hour start of the hour (UTC)
 * @param requests requests answered
 * @param errors requests that failed
 * @param items items inferred
 * @param bytesIn request bytes received
 * @param bytesOut response bytes sent
 * @param computeMs time spent serving the requests, in milliseconds
 */
public record UsageRecord(
    String model,
    long version,
    Instant hour,
    long requests,
    long errors,
    long items,
    long bytesIn,
    long bytesOut,
    long computeMs) {}
