package dev.maas.controlplane.grpc;

/**
 * Work to stop before the gRPC server drains on shutdown: while it drains, heartbeats are refused,
 * so placement must stop first (or it would take every worker for dead and tell gateways so), and
 * watch streams must end (or the drain would wait for them).
 */
public interface Quiescent {

  /** Stops the work; called once, on the shutdown thread, before the server stops taking calls. */
  void quiesce();
}
