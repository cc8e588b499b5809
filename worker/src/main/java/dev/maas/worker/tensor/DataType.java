package dev.maas.worker.tensor;

import java.util.Optional;

/** A tensor element type of the Open Inference Protocol that the worker serves. */
public enum DataType {
  BOOL(1),
  UINT8(1),
  INT8(1),
  INT16(2),
  INT32(4),
  INT64(8),
  FP32(4),
  FP64(8),
  /** Variable-length byte strings; raw encoding is a 4-byte little-endian length, then bytes. */
  BYTES(-1);

  private final int byteSize;

  DataType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element, or -1 for {@link #BYTES}. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether every element has the same size in bytes. */
  public boolean isFixedSize() {
    return byteSize > 0;
  }

  /** The protocol's name of this type, such as {@code FP32}. */
  public String protocolName() {
    return name();
  }

  /** The type with this protocol name, if the worker serves it. */
  public static Optional<DataType> fromProtocolName(String name) {
    for (DataType type : values()) {
      if (type.name().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
