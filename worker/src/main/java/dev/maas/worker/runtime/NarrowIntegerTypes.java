package dev.maas.worker.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.RawTensor;
import org.tensorflow.SparseTensor;
import org.tensorflow.TensorMapper;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.impl.dense.ByteDenseNdArray;
import org.tensorflow.ndarray.impl.dense.ShortDenseNdArray;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.annotation.TensorType;
import org.tensorflow.types.family.TType;

/**
 * Teaches TensorFlow Java 1.1 the tensor types {@code DT_INT8} ({@link TInt8}) and {@code DT_INT16}
 * ({@link TInt16}).
 *
 * <p>Why: TensorFlow itself runs INT8/INT16 graphs, but TF Java 1.1 ships no {@code TType} for
 * them, and its {@code TensorTypeRegistry} (a fixed list built in a static initializer) throws
 * "tensor type DT_INT8 is not registered" for any such model input or output, even when only raw
 * bytes are wanted. The registry's own {@code private static register(Class)} is what it calls for
 * its built-in types; we call it once, by reflection, for our two types, whose {@link TensorType}
 * annotations and mappers mirror TF Java's {@code TUint8} and {@code TUint16}. This needs the
 * TensorFlow jar on the class path (or its package opened to this module) and is skipped for a type
 * a later TF Java already registers.
 */
public final class NarrowIntegerTypes {

  private static final Logger LOG = LoggerFactory.getLogger(NarrowIntegerTypes.class);

  private NarrowIntegerTypes() {}

  /**
   * Registers both types with TensorFlow Java once per JVM; idempotent and thread-safe.
   *
   * <p>Call it before TensorFlow Java meets an INT8 or INT16 tensor: the registry is a plain {@code
   * HashMap}, so registration must happen-before its readers, which the class-initialisation lock
   * here guarantees for every thread that calls this method first.
   *
   * @throws IllegalStateException when this TensorFlow Java cannot be extended this way
   */
  public static void register() {
    if (Registration.FAILURE != null) {
      throw new IllegalStateException(Registration.FAILURE);
    }
  }

  /** Runs the registration exactly once, when first touched. */
  private static final class Registration {
    /** Null on success, else why the registration failed. */
    static final String FAILURE = registerAll();
  }

  private static String registerAll() {
    try {
      Method register = TensorTypeRegistry.class.getDeclaredMethod("register", Class.class);
      register.setAccessible(true);
      for (Class<? extends TType> type : List.of(TInt8.class, TInt16.class)) {
        DataType dataType = type.getAnnotation(TensorType.class).dataType();
        if (isRegistered(dataType)) {
          LOG.info("TensorFlow Java already knows {}; not registering {}", dataType, type);
        } else {
          register.invoke(null, type);
        }
      }
      return null;
    } catch (NoSuchMethodException
        | IllegalAccessException
        | InvocationTargetException
        | RuntimeException e) {
      return "cannot register INT8/INT16 tensor types with this TensorFlow Java: " + e;
    }
  }

  private static boolean isRegistered(DataType dataType) {
    try {
      TensorTypeRegistry.find(dataType);
      return true;
    } catch (IllegalArgumentException notRegistered) {
      return false;
    }
  }

  /** Maps {@code DT_INT8} tensor memory to a {@link TInt8}; instantiated by TF's registry. */
  public static final class Int8Mapper extends TensorMapper<TInt8> {
    @Override
    protected TInt8 mapDense(RawTensor tensor) {
      return new DenseInt8(tensor);
    }

    @Override
    protected SparseTensor<TInt8> mapSparse(
        TInt64 indices, TInt8 values, TInt64 denseShape, PointerScope tensorScope) {
      throw new UnsupportedOperationException("sparse INT8 tensors are not supported");
    }
  }

  /** Maps {@code DT_INT16} tensor memory to a {@link TInt16}; instantiated by TF's registry. */
  public static final class Int16Mapper extends TensorMapper<TInt16> {
    @Override
    protected TInt16 mapDense(RawTensor tensor) {
      return new DenseInt16(tensor);
    }

    @Override
    protected SparseTensor<TInt16> mapSparse(
        TInt64 indices, TInt16 values, TInt64 denseShape, PointerScope tensorScope) {
      throw new UnsupportedOperationException("sparse INT16 tensors are not supported");
    }
  }

  /** A view of the tensor's native memory (native byte order), owned by the raw tensor. */
  private static final class DenseInt8 extends ByteDenseNdArray implements TInt8 {
    private final RawTensor rawTensor;

    DenseInt8(RawTensor rawTensor) {
      super(rawTensor.data(), rawTensor.shape());
      this.rawTensor = rawTensor;
    }

    @Override
    public Class<TInt8> type() {
      return TInt8.class;
    }

    @Override
    public DataType dataType() {
      return rawTensor.dataType();
    }

    @Override
    public long numBytes() {
      return rawTensor.numBytes();
    }

    @Override
    public RawTensor asRawTensor() {
      return rawTensor;
    }

    @Override
    public void close() {
      rawTensor.close();
    }
  }

  /** A view of the tensor's native memory (native byte order), owned by the raw tensor. */
  private static final class DenseInt16 extends ShortDenseNdArray implements TInt16 {
    private final RawTensor rawTensor;

    DenseInt16(RawTensor rawTensor) {
      super(rawTensor.data().asShorts(), rawTensor.shape());
      this.rawTensor = rawTensor;
    }

    @Override
    public Class<TInt16> type() {
      return TInt16.class;
    }

    @Override
    public DataType dataType() {
      return rawTensor.dataType();
    }

    @Override
    public long numBytes() {
      return rawTensor.numBytes();
    }

    @Override
    public RawTensor asRawTensor() {
      return rawTensor;
    }

    @Override
    public void close() {
      rawTensor.close();
    }
  }
}
