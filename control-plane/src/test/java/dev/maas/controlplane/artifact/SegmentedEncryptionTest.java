package dev.maas.controlplane.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The segmented AES-GCM format round-trips, and every change to a file is caught on reading. */
class SegmentedEncryptionTest {

  private static final int SEGMENT = 64;
  private static final int SEALED_SEGMENT = 12 + SEGMENT + 16;
  private static final byte[] CONTEXT = "acme/abc".getBytes(StandardCharsets.UTF_8);

  private final SecretKey key = key(1);

  private static SecretKey key(int seed) {
    byte[] bytes = new byte[32];
    new Random(seed).nextBytes(bytes);
    return new SecretKeySpec(bytes, "AES");
  }

  private static byte[] plaintext(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  private byte[] encrypt(byte[] plaintext) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EncryptingOutputStream encrypting =
        new EncryptingOutputStream(out, key, CONTEXT, SEGMENT)) {
      // Odd write sizes cross segment boundaries.
      for (int offset = 0; offset < plaintext.length; offset += 7) {
        encrypting.write(plaintext, offset, Math.min(7, plaintext.length - offset));
      }
    }
    return out.toByteArray();
  }

  private static byte[] decrypt(byte[] file, SecretKey key, byte[] context) throws IOException {
    try (InputStream in = new DecryptingInputStream(new ByteArrayInputStream(file), key, context)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT, 1000})
  void roundTrips(int length) throws IOException {
    byte[] plaintext = plaintext(length);

    byte[] file = encrypt(plaintext);

    assertThat(decrypt(file, key, CONTEXT)).isEqualTo(plaintext);
    // Header, full segments, and a last segment that is always short (possibly empty).
    assertThat(file).hasSize(12 + (length / SEGMENT) * SEALED_SEGMENT + 28 + length % SEGMENT);
  }

  @Test
  void sameInput_encryptsDifferentlyEachTime() throws IOException {
    byte[] plaintext = plaintext(100);

    assertThat(encrypt(plaintext)).isNotEqualTo(encrypt(plaintext));
  }

  @Test
  void truncationAtASegmentBoundary_isCaught() throws IOException {
    byte[] file = encrypt(plaintext(3 * SEGMENT + 5));

    byte[] twoSegments = Arrays.copyOf(file, 12 + 2 * SEALED_SEGMENT);

    assertThatThrownBy(() -> decrypt(twoSegments, key, CONTEXT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void droppingTheShortLastSegment_orCuttingIntoOne_isCaught() throws IOException {
    byte[] file = encrypt(plaintext(2 * SEGMENT + 5));

    assertThatThrownBy(() -> decrypt(Arrays.copyOf(file, file.length - 1), key, CONTEXT))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> decrypt(Arrays.copyOf(file, 12 + SEALED_SEGMENT + 40), key, CONTEXT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void reorderedSegments_areCaught() throws IOException {
    byte[] file = encrypt(plaintext(3 * SEGMENT));
    byte[] swapped = file.clone();
    System.arraycopy(file, 12, swapped, 12 + SEALED_SEGMENT, SEALED_SEGMENT);
    System.arraycopy(file, 12 + SEALED_SEGMENT, swapped, 12, SEALED_SEGMENT);

    assertThatThrownBy(() -> decrypt(swapped, key, CONTEXT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void appendedBytes_areCaught() throws IOException {
    byte[] file = encrypt(plaintext(SEGMENT + 3));
    byte[] longer = Arrays.copyOf(file, file.length + 1);

    assertThatThrownBy(() -> decrypt(longer, key, CONTEXT)).isInstanceOf(IOException.class);
  }

  @Test
  void anotherKey_orAnotherArtifactsContext_isCaught() throws IOException {
    byte[] file = encrypt(plaintext(10));

    assertThatThrownBy(() -> decrypt(file, key(2), CONTEXT))
        .hasMessageContaining("failed authentication");
    assertThatThrownBy(() -> decrypt(file, key, "globex/abc".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("failed authentication");
  }

  @Test
  void fileWithoutTheHeader_isRefused() {
    assertThatThrownBy(
            () -> decrypt("plain tar bytes".getBytes(StandardCharsets.UTF_8), key, CONTEXT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an encrypted maas artifact");
  }
}
