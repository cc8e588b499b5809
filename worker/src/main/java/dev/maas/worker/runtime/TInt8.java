package dev.maas.worker.runtime;

import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.annotation.TensorType;
import org.tensorflow.types.family.TIntegral;

/**
 * A dense TensorFlow tensor of signed 8-bit integers ({@code DT_INT8}), a type TensorFlow Java 1.1
 * does not define.
 *
 * <p>TensorFlow Java knows this type only after {@link NarrowIntegerTypes#register()}.
 */
@TensorType(
    dataType = DataType.DT_INT8,
    byteSize = 1,
    mapperClass = NarrowIntegerTypes.Int8Mapper.class)
public interface TInt8 extends ByteNdArray, TIntegral {}
