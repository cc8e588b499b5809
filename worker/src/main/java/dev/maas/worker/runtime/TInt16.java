package dev.maas.worker.runtime;

import org.tensorflow.ndarray.ShortNdArray;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.annotation.TensorType;
import org.tensorflow.types.family.TIntegral;

/**
 * A dense TensorFlow tensor of signed 16-bit integers ({@code DT_INT16}), a type TensorFlow Java
 * 1.1 does not define.
 *
 * <p>TensorFlow Java knows this type only after {@link NarrowIntegerTypes#register()}.
 */
@TensorType(
    dataType = DataType.DT_INT16,
    byteSize = 2,
    mapperClass = NarrowIntegerTypes.Int16Mapper.class)
public interface TInt16 extends ShortNdArray, TIntegral {}
