package dev.maas.gateway.forwarding;

/**
 * What forwarding tells the metrics; called on gRPC threads, so implementations are thread-safe.
 */
public interface ForwardingEvents {

  /** A call is retried after {@code address} could not take it. */
  void retried(String address);

  /** {@code address} failed repeatedly and was taken out of rotation for a while. */
  void ejected(String address);
}
