package dev.maas.controlplane.usage;

import dev.maas.controlplane.problem.Problem;
import java.time.Instant;

/**
 * Usage of one model version as one gateway counted it, at a time inside the hour it belongs to.
 *
 * @param model the model's name in the tenant
 * @param at the start of the hour or any time inside it
 */
public record UsageEntry(
    String tenant, String model, long version, Instant at, UsageCounts counts) {

  /**
   * Checks that every field is set.
   *
   * @throws Problem INVALID_ARGUMENT
   */
  public UsageEntry {
    if (tenant == null || tenant.isEmpty() || model == null || model.isEmpty()) {
      throw Problem.invalid("a usage entry needs a tenant and a model");
    }
    if (at == null || counts == null) {
      throw Problem.invalid("usage entry of model '" + model + "' needs a time and counts");
    }
  }
}
