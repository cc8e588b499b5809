package dev.maas.sdk.admin;

import java.time.Instant;

/**
 * One version of a deployment placed on one worker.
 *
 * @param version the version
 * @param worker the worker's id
 * @param state as the worker last reported it
 * @param reason why it FAILED, in the worker's words; empty otherwise
 * @param workerHealthy whether the worker answers heartbeats (replicas of an unhealthy worker get
 *     no traffic)
 * @param updateTime when the state last changed
 */
public record Replica(
    long version,
    String worker,
    ReplicaState state,
    String reason,
    boolean workerHealthy,
    Instant updateTime) {}
