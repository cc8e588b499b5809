package dev.maas.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the worker's unpacking of model artifacts ({@link ArtifactUnpacker}) with arbitrary tar
 * bytes, seeded with SavedModel archives, path traversal, links and special files. The invariant:
 * the archive is unpacked or refused with {@link ArtifactRejectedException}, and either way nothing
 * is created outside the target directory and nothing inside it is a link or a special file.
 * Corpus: {@code src/test/resources/dev/maas/worker/cluster/ArtifactUnpackerFuzzTestInputs}.
 */
class ArtifactUnpackerFuzzTest {

  private static Path sandbox;
  private static Path archive;
  private static Path target;

  @BeforeAll
  static void createSandbox() throws IOException {
    sandbox = Files.createTempDirectory("maas-unpack-fuzz");
    archive = sandbox.resolve("artifact.tar");
    target = sandbox.resolve("staging").resolve("model");
  }

  @AfterAll
  static void deleteSandbox() throws IOException {
    deleteTree(sandbox);
  }

  @FuzzTest
  void unpack_arbitraryTar_writesNothingOutsideTheTarget(byte[] bytes) throws IOException {
    Files.write(archive, bytes);
    try {
      ArtifactUnpacker.unpack(archive, target);
      assertThat(target.resolve("saved_model.pb")).isRegularFile();
    } catch (ArtifactRejectedException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try (Stream<Path> all = Files.walk(sandbox)) {
      List<Path> paths = all.toList();
      assertThat(paths)
          .as("everything in the sandbox")
          .allSatisfy(
              path ->
                  assertThat(
                          path.equals(sandbox)
                              || path.equals(archive)
                              || path.equals(target.getParent())
                              || path.startsWith(target))
                      .as("%s lies outside the target", path)
                      .isTrue());
      assertThat(paths)
          .allSatisfy(
              path ->
                  assertThat(
                          Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                              || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
                      .as("%s is a plain file or directory", path)
                      .isTrue());
    }
    deleteTree(target.getParent());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(ArtifactUnpackerFuzzTest::delete);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
