package dev.maas.sdk.admin;

/**
 * The share of requests without an explicit version that one version receives.
 *
 * @param version the version
 * @param percent 0 to 100; the shares of a deployment add up to 100
 */
public record TrafficShare(long version, int percent) {}
