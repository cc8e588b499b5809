package dev.maas.worker.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class VersionPolicyTest {

  private static final NavigableSet<Long> PRESENT = new TreeSet<>(List.of(1L, 2L, 5L, 9L));

  @Test
  void latest_selectsTheHighestVersions() {
    assertThat(new VersionPolicy.Latest(1).select(PRESENT)).containsExactly(9L);
    assertThat(new VersionPolicy.Latest(2).select(PRESENT)).containsExactly(5L, 9L);
    assertThat(new VersionPolicy.Latest(10).select(PRESENT)).containsExactly(1L, 2L, 5L, 9L);
  }

  @Test
  void latest_ofNoVersions_isRejected() {
    assertThatThrownBy(() -> new VersionPolicy.Latest(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("num_versions");
  }

  @Test
  void all_selectsEveryVersion() {
    assertThat(new VersionPolicy.All().select(PRESENT)).containsExactly(1L, 2L, 5L, 9L);
  }

  @Test
  void specific_selectsTheListedVersionsThatArePresent() {
    assertThat(new VersionPolicy.Specific(List.of(9L, 3L, 1L)).select(PRESENT))
        .containsExactly(1L, 9L);
  }

  @Test
  void specific_withoutVersions_isRejected() {
    assertThatThrownBy(() -> new VersionPolicy.Specific(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void policies_selectNothingFromAnEmptyDirectory() {
    NavigableSet<Long> none = new TreeSet<>();

    assertThat(new VersionPolicy.Latest(1).select(none)).isEmpty();
    assertThat(new VersionPolicy.All().select(none)).isEmpty();
    assertThat(new VersionPolicy.Specific(List.of(1L)).select(none)).isEmpty();
  }
}
