package dev.maas.controlplane.cluster;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Cluster timing, under {@code maas.cluster.*}.
 *
 * @param heartbeatIntervalMs how often workers heartbeat
 * @param heartbeatTimeoutMs a worker silent this long is unhealthy: routed around, its replicas
 *     placed elsewhere
 * @param reconcileIntervalMs how often the leader reconciles placements without a change
 */
@ConfigurationProperties("maas.cluster")
public record ClusterConfig(
    @Bindable(defaultValue = "1000") long heartbeatIntervalMs,
    @Bindable(defaultValue = "5000") long heartbeatTimeoutMs,
    @Bindable(defaultValue = "1000") long reconcileIntervalMs) {}
