package dev.maas.gateway.routing;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.ManagedChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker address: its channel (one per address, reused by every call), the calls outstanding on
 * it, and its ejection state. After {@link EjectionPolicy#consecutiveFailures()} failures in a row
 * it is ejected for a while; when that ends, the next calls probe it: a success puts it back, a
 * failure ejects it again for twice as long. Thread-safe.
 */
public final class Replica {

  private final String address;
  private final ManagedChannel channel;
  private final EjectionPolicy policy;
  private final AtomicInteger outstanding = new AtomicInteger();

  @GuardedBy("this")
  private int consecutiveFailures;

  @GuardedBy("this")
  private int ejections;

  @GuardedBy("this")
  private long ejectedUntilNanos;

  Replica(String address, ManagedChannel channel, EjectionPolicy policy) {
    this.address = address;
    this.channel = channel;
    this.policy = policy;
  }

  /** host:port of the worker. */
  public String address() {
    return address;
  }

  /** The channel to the worker. */
  public ManagedChannel channel() {
    return channel;
  }

  /** Calls sent to this replica that have not ended. */
  public int outstanding() {
    return outstanding.get();
  }

  /** Marks a call sent; pair with {@link #end()}. */
  public void begin() {
    outstanding.incrementAndGet();
  }

  /** Marks a call ended. */
  public void end() {
    outstanding.decrementAndGet();
  }

  /** Whether the replica takes calls at {@code nowNanos}: not ejected, or its ejection is over. */
  public synchronized boolean isAvailable(long nowNanos) {
    return ejections == 0 || nowNanos - ejectedUntilNanos >= 0;
  }

  /** Records an answer from the worker (even an error answer): it is reachable. */
  public synchronized void onSuccess() {
    consecutiveFailures = 0;
    ejections = 0;
  }

  /**
   * Records a failure to reach the worker.
   *
   * @return true when this failure ejected the replica
   */
  public synchronized boolean onFailure(long nowNanos) {
    consecutiveFailures++;
    boolean probeFailed = ejections > 0 && nowNanos - ejectedUntilNanos >= 0;
    if (!probeFailed && (ejections > 0 || consecutiveFailures < policy.consecutiveFailures())) {
      return false;
    }
    ejections++;
    ejectedUntilNanos = nowNanos + policy.ejection(ejections).toNanos();
    return true;
  }
}
