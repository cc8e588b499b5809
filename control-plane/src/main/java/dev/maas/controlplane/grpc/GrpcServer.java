package dev.maas.controlplane.grpc;

import dev.maas.controlplane.auth.AdminAuthInterceptor;
import dev.maas.controlplane.config.MaasConfig;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's gRPC server (plain grpc-java on Netty): the admin API behind {@link
 * AdminAuthInterceptor}, the cluster API behind the cluster token, health and reflection. Starts
 * with the application context and drains on shutdown.
 */
@Context
public final class GrpcServer {

  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final List<Quiescent> quiescents;

  public GrpcServer(
      MaasConfig config,
      List<AdminApi> adminServices,
      List<ClusterApi> clusterServices,
      AdminAuthInterceptor adminAuth,
      ClusterAuthInterceptor clusterAuth,
      List<Quiescent> quiescents) {
    this.quiescents = quiescents;
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.grpcPort()))
            .maxInboundMessageSize(8 * 1024 * 1024)
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance());
    adminServices.forEach(s -> builder.addService(ServerInterceptors.intercept(s, adminAuth)));
    clusterServices.forEach(s -> builder.addService(ServerInterceptors.intercept(s, clusterAuth)));
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for gRPC on port " + config.grpcPort(), e);
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    log.info(
        "control plane serving gRPC on port {} ({} admin, {} cluster services)",
        server.getPort(),
        adminServices.size(),
        clusterServices.size());
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  @PreDestroy
  void stop() throws InterruptedException {
    health.enterTerminalState();
    quiescents.forEach(Quiescent::quiesce);
    server.shutdown();
    if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }
}
