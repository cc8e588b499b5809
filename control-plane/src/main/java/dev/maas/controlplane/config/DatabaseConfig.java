package dev.maas.controlplane.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The database, under {@code maas.db.*} (environment: {@code MAAS_DB_URL}, {@code MAAS_DB_USER},
 * {@code MAAS_DB_PASSWORD}). Without a URL the control plane runs an embedded PostgreSQL under the
 * data directory.
 *
 * @param url JDBC URL of an external PostgreSQL
 * @param maxPoolSize connections in the pool
 */
@ConfigurationProperties("maas.db")
public record DatabaseConfig(
    @Nullable String url,
    @Nullable String user,
    @Nullable String password,
    @Bindable(defaultValue = "10") int maxPoolSize) {

  /** Whether an external database is configured. */
  public boolean external() {
    return url != null && !url.isBlank();
  }
}
