package dev.maas.worker.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * How a worker joins a cluster.
 *
 * @param controlPlane host:port of the control plane's gRPC
 * @param advertiseAddress host:port gateways dial to reach this worker; empty means {@code
 *     <hostname>:<gRPC port>}
 * @param workerId the id the worker registers under, stable across restarts (such as its pod name)
 * @param slots model replicas the worker may hold at once
 * @param token the cluster token: sent to the control plane, required on data-plane calls
 */
public record ClusterOptions(
    String controlPlane, String advertiseAddress, String workerId, int slots, ClusterToken token) {

  /** Default model replicas per worker. */
  public static final int DEFAULT_SLOTS = 8;

  public ClusterOptions {
    if (controlPlane == null || controlPlane.isBlank()) {
      throw new IllegalArgumentException("the control plane address is empty");
    }
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, got " + slots);
    }
    Objects.requireNonNull(advertiseAddress, "advertiseAddress");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(token, "token");
  }

  /** The address to advertise when the worker's gRPC listens on {@code port}. */
  public String advertiseAddressFor(int port) {
    return advertiseAddress.isEmpty() ? localHostName() + ":" + port : advertiseAddress;
  }

  /** This machine's host name (a pod's name on Kubernetes). */
  public static String localHostName() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
