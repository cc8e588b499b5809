package dev.maas.gateway.routing;

import dev.maas.gateway.snapshot.ModelRoute;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.VersionRoute;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves a model name and version label inside the caller's tenant, and only there: a name that
 * exists in another tenant, or an internal model id, is not found exactly like a missing name.
 * Stateless and thread-safe.
 */
public final class ModelResolver {

  private static final Pattern VERSION = Pattern.compile("[0-9]{1,19}");

  private final VersionSelector selector;

  public ModelResolver(VersionSelector selector) {
    this.selector = selector;
  }

  /**
   * The route of a call.
   *
   * @param versionLabel the version the caller asked for; empty lets the deployment choose
   * @throws InvalidRequestException no name, or a version that is not a positive integer
   * @throws ModelNotFoundException the tenant has no such model, or no such version of it
   * @throws NoServingReplicaException no worker serves the chosen version now
   */
  public Route resolve(RoutingTable table, String tenant, String name, String versionLabel) {
    ModelRoute model = find(table, tenant, name);
    if (versionLabel.isEmpty()) {
      return new Route(model, selector.select(model));
    }
    long number = parseVersion(versionLabel);
    VersionRoute version =
        model
            .version(number)
            .orElseThrow(
                () ->
                    new ModelNotFoundException(
                        "model " + name + " version " + versionLabel + " not found"));
    if (!version.isServing()) {
      throw new NoServingReplicaException(
          "model " + name + " version " + number + " has no serving replica");
    }
    return new Route(model, version);
  }

  /**
   * The model {@code name} of {@code tenant}.
   *
   * @throws InvalidRequestException an empty name
   * @throws ModelNotFoundException the tenant has no such model
   */
  public static ModelRoute find(RoutingTable table, String tenant, String name) {
    if (name.isEmpty()) {
      throw new InvalidRequestException("model name is required");
    }
    Optional<ModelRoute> model = table.model(tenant, name);
    return model.orElseThrow(() -> new ModelNotFoundException("model " + name + " not found"));
  }

  /**
   * A version label as a number.
   *
   * @throws InvalidRequestException a label that is not a positive integer in ASCII digits
   */
  public static long parseVersion(String label) {
    // Long.parseLong alone would also take "+1" and other scripts' digits ("\u0661", "\uff11").
    if (VERSION.matcher(label).matches()) {
      try {
        long version = Long.parseLong(label);
        if (version > 0) {
          return version;
        }
      } catch (NumberFormatException e) {
        // Too large: answered below like a negative number.
      }
    }
    throw new InvalidRequestException(
        "model version must be a positive integer, got '" + label + "'");
  }
}
