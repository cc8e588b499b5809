package dev.maas.controlplane.upload;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Limits of model uploads, under {@code maas.upload.*} (environment: {@code
 * MAAS_UPLOAD_MAX_ARCHIVE_BYTES} and so on).
 *
 * @param maxArchiveBytes the largest archive accepted, in bytes; more is refused with
 *     RESOURCE_EXHAUSTED while it streams
 * @param maxFiles the most entries (files and directories) an archive may hold
 * @param maxUnpackedBytes the most bytes an archive's files may add up to, unpacked
 * @param instanceId names this replica's uploads, so that a restarting replica fails only its own
 *     unfinished ones; defaults to the host name, which must then differ between replicas
 * @param staleAfter after how long without progress another replica's unfinished upload counts as
 *     abandoned, and its leftovers are cleaned up on startup
 */
@ConfigurationProperties("maas.upload")
public record UploadConfig(
    @Bindable(defaultValue = "2147483648") long maxArchiveBytes,
    @Bindable(defaultValue = "10000") int maxFiles,
    @Bindable(defaultValue = "4294967296") long maxUnpackedBytes,
    @Nullable String instanceId,
    @Bindable(defaultValue = "1h") Duration staleAfter) {

  public UploadConfig {
    if (instanceId == null || instanceId.isBlank()) {
      instanceId = hostName();
    }
    // It names a directory under uploads/.
    instanceId = instanceId.strip().replaceAll("[^A-Za-z0-9._-]", "_");
    if (instanceId.matches("\\.*")) {
      instanceId = "_" + instanceId;
    }
  }

  private static String hostName() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
