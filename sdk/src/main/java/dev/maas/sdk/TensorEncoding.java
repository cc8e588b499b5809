package dev.maas.sdk;

/** How input tensors travel on the wire; the server answers in the same encoding. */
public enum TensorEncoding {
  /** {@code raw_input_contents}: row-major little-endian bytes, the compact default. */
  RAW,
  /** Typed {@code contents} fields ({@code fp32_contents}, ...); not possible for FP16 or BF16. */
  TYPED
}
