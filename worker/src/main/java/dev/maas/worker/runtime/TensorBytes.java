package dev.maas.worker.runtime;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.tensor.Shapes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.RawTensor;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.types.TString;

/**
 * Copies tensors between the protocol's raw encoding and TensorFlow's native tensor memory, one
 * bulk copy each way for fixed-size types.
 *
 * <p>Byte order: TensorFlow keeps elements in the host's native order and the protocol is
 * little-endian, so bytes are copied as they are; {@link #requireLittleEndianHost()} guards that
 * assumption (true of x86-64 and aarch64).
 *
 * <p>Inputs: {@link UnsafeByteOperations#unsafeWriteTo} hands over each backing array of the
 * (possibly concatenated) {@link ByteString} without copying, and TF Java's raw buffer {@code
 * write(byte[], int, int)} copies it into tensor memory with {@code Unsafe.copyMemory}. Outputs:
 * the raw buffer's {@code read(byte[])} copies tensor memory into a new array, wrapped without a
 * further copy. (Going through {@code DataBuffers.of(ByteBuffer)} instead copies byte by byte: TF
 * Java has no bulk path between NIO and raw buffers.)
 */
final class TensorBytes {

  /** The largest Java array; a bigger output cannot be returned as one ByteString. */
  private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  private TensorBytes() {}

  /** Fails unless this host stores numbers little-endian, as the protocol encodes them. */
  static void requireLittleEndianHost() throws ModelLoadException {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new ModelLoadException("the worker needs a little-endian host, this one is big-endian");
    }
  }

  /**
   * A new TensorFlow tensor holding this input; the caller owns (closes) it.
   *
   * @throws ModelExecutionException (invalid input) when the bytes do not fit the type and shape
   */
  static Tensor toTensor(HostTensor input) {
    long[] dims = input.shape();
    for (long dim : dims) {
      if (dim < 0) {
        throw ModelExecutionException.invalidInput(
            "input " + input.name() + " has a negative dimension: " + Shapes.toString(dims));
      }
    }
    Shape shape = Shape.of(dims);
    if (input.dataType() == DataType.BYTES) {
      return StringTensors.toTensor(input.name(), shape, input.data());
    }
    long expected = Math.multiplyExact(shape.size(), input.dataType().byteSize());
    if (input.data().size() != expected) {
      throw ModelExecutionException.invalidInput(
          String.format(
              "input %s: %s%s needs %d bytes, got %d",
              input.name(),
              input.dataType(),
              Shapes.toString(dims),
              expected,
              input.data().size()));
    }
    Tensor tensor = Tensor.of(TfDataTypes.tensorClass(input.dataType()), shape);
    try {
      if (expected > 0) {
        copy(input.data(), tensor.asRawTensor().data());
      }
      return tensor;
    } catch (RuntimeException e) {
      tensor.close();
      throw e;
    }
  }

  private static void copy(ByteString data, ByteDataBuffer tensorMemory) {
    try {
      UnsafeByteOperations.unsafeWriteTo(data, new TensorMemoryWriter(tensorMemory));
    } catch (IOException e) {
      throw new UncheckedIOException("unreachable: TensorMemoryWriter throws no IOException", e);
    }
  }

  /**
   * The protocol encoding of a tensor TensorFlow returned; the caller still owns (closes) it.
   *
   * @throws ModelExecutionException when the tensor has a type the worker does not serve or is too
   *     large for one array
   */
  static HostTensor toHost(String name, Tensor tensor) {
    DataType type =
        TfDataTypes.fromTf(tensor.dataType())
            .orElseThrow(
                () ->
                    new ModelExecutionException(
                        "output " + name + " has unsupported type " + tensor.dataType(),
                        false,
                        null));
    long[] shape = tensor.shape().asArray();
    if (type == DataType.BYTES) {
      return new HostTensor(name, type, shape, StringTensors.toBytes(name, (TString) tensor));
    }
    RawTensor raw = tensor.asRawTensor();
    long size = raw.numBytes();
    if (size > MAX_ARRAY_BYTES) {
      throw new ModelExecutionException(
          "output " + name + " has " + size + " bytes, more than one message can carry",
          false,
          null);
    }
    byte[] bytes = new byte[(int) size];
    if (size > 0) {
      raw.data().read(bytes);
    }
    // The array is never written again, so sharing it with the ByteString is safe.
    return new HostTensor(name, type, shape, UnsafeByteOperations.unsafeWrap(bytes));
  }

  /** Receives a ByteString's backing arrays in order and copies each into tensor memory. */
  private static final class TensorMemoryWriter extends ByteOutput {
    private static final int CHUNK = 64 * 1024;
    private final ByteDataBuffer memory;
    private long position;

    TensorMemoryWriter(ByteDataBuffer memory) {
      this.memory = memory;
    }

    @Override
    public void write(byte value) {
      memory.setByte(value, position++);
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      if (length > 0) {
        memory.offset(position).write(value, offset, length);
        position += length;
      }
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      write(value, offset, length);
    }

    @Override
    public void write(ByteBuffer value) {
      if (value.hasArray()) {
        write(value.array(), value.arrayOffset() + value.position(), value.remaining());
        return;
      }
      // A direct or read-only buffer has no array to hand over: copy it through a small one.
      ByteBuffer source = value.duplicate();
      byte[] chunk = new byte[Math.min(CHUNK, source.remaining())];
      while (source.hasRemaining()) {
        int length = Math.min(chunk.length, source.remaining());
        source.get(chunk, 0, length);
        write(chunk, 0, length);
      }
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      write(value);
    }
  }
}
