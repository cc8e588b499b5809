package dev.maas.gateway.forwarding;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteMarshallerTest {

  private static final byte[] MESSAGE =
      new Random(7)
          .ints(40_000, 0, 256)
          .collect(
              java.io.ByteArrayOutputStream::new,
              java.io.ByteArrayOutputStream::write,
              (a, b) -> a.write(b.toByteArray(), 0, b.size()))
          .toByteArray();

  @Test
  void aStreamOfKnownLengthIsReadWhole() {
    assertThat(ByteMarshaller.INSTANCE.parse(new Known(MESSAGE, MESSAGE.length)))
        .isEqualTo(MESSAGE);
  }

  @Test
  void aStreamThatAnnouncesLessThanItHoldsIsStillReadWhole() {
    assertThat(ByteMarshaller.INSTANCE.parse(new Known(MESSAGE, 100))).isEqualTo(MESSAGE);
  }

  @Test
  void aStreamOfUnknownLengthIsReadWhole() {
    assertThat(
            ByteMarshaller.INSTANCE.parse(
                new ByteArrayInputStream(MESSAGE) {
                  @Override
                  public synchronized int available() {
                    return 0;
                  }
                }))
        .isEqualTo(MESSAGE);
  }

  @Test
  void whatItStreamsParsesBackToTheSameBytes() throws Exception {
    try (InputStream stream = ByteMarshaller.INSTANCE.stream(MESSAGE)) {
      assertThat(ByteMarshaller.INSTANCE.parse(stream)).isEqualTo(MESSAGE);
    }
  }

  /** A stream that tells gRPC-style {@link KnownLength}, announcing {@code announced} bytes. */
  private static final class Known extends ByteArrayInputStream implements KnownLength {
    private final int announced;
    private boolean asked;

    Known(byte[] bytes, int announced) {
      super(bytes);
      this.announced = announced;
    }

    @Override
    public synchronized int available() {
      if (!asked) {
        asked = true;
        return announced;
      }
      return super.available();
    }
  }
}
