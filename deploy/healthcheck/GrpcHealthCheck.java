import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;

/**
 * The images' HEALTHCHECK: one grpc.health.v1.Health/Check call, like grpc_health_probe.
 *
 * <p>{@code java -cp <service jar>:<this class's dir> GrpcHealthCheck HOST:PORT [SERVICE]}; exits 0
 * when the answer is SERVING, 1 for any other answer or error. It runs on the gRPC classes of the
 * service's own jar (every maas jar carries grpc-java and the health stubs), so the image needs no
 * extra binary and nothing is downloaded. Compiled in the image's build stage.
 */
public final class GrpcHealthCheck {

  private GrpcHealthCheck() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: GrpcHealthCheck HOST:PORT [SERVICE]");
      System.exit(2);
    }
    String target = args[0];
    String service = args.length == 2 ? args[1] : "";
    long timeoutMs = Long.getLong("maas.healthcheck.timeout-ms", 3000);
    ManagedChannel channel =
        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
    int code;
    try {
      HealthCheckResponse response =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
              .check(HealthCheckRequest.newBuilder().setService(service).build());
      System.out.println("status: " + response.getStatus());
      code = response.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
    } catch (StatusRuntimeException e) {
      String description = e.getStatus().getDescription();
      System.out.println(
          "health check of "
              + target
              + " failed: "
              + e.getStatus().getCode()
              + (description == null ? "" : " " + description));
      code = 1;
    } finally {
      channel.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
    }
    System.exit(code);
  }
}
