package dev.maas.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.worker.cluster.TarArchives.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactUnpackerTest {

  @TempDir Path dir;

  @Test
  void unpacksFilesAndDirectories_underTheTarget() throws Exception {
    Path archive =
        write(
            List.of(
                Entry.directory("./"),
                Entry.file("./saved_model.pb", "graph"),
                Entry.directory("variables/"),
                Entry.file("variables/variables.index", "index"),
                Entry.file("assets/vocab.txt", "words")));
    Path target = dir.resolve("out").resolve("1");

    ArtifactUnpacker.unpack(archive, target);

    assertThat(target.resolve("saved_model.pb")).hasContent("graph");
    assertThat(target.resolve("variables/variables.index")).hasContent("index");
    assertThat(target.resolve("assets/vocab.txt")).hasContent("words");
  }

  @Test
  void entryLeavingTheDirectory_isRejected() throws IOException {
    Path archive =
        write(List.of(Entry.file("saved_model.pb", "graph"), Entry.file("a/../../evil", "x")));

    assertThatThrownBy(() -> ArtifactUnpacker.unpack(archive, dir.resolve("out")))
        .isInstanceOf(ArtifactRejectedException.class)
        .hasMessageContaining("a/../../evil")
        .hasMessageContaining("leaves its directory");
    assertThat(dir.resolve("evil")).doesNotExist();
  }

  @Test
  void absolutePath_isRejected() throws IOException {
    Path archive = write(List.of(Entry.file("/tmp/maas-absolute-entry", "x")));

    assertThatThrownBy(() -> ArtifactUnpacker.unpack(archive, dir.resolve("out")))
        .isInstanceOf(ArtifactRejectedException.class)
        .hasMessageContaining("absolute path");
  }

  @Test
  void symbolicLink_isRejected() throws IOException {
    Path archive =
        write(List.of(Entry.file("saved_model.pb", "graph"), Entry.symlink("variables", "/etc")));

    assertThatThrownBy(() -> ArtifactUnpacker.unpack(archive, dir.resolve("out")))
        .isInstanceOf(ArtifactRejectedException.class)
        .hasMessageContaining("'variables' is not a plain file or directory");
    assertThat(dir.resolve("out").resolve("variables")).doesNotExist();
  }

  @Test
  void hardLink_isRejected() throws IOException {
    Path archive =
        write(
            List.of(Entry.file("saved_model.pb", "graph"), Entry.hardLink("copy", "/etc/passwd")));

    assertThatThrownBy(() -> ArtifactUnpacker.unpack(archive, dir.resolve("out")))
        .isInstanceOf(ArtifactRejectedException.class)
        .hasMessageContaining("'copy' is not a plain file or directory");
  }

  @Test
  void archiveWithoutSavedModelAtItsRoot_isRejected() throws IOException {
    Path archive = write(List.of(Entry.file("model/saved_model.pb", "graph")));

    assertThatThrownBy(() -> ArtifactUnpacker.unpack(archive, dir.resolve("out")))
        .isInstanceOf(ArtifactRejectedException.class)
        .hasMessageContaining("no saved_model.pb at its root");
  }

  @Test
  void bytesThatAreNoTar_areRejected() throws IOException {
    Path archive = dir.resolve("garbage.tar");
    Files.write(archive, "x".repeat(2048).getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> ArtifactUnpacker.unpack(archive, dir.resolve("out")))
        .isInstanceOf(ArtifactRejectedException.class);
  }

  private Path write(List<Entry> entries) throws IOException {
    Path archive = dir.resolve("artifact.tar");
    Files.write(archive, TarArchives.of(entries));
    return archive;
  }
}
