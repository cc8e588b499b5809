package dev.maas.worker.runtime;

import dev.maas.worker.tensor.DataType;
import java.util.Optional;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/** The one mapping between the protocol's element types and TensorFlow's. */
final class TfDataTypes {

  private TfDataTypes() {}

  /** The protocol type of a TensorFlow dtype, or empty when the worker does not serve it. */
  static Optional<DataType> fromTf(org.tensorflow.proto.DataType tfType) {
    return Optional.ofNullable(
        switch (tfType) {
          case DT_FLOAT -> DataType.FP32;
          case DT_DOUBLE -> DataType.FP64;
          case DT_INT8 -> DataType.INT8;
          case DT_INT16 -> DataType.INT16;
          case DT_INT32 -> DataType.INT32;
          case DT_INT64 -> DataType.INT64;
          case DT_UINT8 -> DataType.UINT8;
          case DT_BOOL -> DataType.BOOL;
          case DT_STRING -> DataType.BYTES;
          default -> null;
        });
  }

  /** The TensorFlow Java tensor class holding elements of this type. */
  static Class<? extends TType> tensorClass(DataType type) {
    return switch (type) {
      case FP32 -> TFloat32.class;
      case FP64 -> TFloat64.class;
      case INT8 -> TInt8.class;
      case INT16 -> TInt16.class;
      case INT32 -> TInt32.class;
      case INT64 -> TInt64.class;
      case UINT8 -> TUint8.class;
      case BOOL -> TBool.class;
      case BYTES -> TString.class;
    };
  }
}
