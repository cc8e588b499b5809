package dev.maas.controlplane.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Converts between {@link Instant} and protobuf's {@link Timestamp}. */
public final class ProtoTime {

  private ProtoTime() {}

  /** The timestamp of an instant. */
  public static Timestamp of(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** The instant of a timestamp. */
  public static Instant toInstant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
