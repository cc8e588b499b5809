package dev.maas.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.worker.demo.DtypesModel;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DtypesModelExportTest {

  @TempDir Path dir;

  @Test
  void export_intoMissingNestedDirectory_createsASavedModel() throws IOException {
    Path version = dir.resolve("dtypes/1");

    DtypesModel.export(version);

    assertThat(version.resolve("saved_model.pb")).isRegularFile();
    assertThat(version.resolve("variables")).isDirectory();
  }

  @Test
  void export_intoNonEmptyDirectory_refusesAndLeavesItAlone() throws IOException {
    Files.writeString(dir.resolve("keep.txt"), "mine");

    assertThatThrownBy(() -> DtypesModel.export(dir))
        .isInstanceOf(DirectoryNotEmptyException.class);
    assertThat(dir.resolve("saved_model.pb")).doesNotExist();
  }
}
