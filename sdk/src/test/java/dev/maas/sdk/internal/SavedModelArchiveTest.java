package dev.maas.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelArchiveTest {

  @TempDir Path dir;

  @Test
  void packsFilesAtTheArchiveRootReadableByAStandardTarReader() throws IOException {
    Files.writeString(dir.resolve("saved_model.pb"), "graph");
    Files.createDirectories(dir.resolve("variables"));
    Files.write(dir.resolve("variables/variables.data-00000-of-00001"), new byte[1500]);
    Files.writeString(dir.resolve("variables/variables.index"), "");

    SavedModelArchive archive = SavedModelArchive.of(dir);
    byte[] bytes = archive.open().readAllBytes();

    assertThat(bytes).hasSize((int) archive.size());
    assertThat(archive.hasSavedModel()).isTrue();
    assertThat(read(bytes))
        .containsExactly(
            Map.entry("saved_model.pb", "graph"),
            Map.entry("variables/", ""),
            Map.entry("variables/variables.data-00000-of-00001", "\0".repeat(1500)),
            Map.entry("variables/variables.index", ""));
  }

  @Test
  void theSameDirectoryAlwaysPacksIntoTheSameBytes() throws IOException {
    Files.writeString(dir.resolve("saved_model.pb"), "graph");
    byte[] first = SavedModelArchive.of(dir).open().readAllBytes();
    Files.setLastModifiedTime(
        dir.resolve("saved_model.pb"), java.nio.file.attribute.FileTime.fromMillis(0));

    assertThat(SavedModelArchive.of(dir).open().readAllBytes()).isEqualTo(first);
  }

  @Test
  void pathsLongerThanTheNameFieldGoIntoThePrefix() throws IOException {
    Path deep = dir.resolve("a".repeat(60)).resolve("b".repeat(60));
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("c".repeat(90)), "x");

    Map<String, String> entries = read(SavedModelArchive.of(dir).open().readAllBytes());

    assertThat(entries)
        .containsEntry("a".repeat(60) + "/" + "b".repeat(60) + "/" + "c".repeat(90), "x");
  }

  @Test
  void aFileThatGrowsWhileStreamingFailsTheStream() throws IOException {
    Files.writeString(dir.resolve("saved_model.pb"), "graph");
    SavedModelArchive archive = SavedModelArchive.of(dir);
    Files.writeString(dir.resolve("saved_model.pb"), "a longer graph");

    try (InputStream in = archive.open()) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("changed while it was being uploaded");
    }
  }

  @Test
  void linksAndNonDirectoriesAreRefused() throws IOException {
    Files.writeString(dir.resolve("saved_model.pb"), "graph");
    Files.createSymbolicLink(dir.resolve("link"), dir.resolve("saved_model.pb"));

    assertThatThrownBy(() -> SavedModelArchive.of(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a symbolic link");
    assertThatThrownBy(() -> SavedModelArchive.of(dir.resolve("saved_model.pb")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a directory");
  }

  private static Map<String, String> read(byte[] archive) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        assertThat(entry.isDirectory() || entry.isFile()).isTrue();
        entries.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.ISO_8859_1));
      }
    }
    return entries;
  }
}
