package dev.maas.worker.repository;

import java.util.List;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which versions of a model to serve, as TF Serving and Triton define it: the latest N, all, or a
 * specific list.
 */
public sealed interface VersionPolicy {

  /** The versions this policy serves, out of those present. */
  SortedSet<Long> select(NavigableSet<Long> present);

  /** Serves the {@code count} highest versions. */
  record Latest(int count) implements VersionPolicy {
    public Latest {
      if (count < 1) {
        throw new IllegalArgumentException("num_versions must be >= 1, got " + count);
      }
    }

    @Override
    public SortedSet<Long> select(NavigableSet<Long> present) {
      TreeSet<Long> chosen = new TreeSet<>();
      for (Long version : present.descendingSet()) {
        if (chosen.size() == count) {
          break;
        }
        chosen.add(version);
      }
      return chosen;
    }
  }

  /** Serves every version present. */
  record All() implements VersionPolicy {
    @Override
    public SortedSet<Long> select(NavigableSet<Long> present) {
      return new TreeSet<>(present);
    }
  }

  /** Serves the listed versions that are present. */
  record Specific(List<Long> versions) implements VersionPolicy {
    public Specific {
      versions = List.copyOf(versions);
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("specific version policy needs at least one version");
      }
    }

    @Override
    public SortedSet<Long> select(NavigableSet<Long> present) {
      TreeSet<Long> chosen = new TreeSet<>(versions);
      chosen.retainAll(present);
      return chosen;
    }
  }
}
