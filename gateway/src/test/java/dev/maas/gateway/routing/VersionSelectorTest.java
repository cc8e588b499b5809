package dev.maas.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.gateway.snapshot.ModelRoute;
import dev.maas.gateway.snapshot.VersionRoute;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VersionSelectorTest {

  private final VersionSelector selector = new VersionSelector();

  private static VersionRoute serving(long version) {
    return new VersionRoute(version, "v" + version, List.of("w:1"));
  }

  private static VersionRoute idle(long version) {
    return new VersionRoute(version, "v" + version, List.of());
  }

  private static ModelRoute model(
      long defaultVersion, Map<Long, Integer> split, VersionRoute... versions) {
    TreeMap<Long, VersionRoute> byNumber = new TreeMap<>();
    for (VersionRoute version : versions) {
      byNumber.put(version.version(), version);
    }
    return new ModelRoute("t", "m", defaultVersion, split, 0, byNumber);
  }

  @Test
  void split_90_10_over_100000_draws_isWithinHalfAPercent() {
    ModelRoute model = model(1, Map.of(1L, 90, 2L, 10), serving(1), serving(2));
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      counts.merge(selector.select(model).version(), 1, Integer::sum);
    }
    assertThat(counts.get(2L)).isBetween(9_500, 10_500);
  }

  @Test
  void splitVersionWithoutReplica_givesItsShareToTheOthers() {
    ModelRoute model = model(1, Map.of(1L, 50, 2L, 50), serving(1), idle(2));
    for (int i = 0; i < 100; i++) {
      assertThat(selector.select(model).version()).isEqualTo(1);
    }
  }

  @Test
  void noSplit_choosesTheDefault() {
    assertThat(selector.select(model(2, Map.of(), serving(1), serving(2))).version()).isEqualTo(2);
  }

  @Test
  void defaultWithoutReplica_fallsBackToTheServingVersion() {
    // A default switch from 1 to 2 while 2 loads, or after 2 failed to load: 1 still serves.
    for (int i = 0; i < 100; i++) {
      assertThat(selector.select(model(2, Map.of(), serving(1), idle(2))).version()).isEqualTo(1);
    }
  }

  @Test
  void defaultWithoutReplica_fallsBackToTheNewestServingVersion() {
    ModelRoute model = model(4, Map.of(), serving(1), serving(2), idle(3), idle(4));
    assertThat(selector.select(model).version()).isEqualTo(2);
  }

  @Test
  void splitAndDefaultWithoutReplica_fallBackToAServingVersion() {
    ModelRoute model = model(2, Map.of(2L, 50, 3L, 50), serving(1), idle(2), idle(3));
    assertThat(selector.select(model).version()).isEqualTo(1);
  }

  @Test
  void noVersionServing_isNoServingReplica() {
    assertThatThrownBy(() -> selector.select(model(2, Map.of(), idle(1), idle(2))))
        .isInstanceOf(NoServingReplicaException.class)
        .hasMessage("model m has no serving replica");
  }
}
