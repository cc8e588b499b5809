package dev.maas.gateway.forwarding;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Passes messages through as the bytes they are on the wire, so the gateway never decodes or
 * re-encodes a tensor payload.
 */
public enum ByteMarshaller implements MethodDescriptor.Marshaller<byte[]> {
  INSTANCE;

  @Override
  public InputStream stream(byte[] value) {
    return new KnownLengthStream(value);
  }

  /**
   * The message's bytes. gRPC hands over a stream that knows its length: the array is then
   * allocated once at its final size and filled in one copy, where {@code readAllBytes} would grow
   * and copy buffers for every message above 8 KiB.
   */
  @Override
  public byte[] parse(InputStream stream) {
    try {
      if (stream instanceof KnownLength) {
        byte[] message = stream.readNBytes(stream.available());
        int next = stream.read();
        if (next == -1) {
          return message;
        }
        // More than announced: keep what was read and take the rest.
        ByteArrayOutputStream whole = new ByteArrayOutputStream(message.length * 2 + 1);
        whole.write(message);
        whole.write(next);
        stream.transferTo(whole);
        return whole.toByteArray();
      }
      return stream.readAllBytes();
    } catch (IOException e) {
      throw Status.INTERNAL
          .withDescription("reading a message failed")
          .withCause(e)
          .asRuntimeException();
    }
  }

  /** Tells gRPC the length up front and writes the array in one go when drained. */
  private static final class KnownLengthStream extends ByteArrayInputStream
      implements KnownLength, Drainable {
    KnownLengthStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized int drainTo(OutputStream target) throws IOException {
      int length = count - pos;
      target.write(buf, pos, length);
      pos = count;
      return length;
    }
  }
}
