package dev.maas.worker.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scans of a repository directory; nothing is loaded, so plain files stand in for models. */
class ModelRepositoryTest {

  @TempDir Path root;

  @Test
  void scan_listsModelsByNameWithTheirNumberedVersions() throws IOException {
    version("beta", "1");
    version("alpha", "2");
    version("alpha", "10");

    List<ModelEntry> models = new ModelRepository(root).scan();

    assertThat(models).extracting(ModelEntry::name).containsExactly("alpha", "beta");
    assertThat(models.get(0).versions()).containsOnlyKeys(2L, 10L);
    assertThat(models.get(0).versions().get(10L).path()).isEqualTo(root.resolve("alpha/10"));
    assertThat(models.get(0).config()).isEqualTo(ModelConfig.defaults());
    assertThat(models.get(0).configProblem()).isEmpty();
  }

  @Test
  void scan_ignoresDirectoriesThatAreNotModelsOrVersions() throws IOException {
    version("model", "1");
    Files.createDirectories(root.resolve("model/0"));
    Files.createDirectories(root.resolve("model/01"));
    Files.createDirectories(root.resolve("model/latest"));
    Files.createDirectories(root.resolve("model/.2.tmp"));
    Files.writeString(root.resolve("model/3"), "a file, not a directory");
    Files.createDirectories(root.resolve(".staging/1"));
    Files.createDirectories(root.resolve("bad name/1"));
    Files.writeString(root.resolve("README"), "not a model");

    List<ModelEntry> models = new ModelRepository(root).scan();

    assertThat(models).extracting(ModelEntry::name).containsExactly("model");
    assertThat(models.get(0).versions()).containsOnlyKeys(1L);
  }

  @Test
  void scan_modelWithoutVersions_isListedEmpty() throws IOException {
    Files.createDirectories(root.resolve("empty"));

    List<ModelEntry> models = new ModelRepository(root).scan();

    assertThat(models).singleElement().satisfies(m -> assertThat(m.versions()).isEmpty());
  }

  @Test
  void scan_readsConfigJson() throws IOException {
    version("model", "1");
    config("model", "{\"max_batch_size\": 4}");

    ModelEntry entry = new ModelRepository(root).scan().get(0);

    assertThat(entry.config().maxBatchSize()).hasValue(4);
  }

  @Test
  void scan_invalidConfigJson_isReportedNotThrown() throws IOException {
    version("broken", "1");
    version("fine", "1");
    config("broken", "{\"max_batch\": 4}");

    List<ModelEntry> models = new ModelRepository(root).scan();

    assertThat(models.get(0).configProblem())
        .hasValueSatisfying(problem -> assertThat(problem).contains("max_batch"));
    assertThat(models.get(0).config()).isNull();
    assertThat(models.get(0).versions()).containsOnlyKeys(1L);
    assertThat(models.get(1).configProblem()).isEmpty();
  }

  @Test
  void fingerprint_changesWhenAFileOrTheConfigChanges() throws IOException {
    Path version = version("model", "1");
    ModelRepository repository = new ModelRepository(root);
    String initial = fingerprint(repository);

    assertThat(fingerprint(repository)).isEqualTo(initial);
    Files.writeString(version.resolve("saved_model.pb"), "longer contents than before");
    String afterFileChange = fingerprint(repository);
    config("model", "{\"max_batch_size\": 4}");
    String afterConfigChange = fingerprint(repository);
    Files.createDirectories(version.resolve("variables"));
    String afterNewDirectory = fingerprint(repository);

    assertThat(List.of(initial, afterFileChange, afterConfigChange, afterNewDirectory))
        .doesNotHaveDuplicates();
  }

  @Test
  void scan_missingRepository_throwsUnchecked() {
    ModelRepository repository = new ModelRepository(root.resolve("absent"));

    assertThatThrownBy(repository::scan)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("absent");
  }

  private Path version(String model, String label) throws IOException {
    Path dir = Files.createDirectories(root.resolve(model).resolve(label));
    Files.writeString(dir.resolve("saved_model.pb"), "pb");
    return dir;
  }

  private void config(String model, String json) throws IOException {
    Files.writeString(root.resolve(model).resolve("config.json"), json, StandardCharsets.UTF_8);
  }

  private static String fingerprint(ModelRepository repository) {
    return repository.scan().get(0).versions().get(1L).fingerprint();
  }
}
