package dev.maas.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplicaShareTest {

  @Test
  void ratesAreDivided_countsRoundedUp_neverBelowOne() {
    ReplicaShare three = new ReplicaShare(3);
    assertThat(three.rate(90)).isEqualTo(30);
    assertThat(three.count(10)).isEqualTo(4);
    assertThat(three.count(1)).isEqualTo(1);
  }

  @Test
  void noLimit_staysNoLimit() {
    assertThat(new ReplicaShare(4).rate(0)).isZero();
    assertThat(new ReplicaShare(4).count(0)).isZero();
  }

  @Test
  void fewerThanOneReplica_isRefused() {
    assertThatThrownBy(() -> new ReplicaShare(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
