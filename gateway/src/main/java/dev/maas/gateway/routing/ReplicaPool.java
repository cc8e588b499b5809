package dev.maas.gateway.routing;

import io.grpc.ManagedChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The replicas of every worker address in the snapshot, each with one channel made on first use and
 * reused. When a snapshot drops an address its channel is shut down gracefully (calls on it
 * finish). Thread-safe.
 */
public final class ReplicaPool implements AutoCloseable {

  private final Function<String, ManagedChannel> channels;
  private final EjectionPolicy policy;
  private final ConcurrentMap<String, Replica> replicas = new ConcurrentHashMap<>();

  /**
   * A pool.
   *
   * @param channels opens a channel to a host:port
   */
  public ReplicaPool(Function<String, ManagedChannel> channels, EjectionPolicy policy) {
    this.channels = channels;
    this.policy = policy;
  }

  /** The replica of {@code address}, made on first use. */
  public Replica replica(String address) {
    return replicas.computeIfAbsent(address, a -> new Replica(a, channels.apply(a), policy));
  }

  /** Closes the replicas whose address is not in {@code addresses}. */
  public void retain(Set<String> addresses) {
    replicas
        .entrySet()
        .removeIf(
            entry -> {
              if (addresses.contains(entry.getKey())) {
                return false;
              }
              entry.getValue().channel().shutdown();
              return true;
            });
  }

  /** Closes every channel at once. */
  @Override
  public void close() {
    replicas.values().forEach(replica -> replica.channel().shutdownNow());
    replicas.clear();
  }
}
