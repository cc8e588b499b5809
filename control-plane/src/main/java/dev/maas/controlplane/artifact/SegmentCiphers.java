package dev.maas.controlplane.artifact;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/** Makes the AES-GCM ciphers of the {@link SegmentFormat}. */
final class SegmentCiphers {

  private SegmentCiphers() {}

  static Cipher newCipher() {
    try {
      return Cipher.getInstance(SegmentFormat.TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks " + SegmentFormat.TRANSFORMATION, e);
    }
  }
}
