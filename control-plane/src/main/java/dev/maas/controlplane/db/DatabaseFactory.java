package dev.maas.controlplane.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.maas.controlplane.config.DatabaseConfig;
import dev.maas.controlplane.config.MaasConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool: to the configured PostgreSQL, or to an embedded one under the data
 * directory. The schema is migrated (and validated) by Flyway before the pool is handed out.
 */
@Factory
final class DatabaseFactory {

  @Singleton
  @Bean(preDestroy = "close")
  @Requires(missingProperty = "maas.db.url")
  EmbeddedDatabase embeddedDatabase(MaasConfig config) {
    return EmbeddedDatabase.start(config.dataDir().resolve("postgres"));
  }

  @Singleton
  @Bean(preDestroy = "close")
  HikariDataSource dataSource(
      DatabaseConfig database, io.micronaut.context.BeanProvider<EmbeddedDatabase> embedded) {
    HikariConfig hikari = new HikariConfig();
    if (database.external()) {
      hikari.setJdbcUrl(database.url());
      hikari.setUsername(database.user());
      hikari.setPassword(database.password());
    } else {
      hikari.setJdbcUrl(embedded.get().jdbcUrl());
    }
    hikari.setMaximumPoolSize(database.maxPoolSize());
    hikari.setPoolName("maas");
    HikariDataSource dataSource = new HikariDataSource(hikari);
    migrate(dataSource);
    return dataSource;
  }

  @Singleton
  Database database(DataSource dataSource) {
    return new Database(dataSource);
  }

  private static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .validateOnMigrate(true)
        .load()
        .migrate();
  }
}
