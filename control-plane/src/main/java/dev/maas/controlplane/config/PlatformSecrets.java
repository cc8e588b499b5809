package dev.maas.controlplane.config;

import dev.maas.controlplane.auth.TokenHash;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's secrets: the admin token and cluster token, kept only as hashes, and the master
 * key that wraps tenants' artifact keys. Each comes from configuration, or is generated once into a
 * file under the data directory (mode 600) and read from there on later starts.
 */
@Singleton
public final class PlatformSecrets {

  private static final Logger log = LoggerFactory.getLogger(PlatformSecrets.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] adminTokenHash;
  private final byte[] clusterTokenHash;
  private final byte[] masterKey;

  public PlatformSecrets(MaasConfig config) {
    Path dataDir = config.dataDir();
    String admin = config.adminToken();
    if (admin == null && config.adminTokenFile() != null) {
      admin = read(config.adminTokenFile());
    }
    this.adminTokenHash = TokenHash.sha256(orGenerated(admin, dataDir.resolve("admin-token")));
    this.clusterTokenHash =
        TokenHash.sha256(orGenerated(config.clusterToken(), dataDir.resolve("cluster-token")));
    String key = config.masterKey();
    this.masterKey =
        Base64.getDecoder().decode(orGenerated(key, dataDir.resolve("master.key")).strip());
    if (masterKey.length != 32) {
      throw new IllegalStateException(
          "maas.master-key must be base64 of 32 bytes (AES-256), got " + masterKey.length);
    }
  }

  /** Whether {@code presented} is the platform admin token. */
  public boolean isAdminToken(String presented) {
    return TokenHash.matches(adminTokenHash, presented);
  }

  /** Whether {@code presented} is the cluster token. */
  public boolean isClusterToken(String presented) {
    return TokenHash.matches(clusterTokenHash, presented);
  }

  /** The 32-byte master key; callers must not change the array. */
  public byte[] masterKey() {
    return masterKey;
  }

  private static String orGenerated(String configured, Path file) {
    if (configured != null && !configured.isBlank()) {
      return configured.strip();
    }
    if (Files.isRegularFile(file)) {
      return read(file);
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String generated =
        file.getFileName().toString().endsWith(".key")
            ? Base64.getEncoder().encodeToString(random)
            : Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    write(file, generated);
    log.warn("no {} configured: generated one into {}", file.getFileName(), file);
    return generated;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void write(Path file, String secret) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
