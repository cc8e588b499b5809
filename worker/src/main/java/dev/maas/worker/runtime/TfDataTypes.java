package dev.maas.worker.runtime;

import dev.maas.worker.tensor.DataType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.types.family.TType;

/** The one mapping between the protocol's element types and TensorFlow's. */
final class TfDataTypes {

  /**
   * The tensor class TF Java registered for each type; looked up rather than named so that a TF
   * Java that defines its own INT8/INT16 classes (see {@link NarrowIntegerTypes}) is used as is.
   */
  private static final Map<DataType, Class<? extends TType>> TENSOR_CLASSES = tensorClasses();

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

  /** The TensorFlow dtype of a protocol type. */
  static org.tensorflow.proto.DataType toTf(DataType type) {
    return switch (type) {
      case FP32 -> org.tensorflow.proto.DataType.DT_FLOAT;
      case FP64 -> org.tensorflow.proto.DataType.DT_DOUBLE;
      case INT8 -> org.tensorflow.proto.DataType.DT_INT8;
      case INT16 -> org.tensorflow.proto.DataType.DT_INT16;
      case INT32 -> org.tensorflow.proto.DataType.DT_INT32;
      case INT64 -> org.tensorflow.proto.DataType.DT_INT64;
      case UINT8 -> org.tensorflow.proto.DataType.DT_UINT8;
      case BOOL -> org.tensorflow.proto.DataType.DT_BOOL;
      case BYTES -> org.tensorflow.proto.DataType.DT_STRING;
    };
  }

  /** The TensorFlow Java tensor class holding elements of this type. */
  static Class<? extends TType> tensorClass(DataType type) {
    return TENSOR_CLASSES.get(type);
  }

  private static Map<DataType, Class<? extends TType>> tensorClasses() {
    NarrowIntegerTypes.register();
    Map<DataType, Class<? extends TType>> classes = new EnumMap<>(DataType.class);
    for (DataType type : DataType.values()) {
      classes.put(type, TensorTypeRegistry.find(toTf(type)).type());
    }
    return classes;
  }
}
