package dev.maas.gateway.snapshot;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Holds the latest routing table. Request threads read it with {@link #require()}; the snapshot
 * watcher replaces it with {@link #update}. Listeners run on the updating thread, in order, after
 * the new table is visible.
 */
public final class SnapshotHolder {

  private final List<Consumer<RoutingTable>> listeners = new CopyOnWriteArrayList<>();
  private volatile RoutingTable current;

  /** The latest table, or empty before the first snapshot arrived. */
  public Optional<RoutingTable> current() {
    return Optional.ofNullable(current);
  }

  /**
   * The latest table.
   *
   * @throws NoSnapshotException before the first snapshot arrived
   */
  public RoutingTable require() {
    RoutingTable table = current;
    if (table == null) {
      throw new NoSnapshotException();
    }
    return table;
  }

  /** Whether a snapshot has ever arrived. */
  public boolean hasSnapshot() {
    return current != null;
  }

  /** Replaces the table and tells the listeners. */
  public void update(RoutingTable table) {
    current = table;
    for (Consumer<RoutingTable> listener : listeners) {
      listener.accept(table);
    }
  }

  /** Calls {@code listener} after every update. */
  public void addListener(Consumer<RoutingTable> listener) {
    listeners.add(listener);
  }
}
