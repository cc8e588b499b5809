package dev.maas.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.TlsServerCredentials;
import io.grpc.testing.TlsTesting;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

  @TempDir Path dir;

  @Test
  void aTlsClientTrustingTheServersAuthorityConnects() throws Exception {
    Path ca = dir.resolve("ca.pem");
    try (InputStream in = TlsTesting.loadCert("ca.pem")) {
      Files.copy(in, ca);
    }
    try (ScriptedInferenceServer server = tlsServer();
        MaasClient client =
            MaasClient.builder()
                .target(server.target())
                .trustCertificates(ca)
                .overrideAuthority("foo.test.google.fr")
                .build()) {
      assertThat(client.isServerLive()).isTrue();
    }
  }

  @Test
  void aPlaintextClientCannotTalkToATlsServer() throws Exception {
    try (ScriptedInferenceServer server = tlsServer();
        MaasClient client =
            MaasClient.builder()
                .target(server.target())
                .retryPolicy(RetryPolicy.none())
                .timeout(java.time.Duration.ofSeconds(20))
                .build()) {
      assertThatThrownBy(client::isServerLive).isInstanceOf(UnavailableException.class);
    }
  }

  private static ScriptedInferenceServer tlsServer() throws Exception {
    try (InputStream chain = TlsTesting.loadCert("server1.pem");
        InputStream key = TlsTesting.loadCert("server1.key")) {
      return new ScriptedInferenceServer(TlsServerCredentials.create(chain, key));
    }
  }
}
