package dev.maas.sdk.admin;

import java.time.Instant;

/**
 * A tenant: owner of models, keys, quotas and usage.
 *
 * @param name unique name: lower-case letters, digits and '-', starting with a letter
 * @param displayName free text for people
 * @param status whether its keys work
 * @param createTime when it was created
 */
public record Tenant(String name, String displayName, TenantStatus status, Instant createTime) {}
