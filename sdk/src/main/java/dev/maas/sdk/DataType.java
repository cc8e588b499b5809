package dev.maas.sdk;

import java.util.Locale;

/** A tensor element type of the Open Inference Protocol, as named on the wire ({@code FP32}). */
public enum DataType {
  /** Booleans, one byte each (0 or 1) in the raw encoding. */
  BOOL(1),
  /** Unsigned 8-bit integers. */
  UINT8(1),
  /** Unsigned 16-bit integers. */
  UINT16(2),
  /** Unsigned 32-bit integers. */
  UINT32(4),
  /** Unsigned 64-bit integers. */
  UINT64(8),
  /** Signed 8-bit integers. */
  INT8(1),
  /** Signed 16-bit integers. */
  INT16(2),
  /** Signed 32-bit integers. */
  INT32(4),
  /** Signed 64-bit integers. */
  INT64(8),
  /** IEEE half-precision floats (raw encoding only). */
  FP16(2),
  /** bfloat16 floats (raw encoding only). */
  BF16(2),
  /** IEEE single-precision floats. */
  FP32(4),
  /** IEEE double-precision floats. */
  FP64(8),
  /** Variable-length byte strings; raw encoding is a 4-byte little-endian length, then bytes. */
  BYTES(-1);

  private final int byteSize;

  DataType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element in the raw encoding, or -1 for {@link #BYTES}. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether the type holds integers (signed or unsigned). */
  public boolean isInteger() {
    return switch (this) {
      case UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64 -> true;
      default -> false;
    };
  }

  /** Whether the type holds numbers: integers or floats. */
  public boolean isNumeric() {
    return this != BOOL && this != BYTES;
  }

  /**
   * The type with this wire name (case-insensitive).
   *
   * @throws IllegalArgumentException for a name the protocol does not define
   */
  public static DataType of(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown datatype '" + name + "'", e);
    }
  }
}
