package dev.maas.sdk.internal;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Converts protobuf timestamps; an unset one is null. */
public final class Timestamps {

  private Timestamps() {}

  /** The instant, or null when {@code isSet} is false. */
  public static Instant toInstant(boolean isSet, Timestamp timestamp) {
    return isSet ? Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()) : null;
  }

  /** The protobuf timestamp of {@code instant}. */
  public static Timestamp of(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
