package dev.maas.standalone.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.maas.proto.inference.GRPCInferenceServiceGrpc;
import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.proto.inference.ModelInferRequest.InferInputTensor;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.standalone.Platform;
import dev.maas.standalone.demo.Bearer;
import dev.maas.standalone.demo.DemoBootstrap;
import dev.maas.standalone.testing.StandaloneExtension;
import dev.maas.standalone.testing.Tensors;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends 10,000 deterministically mutated ModelInfer requests for the demo {@code lenet} and {@code
 * binary_classifier} through the gateway of a live platform, as raw bytes so that malformed
 * protobuf reaches the servers: bit flips, truncations, deleted and duplicated fields, wrong
 * datatypes, huge shapes, bogus model names and versions, random bytes. Every answer must be a
 * documented status; INTERNAL only for bytes that are not a ModelInferRequest at all (gRPC itself
 * cannot decode them); never UNKNOWN. Afterwards gateway and worker are still SERVING and answer a
 * valid request as before.
 */
class MutatedInferRequestsTest {

  private static final Logger log = LoggerFactory.getLogger(MutatedInferRequestsTest.class);

  @RegisterExtension static final StandaloneExtension platform = new StandaloneExtension();

  private static final int REQUESTS = 10_000;
  private static final int IN_FLIGHT = 32;
  private static final long SEED = 0x5eed_f022L;

  private static final Set<Status.Code> DOCUMENTED =
      EnumSet.of(
          Status.Code.OK,
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.UNAUTHENTICATED,
          Status.Code.PERMISSION_DENIED,
          Status.Code.RESOURCE_EXHAUSTED);

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<byte[], byte[]> RAW_MODEL_INFER =
      GRPCInferenceServiceGrpc.getModelInferMethod().toBuilder(BYTES, BYTES).build();

  private static final List<String> DATATYPES =
      List.of(
          "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "BOOL", "BYTES", "FP16",
          "fp32", "", "UINT64", "\u0000");

  private static final List<String> MODEL_NAMES =
      List.of(
          "lenet",
          "binary_classifier",
          "affine",
          "strings",
          "dtypes",
          "no_such_model",
          "../lenet",
          "/lenet",
          "demo/lenet",
          "lenet\n",
          "LENET",
          "lenet ",
          "",
          "\u0001\u0002",
          "x".repeat(4_000));

  private static final List<String> VERSIONS =
      List.of("", "1", "2", "0", "-1", "01", "abc", "9223372036854775808", " 1", "1.0");

  private static final long[] DIMENSIONS = {
    -1, 0, 1, 2, 3, 31, 33, 1 << 20, Integer.MAX_VALUE, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE
  };

  private static ManagedChannel channel;

  @BeforeAll
  static void openChannelWithoutRateLimit() {
    channel = Platform.loopbackChannel(platform.platform().gatewayPort());
    // Mutants should reach the worker, not stop at the demo tenant's rate limit.
    platform.admin().allowRate(DemoBootstrap.TENANT, 1_000_000);
    await("the new rate applied")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(MutatedInferRequestsTest::burstAdmitted);
  }

  @AfterAll
  static void closeChannel() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void mutatedModelInferRequests_getOnlyDocumentedStatuses_andTheServersStaySERVING()
      throws Exception {
    List<ModelInferRequest> valid = validRequests();
    List<ModelInferResponse> before = answers(valid);
    Random random = new Random(SEED);
    List<byte[]> mutants = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      mutants.add(mutate(valid.get(random.nextInt(valid.size())), random));
    }

    long start = System.nanoTime();
    Map<Status.Code, AtomicInteger> tally = send(mutants);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    log.info(
        "mutated ModelInfer over the wire, {} requests, {} in flight, {} ms: {}",
        REQUESTS,
        IN_FLIGHT,
        millis,
        tally);
    assertThat(tally.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
    assertThat(tally).doesNotContainKey(Status.Code.UNKNOWN);
    assertThat(tally.get(Status.Code.OK)).as("some mutants stay valid").isNotNull();
    assertThat(tally.get(Status.Code.INVALID_ARGUMENT)).isNotNull();
    assertThat(tally.get(Status.Code.NOT_FOUND)).isNotNull();
    assertThat(serving(platform.platform().gatewayPort())).isEqualTo(ServingStatus.SERVING);
    assertThat(serving(platform.platform().workerPort())).isEqualTo(ServingStatus.SERVING);
    assertThat(answers(valid)).isEqualTo(before);
  }

  /** Sends every request, at most {@link #IN_FLIGHT} at once, and counts the answers' codes. */
  private Map<Status.Code, AtomicInteger> send(List<byte[]> requests) throws InterruptedException {
    Channel authenticated = Bearer.over(channel, platform.demoKey());
    Map<Status.Code, AtomicInteger> tally = new EnumMap<>(Status.Code.class);
    for (Status.Code code : Status.Code.values()) {
      tally.put(code, new AtomicInteger());
    }
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(requests.size());
    for (byte[] request : requests) {
      slots.acquire();
      var answer =
          ClientCalls.futureUnaryCall(
              authenticated.newCall(
                  RAW_MODEL_INFER, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
              request);
      answer.addListener(
          () -> {
            Status status;
            try {
              answer.get();
              status = Status.OK;
            } catch (Exception e) {
              status = Status.fromThrowable(e);
            }
            tally.get(status.getCode()).incrementAndGet();
            boolean documented =
                DOCUMENTED.contains(status.getCode())
                    || status.getCode() == Status.Code.INTERNAL && !parses(request);
            if (!documented) {
              unexpected.add(status + " for " + describe(request));
            }
            slots.release();
            done.countDown();
          },
          Runnable::run);
    }
    assertThat(done.await(120, TimeUnit.SECONDS)).as("every request answered").isTrue();
    tally.values().removeIf(count -> count.get() == 0);
    assertThat(unexpected).as("answers outside the documented statuses").isEmpty();
    return tally;
  }

  /** Whether 100 quick valid requests all pass the quotas. */
  private static boolean burstAdmitted() {
    var stub = platform.gateway(platform.demoKey());
    ModelInferRequest request = validRequests().get(3);
    for (int i = 0; i < 100; i++) {
      try {
        stub.modelInfer(request);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          return false;
        }
        throw e;
      }
    }
    return true;
  }

