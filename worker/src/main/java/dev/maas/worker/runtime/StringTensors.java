package dev.maas.worker.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TString;

/**
 * Converts {@code BYTES} tensors between the protocol encoding (per element a 4-byte little-endian
 * length, then the bytes) and TensorFlow string tensors.
 *
 * <p>Each element is copied twice each way (through its own {@code byte[]}): TensorFlow stores
 * strings as separately allocated {@code TF_TString}s that TF Java fills only from arrays.
 */
final class StringTensors {

  private StringTensors() {}

  /**
   * A new string tensor of this shape holding the encoded elements; the caller owns (closes) it.
   *
   * @throws ModelExecutionException (invalid input) when the bytes do not hold exactly one element
   *     per position of the shape
   */
  static TString toTensor(String name, Shape shape, ByteString data) {
    long count = shape.size();
    // Every element takes at least its 4-byte length, which bounds count by data.size() / 4.
    if (count > data.size() / 4) {
      throw ModelExecutionException.invalidInput(
          "input " + name + ": " + data.size() + " bytes cannot hold " + count + " BYTES elements");
    }
    byte[][] elements = new byte[(int) count][];
    CodedInputStream in = data.newCodedInput();
    try {
      for (int i = 0; i < elements.length; i++) {
        int length = in.readRawLittleEndian32();
        long remaining = data.size() - (long) in.getTotalBytesRead();
        if (length < 0 || length > remaining) {
          throw ModelExecutionException.invalidInput(
              String.format(
                  "input %s: element %d claims %s bytes, %d remain",
                  name, i, Integer.toUnsignedString(length), remaining));
        }
        elements[i] = in.readRawBytes(length);
      }
      if (!in.isAtEnd()) {
        throw ModelExecutionException.invalidInput(
            "input " + name + ": bytes left over after " + count + " BYTES elements");
      }
    } catch (IOException e) {
      throw new ModelExecutionException(
          "input " + name + ": malformed BYTES elements: " + e.getMessage(), true, e);
    }
    return TString.tensorOfBytes(shape, DataBuffers.of(elements, true, false));
  }

  /** The protocol encoding of every element of a string tensor, in row-major order. */
  static ByteString toBytes(String name, TString tensor) {
    NdArray<byte[]> bytes = tensor.asBytes();
    byte[][] elements = new byte[Math.toIntExact(bytes.size())][];
    bytes.copyTo(DataBuffers.of(elements, false, false));
    long total = 4L * elements.length;
    for (byte[] element : elements) {
      total += element.length;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new ModelExecutionException(
          "output " + name + " has " + total + " bytes, more than one message can carry",
          false,
          null);
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] element : elements) {
      out.putInt(element.length).put(element);
    }
    // The array is never written again, so sharing it with the ByteString is safe.
    return UnsafeByteOperations.unsafeWrap(out.array());
  }
}
