package dev.maas.worker.cluster;

import dev.maas.proto.cluster.v1.Assignment;
import dev.maas.proto.cluster.v1.PlacementState;
import dev.maas.proto.cluster.v1.PlacementStatus;
import dev.maas.worker.lifecycle.ModelRegistry;
import dev.maas.worker.lifecycle.ModelVersion;
import dev.maas.worker.lifecycle.ServedModel;
import dev.maas.worker.lifecycle.VersionState;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a heartbeat reports of each placement, read from the model registry: SERVING once a version
 * of the assigned model is ready; FAILED when its artifact was refused, its config is invalid or
 * its load failed; LOADING otherwise (fetching, loading, or not yet started).
 */
final class PlacementStates {

  private PlacementStates() {}

  /**
   * @param failures why a model's artifact can never serve, by model id
   */
  static List<PlacementStatus> of(
      List<Assignment> assignments,
      ModelRegistry registry,
      Function<String, Optional<String>> failures) {
    return assignments.stream().map(a -> of(a, registry, failures)).toList();
  }

  private static PlacementStatus of(
      Assignment assignment, ModelRegistry registry, Function<String, Optional<String>> failures) {
    PlacementStatus.Builder status =
        PlacementStatus.newBuilder().setPlacementId(assignment.getPlacementId());
    Optional<String> refused = failures.apply(assignment.getModelId());
    if (refused.isPresent()) {
      return status
          .setState(PlacementState.PLACEMENT_STATE_FAILED)
          .setReason(refused.get())
          .build();
    }
    Optional<ServedModel> model = registry.model(assignment.getModelId());
    if (model.isEmpty()) {
      return status.setState(PlacementState.PLACEMENT_STATE_LOADING).build();
    }
    if (model.get().isReady()) {
      return status.setState(PlacementState.PLACEMENT_STATE_SERVING).build();
    }
    if (!model.get().problem().isEmpty()) {
      return status
          .setState(PlacementState.PLACEMENT_STATE_FAILED)
          .setReason(model.get().problem())
          .build();
    }
    Optional<ModelVersion> failed =
        model.get().versions().stream()
            .filter(v -> v.state() == VersionState.UNAVAILABLE)
            .findFirst();
    if (failed.isPresent()) {
      return status
          .setState(PlacementState.PLACEMENT_STATE_FAILED)
          .setReason(failed.get().reason())
          .build();
    }
    return status.setState(PlacementState.PLACEMENT_STATE_LOADING).build();
  }
}
