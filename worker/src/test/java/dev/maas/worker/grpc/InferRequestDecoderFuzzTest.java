package dev.maas.worker.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.maas.proto.inference.InferTensorContents;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferInputTensor;
import dev.maas.worker.batching.BatchingConfig;
import dev.maas.worker.tensor.DataType;
import dev.maas.worker.tensor.HostTensor;
import dev.maas.worker.tensor.ModelSignature;
import dev.maas.worker.tensor.Shapes;
import dev.maas.worker.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Fuzzes the worker's request validation and tensor decoding ({@link InferRequestDecoder}, {@link
 * TypedContents}) against the signatures of the demo models, with typed and raw contents of every
 * datatype. The invariant: a request either decodes into tensors that fit the signature, no larger
 * than what the request carried, or is refused with {@link InvalidInputException}; nothing else is
 * thrown. Corpus: {@code
 * src/test/resources/dev/maas/worker/grpc/InferRequestDecoderFuzzTestInputs}.
 */
class InferRequestDecoderFuzzTest {

  /** Bytes a decoded tensor may take per byte of the request: an INT64 of 1 varint byte is 8. */
  private static final int MAX_EXPANSION = 8;

  /** Elements of typed contents the structured target writes at most, to keep runs fast. */
  private static final int MAX_VALUES = 4096;

  private static final List<Served> MODELS =
      List.of(
          // lenet and binary_classifier as the demo repository batches them.
          new Served(
              signature(
                  List.of(spec("images", DataType.FP32, -1, 32, 32, 3)),
                  List.of(
                      spec("logits", DataType.FP32, -1, 10),
                      spec("probabilities", DataType.FP32, -1, 10))),
              batching(32)),
          new Served(
              signature(
                  List.of(spec("features", DataType.FP32, -1, 100)),
                  List.of(spec("probability", DataType.FP32, -1, 1))),
              batching(64)),
          new Served(
              signature(
                  List.of(spec("ids", DataType.INT64, -1, 3), spec("text", DataType.BYTES, -1)),
                  List.of(
                      spec("ids_sum", DataType.INT64, -1),
                      spec("text_length", DataType.INT32, -1),
                      spec("text_upper", DataType.BYTES, -1))),
              BatchingConfig.unbatched()),
          new Served(dtypesSignature(), batching(8)),
          new Served(dtypesSignature(), BatchingConfig.unbatched()),
          // Fixed dimensions only, and a scalar: no batching possible.
          new Served(
              signature(
                  List.of(spec("matrix", DataType.FP64, 2, 3), spec("scalar", DataType.INT32)),
                  List.of(spec("out", DataType.FP64, 2, 3))),
              BatchingConfig.unbatched()));

