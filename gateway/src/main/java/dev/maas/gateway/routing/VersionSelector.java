package dev.maas.gateway.routing;

import dev.maas.gateway.snapshot.ModelRoute;
import dev.maas.gateway.snapshot.VersionRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses the version for a call that names none: by the deployment's traffic split when it has
 * one, else its default version. Split versions without a serving replica are left out of the draw
 * (their share goes to the others); when none is left, the default serves. When the default has no
 * serving replica either (a new default still loading, or one that failed to load), the newest
 * version of the model that has one serves instead, so a rollout never takes the model down while
 * the version it replaces still runs. Thread-safe.
 */
public final class VersionSelector {

  /**
   * The version to run.
   *
   * @throws NoServingReplicaException no version of the model has a serving replica
   */
  public VersionRoute select(ModelRoute model) {
    List<VersionRoute> candidates = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    int total = 0;
    for (Map.Entry<Long, Integer> share : model.split().entrySet()) {
      VersionRoute version = model.versions().get(share.getKey());
      if (share.getValue() > 0 && version != null && version.isServing()) {
        candidates.add(version);
        weights.add(share.getValue());
        total += share.getValue();
      }
    }
    if (total > 0) {
      int draw = ThreadLocalRandom.current().nextInt(total);
      for (int i = 0; i < candidates.size(); i++) {
        draw -= weights.get(i);
        if (draw < 0) {
          return candidates.get(i);
        }
      }
    }
    return model
        .version(model.defaultVersion())
        .filter(VersionRoute::isServing)
        .or(() -> newestServing(model))
        .orElseThrow(
            () ->
                new NoServingReplicaException("model " + model.name() + " has no serving replica"));
  }

  /**
   * The newest version with a serving replica. The snapshot lists only versions the control plane
   * keeps placed, and it keeps the version a rollout replaces until the new one serves, so this is
   * that version unless a newer one still serves too.
   */
  private static Optional<VersionRoute> newestServing(ModelRoute model) {
    VersionRoute newest = null;
    for (VersionRoute version : model.versions().values()) {
      if (version.isServing()) {
        newest = version;
      }
    }
    return Optional.ofNullable(newest);
  }
}
