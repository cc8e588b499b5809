package dev.maas.standalone;

import dev.maas.standalone.demo.DemoBootstrap;
import dev.maas.standalone.demo.DemoCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What the platform says once it is up: where each service listens, where the admin token and the
 * demo credentials are, and ready-to-paste calls through the gateway with the demo's infer key.
 */
final class Banner {

  private Banner() {}

  /**
   * The banner text.
   *
   * @param demo whether the demo bootstrap ran (and so the demo credentials file exists)
   * @param startup from the start of the launch until the demo served
   */
  static String text(Platform platform, boolean demo, Duration startup) {
    Path dataDir = platform.options().dataDir();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "maas standalone is up (ready in %.1f s)%n%n",
            startup.toMillis() / 1000.0));
    out.append(
        String.format(
            Locale.ROOT,
            "  gateway        localhost:%d  Open Inference Protocol (gRPC) for tenants; metrics %s%n",
            platform.gatewayPort(),
            metrics(platform.gatewayMetricsPort(), "/metrics")));
    out.append(
        String.format(
            Locale.ROOT,
            "  control plane  localhost:%d  admin API (gRPC); health %s%n",
            platform.controlPlanePort(),
            metrics(platform.controlPlaneHttpPort(), "/health")));
    out.append(
        String.format(
            Locale.ROOT,
            "  worker         localhost:%d  behind the gateway; metrics %s%n%n",
            platform.workerPort(),
            metrics(platform.workerMetricsPort(), "/metrics")));
    Optional<Path> adminToken = platform.adminTokenFile();
    out.append("  admin token    ")
        .append(adminToken.map(Path::toString).orElse("as configured (MAAS_ADMIN_TOKEN)"))
        .append(System.lineSeparator());
    if (!demo) {
      return out.toString();
    }
    String credentials = DemoCredentials.sourceable(DemoCredentials.file(dataDir));
    out.append(
        String.format(
            Locale.ROOT,
            "  demo keys      %s  (tenant %s: an infer key and a manage key, shown nowhere else)%n%n",
            credentials,
            DemoBootstrap.TENANT));
    out.append(tryIt(platform.gatewayPort(), credentials));
    return out.toString();
  }

  private static String tryIt(int gatewayPort, String credentials) {
    return """
        Load the demo keys into your shell, then ask lenet for its 10 class probabilities:

          . %2$s
          cli/bin/maas infer lenet --random --top 3

        with buf curl (affine answers y = 2x + 1):

          buf curl --protocol grpc --http2-prior-knowledge \\
            -H "authorization: Bearer $MAAS_API_KEY" \\
            http://localhost:%1$d/inference.GRPCInferenceService/ModelInfer \\
            -d '{"model_name": "affine", "inputs": [{"name": "x", "datatype": "FP32", \
        "shape": [1, 4], "contents": {"fp32_contents": [1, 2, 3, 4]}}]}'

        or with Triton's Python client:

          import os, numpy as np, tritonclient.grpc as grpcclient
          key = os.environ["MAAS_API_KEY"]
          client = grpcclient.InferenceServerClient("localhost:%1$d")
          images = np.random.rand(1, 32, 32, 3).astype(np.float32)
          inputs = [grpcclient.InferInput("images", images.shape, "FP32")]
          inputs[0].set_data_from_numpy(images)
          result = client.infer("lenet", inputs, headers={"authorization": "Bearer " + key})
          print(result.as_numpy("probabilities"))
        """
        .formatted(gatewayPort, credentials);
  }

  private static String metrics(int port, String path) {
    return port < 0 ? "off" : "http://localhost:" + port + path;
  }
}