  @FuzzTest
  void decode_structuredRequest_decodesOrRefusesAsInvalidInput(FuzzedDataProvider data) {
    Served model = data.pickValue(MODELS);
    boolean raw = data.consumeBoolean();
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder();
    int inputs = data.consumeInt(0, model.signature().inputs().size() + 1);
    for (int i = 0; i < inputs; i++) {
      addInput(data, model, raw, request);
    }
    if (raw && data.consumeBoolean()) {
      request.addRawInputContents(ByteString.copyFrom(data.consumeBytes(16)));
    }
    int outputs = data.consumeInt(0, 3);
    for (int i = 0; i < outputs; i++) {
      String name =
          data.consumeBoolean()
              ? data.pickValue(model.signature().outputs()).name()
              : data.consumeString(8);
      request.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(name));
    }
    checkDecoding(request.build(), model);
  }

  @FuzzTest
  void decode_rawMessageBytes_decodesOrRefusesAsInvalidInput(byte[] bytes) {
    ModelInferRequest request;
    try {
      request = ModelInferRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return; // gRPC answers these itself, before the service sees a message
    }
    for (Served model : MODELS) {
      checkDecoding(request, model);
    }
  }

  private static void checkDecoding(ModelInferRequest request, Served model) {
    DecodedRequest decoded;
    try {
      decoded = InferRequestDecoder.decode(request, model.signature(), model.batching(), false);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertFitsSignature(request, model, decoded);
  }

  private static void assertFitsSignature(
      ModelInferRequest request, Served model, DecodedRequest decoded) {
    List<TensorSpec> specs = model.signature().inputs();
    assertThat(decoded.inputs()).hasSize(specs.size());
    assertThat(decoded.raw()).isEqualTo(request.getRawInputContentsCount() > 0);
    long decodedBytes = 0;
    for (int i = 0; i < specs.size(); i++) {
      TensorSpec spec = specs.get(i);
      HostTensor tensor = decoded.inputs().get(i);
      assertThat(tensor.name()).isEqualTo(spec.name());
      assertThat(tensor.dataType()).isEqualTo(spec.dataType());
      assertThat(tensor.rank()).isEqualTo(spec.rank());
      for (int d = 0; d < spec.rank(); d++) {
        assertThat(tensor.dim(d)).isGreaterThanOrEqualTo(0);
        if (spec.dim(d) >= 0) {
          assertThat(tensor.dim(d)).isEqualTo(spec.dim(d));
        }
      }
      long elements = Shapes.elementCount(tensor.shape());
      if (spec.dataType().isFixedSize()) {
        assertThat((long) tensor.data().size()).isEqualTo(elements * spec.dataType().byteSize());
      } else {
        assertThat(bytesElements(tensor.data())).isEqualTo(elements);
      }
      if (spec.dataType() == DataType.BOOL) {
        for (int b = 0; b < tensor.data().size(); b++) {
          assertThat(tensor.data().byteAt(b)).isBetween((byte) 0, (byte) 1);
        }
      }
      decodedBytes += tensor.data().size();
    }
    // A claimed shape never makes the decoder allocate more than the request carried.
    assertThat(decodedBytes)
        .isLessThanOrEqualTo((long) MAX_EXPANSION * request.getSerializedSize());
    if (model.batching().batching()) {
      assertThat(decoded.items()).isBetween(1, model.batching().maxBatchSize());
      decoded.inputs().forEach(t -> assertThat(t.dim(0)).isEqualTo(decoded.items()));
    } else {
      assertThat(decoded.items()).isEqualTo(1);
    }
    assertThat(decoded.outputs())
        .doesNotHaveDuplicates()
        .allSatisfy(o -> assertThat(o).isBetween(0, model.signature().outputs().size() - 1));
    assertThat(new HashSet<>(decoded.outputs()))
        .hasSize(
            request.getOutputsCount() == 0
                ? model.signature().outputs().size()
                : (int)
                    request.getOutputsList().stream()
                        .map(ModelInferRequest.InferRequestedOutputTensor::getName)
                        .distinct()
                        .count());
  }

  /** Elements of a raw BYTES tensor, each a 4-byte little-endian length and its bytes. */
  private static long bytesElements(ByteString data) {
    ByteBuffer in = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long count = 0;
    while (in.hasRemaining()) {
      int length = in.getInt();
      in.position(in.position() + length);
      count++;
    }
    return count;
  }

  private static void addInput(
      FuzzedDataProvider data, Served model, boolean raw, ModelInferRequest.Builder request) {
    TensorSpec spec = data.pickValue(model.signature().inputs());
    InferInputTensor.Builder input = InferInputTensor.newBuilder();
    input.setName(data.consumeInt(0, 7) == 0 ? data.consumeString(8) : spec.name());
    DataType type =
        data.consumeInt(0, 7) == 0 ? data.pickValue(DataType.values()) : spec.dataType();
    input.setDatatype(data.consumeInt(0, 15) == 0 ? data.consumeString(6) : type.protocolName());
    long[] shape = shape(data, spec, model.batching());
    for (long dim : shape) {
      input.addShape(dim);
    }
    long claimed = claimedElements(shape);
    int elements = (int) Math.min(MAX_VALUES, Math.max(0, claimed + data.consumeInt(-1, 1)));
    if (raw) {
      request.addRawInputContents(rawContents(data, type, elements));
      if (data.consumeInt(0, 15) == 0) {
        input.setContents(typedContents(data, type, 1));
      }
    } else {
      input.setContents(typedContents(data, type, elements));
    }
    request.addInputs(input);
  }

  /** The spec's shape with variable dimensions filled in, or now and then a wrong one. */
  private static long[] shape(FuzzedDataProvider data, TensorSpec spec, BatchingConfig batching) {
    int rank = data.consumeInt(0, 15) == 0 ? data.consumeInt(0, 6) : spec.rank();
    long[] shape = new long[rank];
    for (int d = 0; d < rank; d++) {
      long fitting =
          d < spec.rank() && spec.dim(d) >= 0
              ? spec.dim(d)
              : data.consumeLong(0, Math.max(2, batching.maxBatchSize() + 1));
      shape[d] =
          switch (data.consumeInt(0, 15)) {
            case 0 -> data.consumeLong();
            case 1 -> data.pickValue(new long[] {-1, 0, Integer.MAX_VALUE, Long.MAX_VALUE});
            case 2 -> fitting + 1;
            default -> fitting;
          };
    }
    return shape;
  }

  private static long claimedElements(long[] shape) {
    try {
      return Shapes.elementCount(shape);
    } catch (ArithmeticException e) {
      return MAX_VALUES;
    }
  }

  private static ByteString rawContents(FuzzedDataProvider data, DataType type, int elements) {
    if (type == DataType.BYTES) {
      ByteBuffer out = ByteBuffer.allocate(elements * 12).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < elements && data.remainingBytes() > 0; i++) {
        byte[] element = data.consumeBytes(data.consumeInt(0, 8));
        out.putInt(data.consumeInt(0, 15) == 0 ? data.consumeInt() : element.length);
        out.put(element);
      }
      return ByteString.copyFrom(out.flip());
    }
    int length =
        elements * type.byteSize() + (data.consumeInt(0, 7) == 0 ? data.consumeInt(-3, 3) : 0);
    byte[] bytes = data.consumeBytes(Math.max(0, length));
    return ByteString.copyFrom(java.util.Arrays.copyOf(bytes, Math.max(0, length)));
  }

  /** Typed contents for {@code type}, now and then in another type's field as well. */
  private static InferTensorContents typedContents(
      FuzzedDataProvider data, DataType type, int elements) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    DataType field = data.consumeInt(0, 15) == 0 ? data.pickValue(DataType.values()) : type;
    for (int i = 0; i < elements; i++) {
      switch (field) {
        case FP32 -> contents.addFp32Contents(data.consumeFloat());
        case FP64 -> contents.addFp64Contents(data.consumeDouble());
        case INT64 -> contents.addInt64Contents(data.consumeLong());
        case INT32, INT16, INT8 -> contents.addIntContents(narrow(data, field));
        case UINT8 ->
            contents.addUintContents(
                data.consumeInt(0, 15) == 0 ? data.consumeInt() : data.consumeInt(0, 255));
        case BOOL -> contents.addBoolContents(data.consumeBoolean());
        case BYTES -> contents.addBytesContents(ByteString.copyFrom(data.consumeBytes(8)));
      }
    }
    if (data.consumeInt(0, 31) == 0) {
      contents.addUint64Contents(data.consumeLong());
    }
    return contents.build();
  }

  private static int narrow(FuzzedDataProvider data, DataType type) {
    if (data.consumeInt(0, 15) == 0 || type == DataType.INT32) {
      return data.consumeInt();
    }
    return type == DataType.INT8
        ? data.consumeInt(Byte.MIN_VALUE, Byte.MAX_VALUE)
        : data.consumeInt(Short.MIN_VALUE, Short.MAX_VALUE);
  }

  private static ModelSignature dtypesSignature() {
    List<TensorSpec> inputs = new ArrayList<>();
    List<TensorSpec> outputs = new ArrayList<>();
    for (DataType type : DataType.values()) {
      String name = type.protocolName().toLowerCase(java.util.Locale.ROOT);
      inputs.add(spec(name, type, -1, 2));
      outputs.add(spec(name + "_out", type, -1, 2));
    }
    return signature(inputs, outputs);
  }

  private static ModelSignature signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    return new ModelSignature(inputs, outputs);
  }

  private static TensorSpec spec(String name, DataType type, long... shape) {
    return new TensorSpec(name, type, shape);
  }

  private static BatchingConfig batching(int maxBatchSize) {
    return new BatchingConfig(
        maxBatchSize, 500, List.of(), BatchingConfig.DEFAULT_MAX_QUEUE_SIZE, 1);
  }

  /** A model version as the decoder sees it. */
  private record Served(ModelSignature signature, BatchingConfig batching) {}
}
