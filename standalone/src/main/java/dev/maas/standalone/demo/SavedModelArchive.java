package dev.maas.standalone.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A SavedModel packed as uploads take it: a plain tar with {@code saved_model.pb} at its root.
 *
 * @param bytes the archive
 * @param sha256 its SHA-256 in lower-case hex
 */
public record SavedModelArchive(byte[] bytes, String sha256) {

  /** Packs the SavedModel directory {@code directory}. */
  public static SavedModelArchive of(Path directory) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        Stream<Path> walk = Files.walk(directory)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
      for (Path file : files) {
        String name = directory.relativize(file).toString().replace('\\', '/');
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(file));
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack " + directory, e);
    }
    byte[] bytes = out.toByteArray();
    return new SavedModelArchive(bytes, sha256(bytes));
  }

  /** Exports a SavedModel with {@code exporter} into a scratch directory and packs it. */
  public static SavedModelArchive export(Consumer<Path> exporter) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("maas-demo-model");
      Path version = scratch.resolve("1");
      exporter.accept(version);
      return of(version);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a scratch directory", e);
    } finally {
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
