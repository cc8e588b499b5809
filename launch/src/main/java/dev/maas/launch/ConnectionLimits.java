package dev.maas.launch;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long a gRPC server (worker or gateway) keeps idle client connections and how often it lets
 * clients ping.
 *
 * @param maxConnectionIdle a connection without calls for this long is closed with GOAWAY (the
 *     client reconnects on its next call); zero keeps idle connections open
 * @param permitKeepAliveTime the shortest interval between a client's keepalive pings; a client
 *     that pings more often is sent GOAWAY {@code ENHANCE_YOUR_CALM} ("too_many_pings") and
 *     disconnected. Pings are allowed at that interval with or without calls in flight.
 */
public record ConnectionLimits(Duration maxConnectionIdle, Duration permitKeepAliveTime) {

  /** Idle connections are closed after 5 minutes. */
  public static final Duration DEFAULT_MAX_CONNECTION_IDLE = Duration.ofMinutes(5);

  /** Clients may ping every 10 seconds, grpc-java's shortest client keepalive time. */
  public static final Duration DEFAULT_PERMIT_KEEPALIVE_TIME = Duration.ofSeconds(10);

  public ConnectionLimits {
    if (maxConnectionIdle.isNegative() || permitKeepAliveTime.isNegative()) {
      throw new IllegalArgumentException(
          "connection idle timeout and keepalive interval must not be negative");
    }
  }

  /** The defaults: {@link #DEFAULT_MAX_CONNECTION_IDLE}, {@link #DEFAULT_PERMIT_KEEPALIVE_TIME}. */
  public static ConnectionLimits defaults() {
    return new ConnectionLimits(DEFAULT_MAX_CONNECTION_IDLE, DEFAULT_PERMIT_KEEPALIVE_TIME);
  }

  /** Applies the limits to a server builder. */
  public NettyServerBuilder applyTo(NettyServerBuilder builder) {
    if (!maxConnectionIdle.isZero()) {
      builder.maxConnectionIdle(maxConnectionIdle.toNanos(), TimeUnit.NANOSECONDS);
    }
    return builder
        .permitKeepAliveTime(permitKeepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveWithoutCalls(true);
  }
}
