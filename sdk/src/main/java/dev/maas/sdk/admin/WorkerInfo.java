package dev.maas.sdk.admin;

import java.time.Instant;
import java.util.Map;

/**
 * A worker of the cluster, as operators see it.
 *
 * @param id the worker's id
 * @param address host:port the gateway reaches it at
 * @param device its device
 * @param slots model replicas it may hold
 * @param usedSlots replicas placed on it
 * @param lastHeartbeat when it last reported
 * @param healthy whether it reported recently enough to receive placements
 * @param labels labels it registered with
 */
public record WorkerInfo(
    String id,
    String address,
    Device device,
    int slots,
    int usedSlots,
    Instant lastHeartbeat,
    boolean healthy,
    Map<String, String> labels) {

  /** Copies the labels. */
  public WorkerInfo {
    labels = Map.copyOf(labels);
  }
}
