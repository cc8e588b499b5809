package dev.maas.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.gateway.snapshot.KeyEntry;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.TenantEntry;
import dev.maas.gateway.snapshot.TenantQuota;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyVerifierTest {

  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  private final ApiKeyVerifier verifier = new ApiKeyVerifier(Clock.fixed(NOW, ZoneOffset.UTC));
  private final RoutingTable table =
      new RoutingTable(
          1,
          NOW,
          List.of(
              new KeyEntry("abc", ApiKeyVerifier.sha256("se_cr-et"), "t", true, NOW.plusSeconds(1)),
              new KeyEntry("old", ApiKeyVerifier.sha256("x"), "t", true, NOW)),
          List.of(new TenantEntry("t", true, TenantQuota.unlimited())),
          List.of());

  @Test
  void secretWithUnderscores_isVerified() {
    assertThat(verifier.verify("mk_abc_se_cr-et", table)).isEqualTo(new Principal("t", "abc"));
  }

  @Test
  void keyExpiringNow_isExpired() {
    assertThatThrownBy(() -> verifier.verify("mk_old_x", table))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("API key has expired");
  }

  @Test
  void emptyOrMalformedKeys_areRefused() {
    assertThatThrownBy(() -> verifier.verify(null, table))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> verifier.verify("mk_abc", table))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("malformed API key");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc_se_cr-et",
        "mk_",
        "mk__x",
        "mk_abc_",
        "mk_a-c_x",
        "mk_abc_se cret",
        "mk_abc_se+cret",
        "MK_abc_x",
        " mk_abc_x"
      })
  void keysNotOfTheForm_mkIdSecret_areMalformed(String presented) {
    assertThatThrownBy(() -> verifier.verify(presented, table))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("malformed API key");
  }

  @Test
  void keyIdsAndSecretsPastTheirLimits_areMalformed() {
    assertThatThrownBy(() -> verifier.verify("mk_" + "a".repeat(65) + "_x", table))
        .hasMessage("malformed API key");
    assertThatThrownBy(() -> verifier.verify("mk_abc_" + "s".repeat(257), table))
        .hasMessage("malformed API key");
    assertThatThrownBy(() -> verifier.verify("mk_" + "a".repeat(64) + "_" + "s".repeat(256), table))
        .hasMessage("invalid API key");
  }

  @Test
  void wrongSecret_ofARecentlyVerifiedKey_isRefused() {
    verifier.verify("mk_abc_se_cr-et", table);

    for (String wrong : List.of("mk_abc_se_cr-eu", "mk_abc_se_cr-e", "mk_abc_se_cr-ett")) {
      assertThatThrownBy(() -> verifier.verify(wrong, table))
          .isInstanceOf(AuthenticationException.class)
          .hasMessage("invalid API key");
    }
    assertThat(verifier.verify("mk_abc_se_cr-et", table)).isEqualTo(new Principal("t", "abc"));
  }

  @Test
  void recentlyVerifiedKey_isRefusedOnceANewSnapshotRevokesOrRotatesIt() {
    verifier.verify("mk_abc_se_cr-et", table);
    RoutingTable revoked =
        new RoutingTable(
            2,
            NOW,
            List.of(),
            List.of(new TenantEntry("t", true, TenantQuota.unlimited())),
            List.of());
    RoutingTable rotated =
        new RoutingTable(
            3,
            NOW,
            List.of(new KeyEntry("abc", ApiKeyVerifier.sha256("new"), "t", true, null)),
            List.of(new TenantEntry("t", true, TenantQuota.unlimited())),
            List.of());

    assertThatThrownBy(() -> verifier.verify("mk_abc_se_cr-et", revoked))
        .hasMessage("invalid API key");
    assertThatThrownBy(() -> verifier.verify("mk_abc_se_cr-et", rotated))
        .hasMessage("invalid API key");
    assertThat(verifier.verify("mk_abc_new", rotated)).isEqualTo(new Principal("t", "abc"));
  }

  @Test
  void recentlyVerifiedKey_isRefusedOnceItExpires() {
    MovableClock clock = new MovableClock(NOW);
    ApiKeyVerifier remembering = new ApiKeyVerifier(clock);
    remembering.verify("mk_abc_se_cr-et", table);

    clock.now = NOW.plusSeconds(1);

    assertThatThrownBy(() -> remembering.verify("mk_abc_se_cr-et", table))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("API key has expired");
  }

  @Test
  void recentlyVerifiedKey_isRefusedOnceItsTenantIsSuspended() {
    verifier.verify("mk_abc_se_cr-et", table);
    RoutingTable suspended =
        new RoutingTable(
            2,
            NOW,
            List.of(
                new KeyEntry(
                    "abc", ApiKeyVerifier.sha256("se_cr-et"), "t", true, NOW.plusSeconds(1))),
            List.of(new TenantEntry("t", false, TenantQuota.unlimited())),
            List.of());

    assertThatThrownBy(() -> verifier.verify("mk_abc_se_cr-et", suspended))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessage("tenant is suspended");
  }

  /** A clock a test moves by hand. */
  private static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
