package dev.maas.sdk;

import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/** Shuts a channel down gracefully, then forcibly. */
final class Closing {

  private Closing() {}

  static void close(ManagedChannel channel) {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