  private static ServingStatus serving(int port) {
    ManagedChannel health = Platform.loopbackChannel(port);
    try {
      return HealthGrpc.newBlockingStub(health)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance())
          .getStatus();
    } finally {
      health.shutdownNow();
    }
  }

  private static List<ModelInferResponse> answers(List<ModelInferRequest> requests) {
    var stub = platform.gateway(platform.demoKey());
    return requests.stream().map(stub::modelInfer).toList();
  }

  private static List<ModelInferRequest> validRequests() {
    float[] image = Tensors.randomFloats(32 * 32 * 3, 11);
    float[] features = Tensors.randomFloats(2 * 100, 12);
    return List.of(
        Tensors.typed("lenet", "images", image, 1, 32, 32, 3),
        Tensors.raw("lenet", "images", image, 1, 32, 32, 3),
        Tensors.typed("binary_classifier", "features", features, 2, 100),
        Tensors.raw("binary_classifier", "features", features, 2, 100));
  }

  /** One deterministic mutation of {@code valid}, as the bytes to send. */
  private static byte[] mutate(ModelInferRequest valid, Random random) {
    byte[] bytes = valid.toByteArray();
    ModelInferRequest.Builder request = valid.toBuilder();
    switch (random.nextInt(12)) {
      case 0 -> {
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
          int at = random.nextInt(bytes.length);
          bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      case 2 -> {
        byte[] noise = new byte[random.nextInt(2_000)];
        random.nextBytes(noise);
        return noise;
      }
      case 3 -> {
        // overwrite a run of bytes in the middle
        int at = random.nextInt(bytes.length);
        int length = Math.min(bytes.length - at, 1 + random.nextInt(16));
        byte[] noise = new byte[length];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, bytes, at, length);
        return bytes;
      }
      case 4 -> deleteField(request, random);
      case 5 -> {
        // duplicated fields: a second copy of the message merges into repeated inputs
        if (random.nextBoolean()) {
          return ByteString.copyFrom(bytes).concat(ByteString.copyFrom(bytes)).toByteArray();
        }
        request.addInputs(request.getInputs(0));
      }
      case 6 -> request.setInputs(0, input(request).setDatatype(pick(DATATYPES, random)));
      case 7 -> {
        InferInputTensor.Builder input = input(request);
        int dims = random.nextInt(6);
        input.clearShape();
        for (int i = 0; i < dims; i++) {
          input.addShape(
              random.nextInt(3) == 0
                  ? DIMENSIONS[random.nextInt(DIMENSIONS.length)]
                  : valid
                      .getInputs(0)
                      .getShape(Math.min(i, valid.getInputs(0).getShapeCount() - 1)));
        }
        request.setInputs(0, input);
      }
      case 8 -> request.setModelName(pick(MODEL_NAMES, random));
      case 9 -> request.setModelVersion(pick(VERSIONS, random));
      case 10 -> {
        // raw contents that do not match: cut, grown, or given twice
        if (request.getRawInputContentsCount() > 0) {
          ByteString rawData = request.getRawInputContents(0);
          request.setRawInputContents(
              0, rawData.substring(0, random.nextInt(Math.max(1, rawData.size()))));
        } else {
          request.addRawInputContents(ByteString.copyFrom(new byte[4 * random.nextInt(1_000)]));
        }
      }
      default -> {
        // a mutation of another field's value: name, id, parameters, requested outputs
        request.setInputs(
            0, input(request).setName(pick(List.of("images", "features", "x", ""), random)));
        request.setId(Long.toHexString(random.nextLong()));
        request.addOutputs(
            ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                .setName(pick(List.of("logits", "probabilities", "probability", "nope"), random)));
      }
    }
    return request.build().toByteArray();
  }

  private static byte[] deleteField(ModelInferRequest.Builder request, Random random) {
    switch (random.nextInt(5)) {
      case 0 -> request.clearModelName();
      case 1 -> request.clearInputs();
      case 2 -> request.setInputs(0, input(request).clearContents());
      case 3 -> request.clearRawInputContents();
      default -> request.setInputs(0, input(request).clearShape());
    }
    return request.build().toByteArray();
  }

  private static InferInputTensor.Builder input(ModelInferRequest.Builder request) {
    return request.getInputs(0).toBuilder();
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  private static boolean parses(byte[] request) {
    try {
      ModelInferRequest.parseFrom(request);
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  private static String describe(byte[] request) {
    try {
      ModelInferRequest parsed = ModelInferRequest.parseFrom(request);
      String text = parsed.toBuilder().clearRawInputContents().build().toString();
      return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    } catch (InvalidProtocolBufferException e) {
      return request.length + " bytes that do not parse";
    }
  }
}
