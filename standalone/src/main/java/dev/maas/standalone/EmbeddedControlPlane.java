package dev.maas.standalone;

import dev.maas.controlplane.config.MaasConfig;
import dev.maas.controlplane.db.EmbeddedDatabase;
import dev.maas.controlplane.grpc.GrpcServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's Micronaut application, run in this JVM: its gRPC server, its HTTP server
 * (health, metrics) and, unless an external database is configured ({@code MAAS_DB_URL}), a {@link
 * EmbeddedDatabase} under {@code <data-dir>/postgres}. The admin and cluster tokens are the
 * configured ones, or those it generated into the data directory.
 */
final class EmbeddedControlPlane implements AutoCloseable {

  private static final String DB_URL = "maas.db.url";

  private final ApplicationContext context;
  private final int httpPort;
  private final Path dataDir;
  private final Optional<EmbeddedDatabase> database;

  private EmbeddedControlPlane(
      ApplicationContext context, int httpPort, Path dataDir, Optional<EmbeddedDatabase> database) {
    this.context = context;
    this.httpPort = httpPort;
    this.dataDir = dataDir;
    this.database = database;
  }

  /**
   * Starts the control plane; returns once its gRPC server listens and the database is migrated.
   */
  static EmbeddedControlPlane start(StandaloneOptions options) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("maas.data-dir", options.dataDir().toAbsolutePath().toString());
    properties.put("maas.grpc-port", options.controlPlanePort());
    // Micronaut picks a free port for -1, not 0.
    int httpPort = options.controlPlaneHttpPort();
    properties.put("micronaut.server.port", httpPort == 0 ? -1 : httpPort);
    properties.putAll(options.controlPlaneProperties());
    Optional<EmbeddedDatabase> database =
        externalDatabase(options)
            ? Optional.empty()
            : Optional.of(EmbeddedDatabase.start(options.dataDir().resolve("postgres")));
    database.ifPresent(
        db -> {
          properties.put(DB_URL, db.jdbcUrl());
          properties.put("maas.db.user", EmbeddedDatabase.USER);
        });
    ApplicationContext context = null;
    try {
      context =
          ApplicationContext.builder().properties(properties).deduceEnvironment(false).start();
      if (httpPort < 0) {
        return new EmbeddedControlPlane(context, -1, options.dataDir(), database);
      }
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      return new EmbeddedControlPlane(context, server.getPort(), options.dataDir(), database);
    } catch (RuntimeException e) {
      if (context != null) {
        context.close();
      }
      database.ifPresent(EmbeddedDatabase::close);
      throw e;
    }
  }

  /** The gRPC port: admin API and cluster API. */
  int grpcPort() {
    return context.getBean(GrpcServer.class).port();
  }

  /** The HTTP port (health, Prometheus), or -1 when it is off. */
  int httpPort() {
    return httpPort;
  }

  /** The platform admin token: the configured one, or the one generated into the data dir. */
  String adminToken() {
    MaasConfig config = context.getBean(MaasConfig.class);
    return adminTokenFile()
        .map(EmbeddedControlPlane::read)
        .orElseGet(() -> config.adminToken().strip());
  }

  /**
   * The file the admin token is in: the configured {@code maas.admin-token-file}, or the one
   * generated under the data directory; empty when the token was configured as a value.
   */
  Optional<Path> adminTokenFile() {
    MaasConfig config = context.getBean(MaasConfig.class);
    if (config.adminToken() != null && !config.adminToken().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        config.adminTokenFile() != null ? config.adminTokenFile() : dataDir.resolve("admin-token"));
  }

  /** The cluster token: the configured one, or the one generated into the data directory. */
  String clusterToken() {
    MaasConfig config = context.getBean(MaasConfig.class);
    if (config.clusterToken() != null && !config.clusterToken().isBlank()) {
      return config.clusterToken().strip();
    }
    return read(config.dataDir().resolve("cluster-token"));
  }

  /** Drains the gRPC server, stops the HTTP server, then the embedded database. */
  @Override
  public void close() {
    try {
      context.close();
    } finally {
      database.ifPresent(EmbeddedDatabase::close);
    }
  }

  /** Whether the control plane is configured with a database of its own. */
  private static boolean externalDatabase(StandaloneOptions options) {
    String fromEnvironment = System.getenv("MAAS_DB_URL");
    String fromProperty = System.getProperty(DB_URL);
    return options.controlPlaneProperties().containsKey(DB_URL)
        || (fromEnvironment != null && !fromEnvironment.isBlank())
        || (fromProperty != null && !fromProperty.isBlank());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
