package dev.maas.controlplane.deployment;

import java.time.Instant;

/**
 * One version of a deployment placed on one worker, as the worker last reported it.
 *
 * @param state LOADING, SERVING or FAILED
 * @param reason why it FAILED, in the worker's words; empty otherwise
 * @param workerHealthy whether the worker answers heartbeats
 * @param updatedAt when the state last changed
 */
public record Replica(
    long version,
    String worker,
    String state,
    String reason,
    boolean workerHealthy,
    Instant updatedAt) {}
