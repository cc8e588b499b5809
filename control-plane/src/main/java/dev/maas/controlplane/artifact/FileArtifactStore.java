package dev.maas.controlplane.artifact;

import dev.maas.controlplane.config.MaasConfig;
import dev.maas.controlplane.tenant.TenantService;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.SecretKey;

/**
 * The artifact store on the local file system: {@code <data-dir>/artifacts/<tenant>/<sha256>}, each
 * file in the {@link SegmentFormat}. A put writes {@code .<sha256>.<random>.tmp} beside the target,
 * syncs it, and renames it into place.
 */
@Singleton
public final class FileArtifactStore implements ArtifactStore {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String TEMPORARY_SUFFIX = ".tmp";

  private final Path root;
  private final TenantKeys keys;

  public FileArtifactStore(MaasConfig config, TenantKeys keys) {
    this.root = config.dataDir().resolve("artifacts");
    this.keys = keys;
  }

  @Override
  public void put(String tenant, String sha256, Path plaintext) throws IOException {
    Path target = path(tenant, sha256);
    Path directory = target.getParent();
    Files.createDirectories(directory);
    SecretKey key = keys.dataKey(tenant);
    Path temporary = directory.resolve("." + sha256 + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
    try {
      try (FileChannel channel =
          FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream file = Channels.newOutputStream(channel);
        EncryptingOutputStream encrypted =
            new EncryptingOutputStream(
                file, key, context(tenant, sha256), SegmentFormat.DEFAULT_SEGMENT_BYTES);
        Files.copy(plaintext, encrypted);
        encrypted.finish();
        channel.force(true);
      }
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(directory);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  @Override
  public InputStream open(String tenant, String sha256) throws IOException {
    if (!wellFormed(tenant, sha256)) {
      throw new NoSuchFileException(tenant + "/" + sha256, null, "not a tenant name and SHA-256");
    }
    Path file = path(tenant, sha256);
    InputStream in = Files.newInputStream(file);
    SecretKey key;
    try {
      key =
          keys.existingKey(tenant)
              .orElseThrow(
                  () -> new NoSuchFileException(file.toString(), null, "the tenant has no key"));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    return new DecryptingInputStream(in, key, context(tenant, sha256));
  }

  @Override
  public boolean exists(String tenant, String sha256) {
    return wellFormed(tenant, sha256) && Files.isRegularFile(path(tenant, sha256));
  }

  @Override
  public void delete(String tenant, String sha256) throws IOException {
    Files.deleteIfExists(path(tenant, sha256));
  }

  @Override
  public Set<String> tenants() throws IOException {
    return names(root, TenantService.NAME, true);
  }

  @Override
  public Set<String> list(String tenant) throws IOException {
    return names(tenantDirectory(tenant), SHA256, false);
  }

  @Override
  public int removeTemporaryFiles(Instant before) throws IOException {
    int removed = 0;
    for (String tenant : tenants()) {
      try (Stream<Path> files = Files.list(tenantDirectory(tenant))) {
        for (Path file : (Iterable<Path>) files::iterator) {
          String name = file.getFileName().toString();
          if (name.startsWith(".")
              && name.endsWith(TEMPORARY_SUFFIX)
              && Files.getLastModifiedTime(file).toInstant().isBefore(before)
              && Files.deleteIfExists(file)) {
            removed++;
          }
        }
      }
    }
    return removed;
  }

  private static boolean wellFormed(String tenant, String sha256) {
    return TenantService.NAME.matcher(tenant).matches() && SHA256.matcher(sha256).matches();
  }

  /** The file of an artifact; the names are checked, so no path leaves the store. */
  private Path path(String tenant, String sha256) {
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
    }
    return tenantDirectory(tenant).resolve(sha256);
  }

  private Path tenantDirectory(String tenant) {
    if (!TenantService.NAME.matcher(tenant).matches()) {
      throw new IllegalArgumentException("not a tenant name: " + tenant);
    }
    return root.resolve(tenant);
  }

  /** What every segment of an artifact is bound to: its tenant and digest. */
  private static byte[] context(String tenant, String sha256) {
    return (tenant + "/" + sha256).getBytes(StandardCharsets.UTF_8);
  }

  private static Set<String> names(Path directory, Pattern pattern, boolean directories)
      throws IOException {
    Set<String> names = new TreeSet<>();
    if (!Files.isDirectory(directory)) {
      return names;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      entries
          .filter(p -> directories ? Files.isDirectory(p) : Files.isRegularFile(p))
          .map(p -> p.getFileName().toString())
          .filter(name -> pattern.matcher(name).matches())
          .forEach(names::add);
    }
    return names;
  }

  /** Makes a rename in {@code directory} durable; best effort where directories cannot sync. */
  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Not every platform can open a directory; the rename stays atomic, only less durable.
    }
  }
}
