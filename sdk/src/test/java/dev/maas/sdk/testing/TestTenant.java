package dev.maas.sdk.testing;

/**
 * A tenant made for one test class.
 *
 * @param name its name
 * @param inferKey a key with the infer scope
 * @param manageKey a key with the manage scope
 */
public record TestTenant(String name, String inferKey, String manageKey) {}
