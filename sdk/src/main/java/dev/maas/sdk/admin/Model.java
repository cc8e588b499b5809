package dev.maas.sdk.admin;

import java.time.Instant;

/**
 * A model of a tenant; what it serves are its versions.
 *
 * @param tenant the tenant that owns it
 * @param name its name, unique in the tenant
 * @param description free text for people
 * @param createTime when it was created
 */
public record Model(String tenant, String name, String description, Instant createTime) {}
