package dev.maas.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterTokenTest {

  private final ClusterToken token = ClusterToken.of("s3cret-tøken");

  @Test
  void matches_onlyTheSameText() {
    assertThat(token.matches("s3cret-tøken")).isTrue();
    assertThat(token.matches("s3cret-tøke")).isFalse();
    assertThat(token.matches("s3cret-tøkenn")).isFalse();
    assertThat(token.matches("s3cret-token")).isFalse();
    assertThat(token.matches("S3cret-tøken")).isFalse();
    assertThat(token.matches("")).isFalse();
  }

  @Test
  void blankToken_isRefused_andTheTokenNeverPrints() {
    assertThatThrownBy(() -> ClusterToken.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(token.toString()).doesNotContain("s3cret");
  }
}
