package dev.maas.controlplane.deployment;

/**
 * The share of requests without an explicit version that one version receives.
 *
 * @param percent 0 to 100; the splits of a deployment add up to 100
 */
public record TrafficSplit(long version, int percent) {}
