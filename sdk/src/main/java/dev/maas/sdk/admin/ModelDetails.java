package dev.maas.sdk.admin;

import java.util.List;
import java.util.Optional;

/**
 * A model with its versions and deployment.
 *
 * @param model the model
 * @param versions its versions, lowest first
 * @param deployment its deployment, or null when it is not deployed
 */
public record ModelDetails(Model model, List<ModelVersion> versions, Deployment deployment) {

  /** Copies the versions. */
  public ModelDetails {
    versions = List.copyOf(versions);
  }

  /** The deployment, when the model has one. */
  public Optional<Deployment> findDeployment() {
    return Optional.ofNullable(deployment);
  }
}
