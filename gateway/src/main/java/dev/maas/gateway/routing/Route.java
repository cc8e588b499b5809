package dev.maas.gateway.routing;

import dev.maas.gateway.snapshot.ModelRoute;
import dev.maas.gateway.snapshot.VersionRoute;

/**
 * Where one call goes: a model of the caller's tenant and the version chosen for it.
 *
 * @param model the model
 * @param version the version, with at least one address
 */
public record Route(ModelRoute model, VersionRoute version) {}
