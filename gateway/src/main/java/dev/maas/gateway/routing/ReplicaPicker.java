package dev.maas.gateway.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Picks the replica for one attempt by the power of two choices: two distinct replicas at random,
 * the one with fewer outstanding calls wins. Replicas already tried by the call are avoided while
 * others remain; ejected replicas are avoided while others remain (when all are ejected, they are
 * tried anyway rather than failing at once). Thread-safe.
 */
public final class ReplicaPicker {

  private final ReplicaPool pool;
  private final LongSupplier nanoTime;

  public ReplicaPicker(ReplicaPool pool, LongSupplier nanoTime) {
    this.pool = pool;
    this.nanoTime = nanoTime;
  }

  /**
   * The replica for the next attempt.
   *
   * @param addresses the version's addresses; not empty
   * @param tried addresses this call already tried
   */
  public Replica pick(List<String> addresses, Collection<String> tried) {
    List<Replica> fresh = new ArrayList<>();
    for (String address : addresses) {
      if (!tried.contains(address)) {
        fresh.add(pool.replica(address));
      }
    }
    if (fresh.isEmpty()) {
      addresses.forEach(address -> fresh.add(pool.replica(address)));
    }
    long now = nanoTime.getAsLong();
    List<Replica> available = new ArrayList<>();
    for (Replica replica : fresh) {
      if (replica.isAvailable(now)) {
        available.add(replica);
      }
    }
    return leastOutstandingOfTwo(available.isEmpty() ? fresh : available);
  }

  private static Replica leastOutstandingOfTwo(List<Replica> candidates) {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first = random.nextInt(candidates.size());
    int second = random.nextInt(candidates.size() - 1);
    if (second >= first) {
      second++;
    }
    Replica a = candidates.get(first);
    Replica b = candidates.get(second);
    return b.outstanding() < a.outstanding() ? b : a;
  }
}
