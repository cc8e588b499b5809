package dev.maas.worker.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar archives in memory for tests: of a real directory, or with hand-made entries. */
final class TarArchives {

  private TarArchives() {}

  /** One hand-made entry: a file with content, a directory, or a link to {@code target}. */
  record Entry(String name, byte type, String content, String target) {
    static Entry file(String name, String content) {
      return new Entry(name, TarConstants.LF_NORMAL, content, "");
    }

    static Entry directory(String name) {
      return new Entry(name, TarConstants.LF_DIR, "", "");
    }

    static Entry symlink(String name, String target) {
      return new Entry(name, TarConstants.LF_SYMLINK, "", target);
    }

    static Entry hardLink(String name, String target) {
      return new Entry(name, TarConstants.LF_LINK, "", target);
    }
  }

  /** A tar of {@code directory}'s contents, with names relative to it (saved_model.pb at root). */
  static byte[] of(Path directory) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
        Stream<Path> paths = Files.walk(directory)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path path : paths.sorted().toList()) {
        if (path.equals(directory)) {
          continue;
        }
        String name = directory.relativize(path).toString().replace('\\', '/');
        if (Files.isDirectory(path)) {
          tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
        } else {
          TarArchiveEntry entry = new TarArchiveEntry(name);
          entry.setSize(Files.size(path));
          tar.putArchiveEntry(entry);
          Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A tar of these entries exactly as named, absolute or escaping names included. */
  static byte[] of(List<Entry> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (Entry e : entries) {
        TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
        byte[] content = e.content().getBytes(StandardCharsets.UTF_8);
        if (!e.target().isEmpty()) {
          entry.setLinkName(e.target());
        }
        if (e.type() == TarConstants.LF_NORMAL) {
          entry.setSize(content.length);
        }
        tar.putArchiveEntry(entry);
        if (e.type() == TarConstants.LF_NORMAL) {
          tar.write(content);
        }
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
