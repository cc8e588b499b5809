package dev.maas.controlplane.deployment;

import dev.maas.controlplane.problem.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a requested deployment on its own (no stored state) and fills in defaults: 0 replicas mean
 * one, 0 max replicas mean the minimum, a 0 queue size means 1024 and 0 instances mean one.
 */
final class DeploymentRules {

  private DeploymentRules() {}

  /**
   * The deployment to store for {@code requested}.
   *
   * @throws Problem INVALID_ARGUMENT naming the field and what to send instead
   */
  static Deployment normalize(Deployment requested) {
    requireName("deployment.tenant", requested.tenant());
    requireName("deployment.model", requested.model());
    if (requested.defaultVersion() < 1) {
      throw Problem.invalid(
          "deployment.default_version is required: the number (>= 1) of a READY version, got "
              + requested.defaultVersion());
    }
    checkSplit(requested.trafficSplit());
    int minReplicas = requested.minReplicas() == 0 ? 1 : requested.minReplicas();
    if (minReplicas < 1) {
      throw Problem.invalid(
          "min_replicas must be >= 1 (0 means 1), got " + requested.minReplicas());
    }
    int maxReplicas = requested.maxReplicas() == 0 ? minReplicas : requested.maxReplicas();
    if (maxReplicas < minReplicas) {
      throw Problem.invalid(
          "max_replicas ("
              + requested.maxReplicas()
              + ") must be >= min_replicas ("
              + minReplicas
              + "); 0 means equal to min_replicas");
    }
    double rate = requested.rateLimitRps();
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw Problem.invalid(
          "rate_limit_rps must be a finite number >= 0 (0 means only the tenant's limit), got "
              + rate);
    }
    return new Deployment(
        requested.tenant(),
        requested.model(),
        requested.defaultVersion(),
        requested.trafficSplit(),
        minReplicas,
        maxReplicas,
        requested.device(),
        batching(requested.batching()),
        rate,
        null);
  }

  /** Requires a non-blank name; the service checks that it exists. */
  static void requireName(String field, String value) {
    if (value == null || value.isBlank()) {
      throw Problem.invalid(field + " is required");
    }
  }

  private static void checkSplit(List<TrafficSplit> splits) {
    if (splits.isEmpty()) {
      return;
    }
    Set<Long> seen = new HashSet<>();
    int total = 0;
    for (TrafficSplit split : splits) {
      if (split.version() < 1) {
        throw Problem.invalid(
            "traffic_split versions must be version numbers >= 1, got " + split.version());
      }
      if (split.percent() < 0 || split.percent() > 100) {
        throw Problem.invalid(
            "traffic_split percent of version "
                + split.version()
                + " must be 0 to 100, got "
                + split.percent());
      }
      if (!seen.add(split.version())) {
        throw Problem.invalid(
            "traffic_split lists version " + split.version() + " twice; give each version once");
      }
      total += split.percent();
    }
    if (total != 100) {
      throw Problem.invalid(
          "traffic_split percents add up to "
              + total
              + "; they must add up to exactly 100 (or leave traffic_split empty)");
    }
  }

  private static Batching batching(Batching requested) {
    int maxBatchSize = requested.maxBatchSize();
    if (maxBatchSize < 0) {
      throw Problem.invalid(
          "batching.max_batch_size must be >= 0 (0 turns batching off), got " + maxBatchSize);
    }
    if (requested.maxQueueDelayMicroseconds() < 0) {
      throw Problem.invalid(
          "batching.max_queue_delay_microseconds must be >= 0, got "
              + requested.maxQueueDelayMicroseconds());
    }
    for (int size : requested.preferredBatchSizes()) {
      if (size < 1 || size > maxBatchSize) {
        throw Problem.invalid(
            "batching.preferred_batch_sizes must lie within 1 and max_batch_size ("
                + maxBatchSize
                + "), got "
                + size);
      }
    }
    int queueSize =
        requested.maxQueueSize() == 0 ? Batching.DEFAULT_MAX_QUEUE_SIZE : requested.maxQueueSize();
    if (queueSize < 1) {
      throw Problem.invalid(
          "batching.max_queue_size must be >= 1 (0 means "
              + Batching.DEFAULT_MAX_QUEUE_SIZE
              + "), got "
              + requested.maxQueueSize());
    }
    int instances = requested.instanceCount() == 0 ? 1 : requested.instanceCount();
    if (instances < 1) {
      throw Problem.invalid(
          "batching.instance_count must be >= 1 (0 means 1), got " + requested.instanceCount());
    }
    return new Batching(
        maxBatchSize,
        requested.maxQueueDelayMicroseconds(),
        requested.preferredBatchSizes(),
        queueSize,
        instances);
  }
}
