package dev.maas.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.gateway.snapshot.KeyEntry;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.TenantEntry;
import dev.maas.gateway.snapshot.TenantQuota;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
