package dev.maas.worker.testing;

import dev.maas.worker.demo.DemoModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** The demo models, exported once per test JVM and copied into each test's repository. */
public final class DemoRepository {

  private static Path exported;

  private DemoRepository() {}

  /** Copies the demo model repository into {@code target}. */
  public static void copyTo(Path target) {
    copyTree(exportedOnce(), target);
  }

  /** Copies one demo model's directory into {@code target}/{@code model}. */
  public static void copyModelTo(String model, Path target) {
    copyTree(exportedOnce().resolve(model), target.resolve(model));
  }

  private static synchronized Path exportedOnce() {
    if (exported == null) {
      try {
        Path dir = Files.createTempDirectory("maas-demo-models");
        DemoModels.exportRepository(dir);
        exported = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return exported;
  }

  /** Copies a directory tree. */
  public static void copyTree(Path source, Path target) {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path destination = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory tree. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
