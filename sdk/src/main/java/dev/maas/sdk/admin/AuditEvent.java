package dev.maas.sdk.admin;

import java.time.Instant;

/**
 * One administrative change.
 *
 * @param id increasing id
 * @param time when it happened
 * @param actor who did it: {@code admin}, or {@code key:<key id>}
 * @param tenant the tenant it concerned; empty for platform-wide changes
 * @param action what was done, such as {@code tenant.suspend}
 * @param target what it was done to, such as a model name
 * @param beforeJson the target before the change, as JSON; empty if it did not exist
 * @param afterJson the target after the change, as JSON; empty if it no longer exists
 */
public record AuditEvent(
    long id,
    Instant time,
    String actor,
    String tenant,
    String action,
    String target,
    String beforeJson,
    String afterJson) {}
