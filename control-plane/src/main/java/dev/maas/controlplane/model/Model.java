package dev.maas.controlplane.model;

import java.time.Instant;

/**
 * A model of a tenant, as stored.
 *
 * @param id the database id, which deployments and versions refer to
 */
public record Model(long id, String tenant, String name, String description, Instant createdAt) {}
