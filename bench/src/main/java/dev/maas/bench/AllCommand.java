package dev.maas.bench;

import dev.maas.proto.inference.ModelInferRequest;
import dev.maas.sdk.admin.Batching;
import dev.maas.worker.demo.DemoModels;
import dev.maas.worker.runtime.ModelLoadException;
import dev.maas.worker.runtime.SavedModelRuntime;
import dev.maas.worker.runtime.SessionSettings;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs every arm of the benchmark in one run on this machine: A (TensorFlow in-process), B (client
 * to worker), C (client to gateway to worker, batching off), D (as C with dynamic batching) and
 * client batch 64 through the gateway, on each demo model; prints markdown and writes JSON.
 */
@Command(
    name = "all",
    mixinStandardHelpOptions = true,
    description = "Runs arms A, B, C, D and client batch 64 through C; prints a markdown table.")
final class AllCommand implements Callable<Integer> {

  @Option(
      names = "--models",
      split = ",",
      defaultValue = "lenet,binary_classifier",
      description = "Demo models to measure (default ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "1,8,32,64",
      description = "Batch sizes of arm A (default ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(
      names = "--concurrency",
      split = ",",
      defaultValue = "1,8,32,64",
      description = "Requests in flight in arms B, C and D (default ${DEFAULT-VALUE}).")
  List<Integer> concurrency;

  @Option(
      names = "--batch64-concurrency",
      defaultValue = "1",
      description = "Requests in flight for client batch 64 through C (default ${DEFAULT-VALUE}).")
  int batch64Concurrency;

  @Option(
      names = "--warmup-ms",
      defaultValue = "1500",
      description = "Unmeasured load before each point (default ${DEFAULT-VALUE}).")
  long warmupMillis;

  @Option(
      names = "--window-ms",
      defaultValue = "2000",
      description = "One measurement window (default ${DEFAULT-VALUE}).")
  long windowMillis;

  @Option(
      names = "--max-windows",
      defaultValue = "5",
      description =
          "Windows after which a point whose last three never agreed within 10 %% is reported"
              + " unstable (default ${DEFAULT-VALUE}).")
  int maxWindows;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description =
          "TensorFlow intra-op threads of arm A and the worker; 0: TF's default, one per core"
              + " (default ${DEFAULT-VALUE}).")
  int intraOpThreads;

  @Option(
      names = "--inter-op-threads",
      defaultValue = "0",
      description =
          "TensorFlow inter-op threads of arm A and the worker; 0: TF's default, one per core"
              + " (default ${DEFAULT-VALUE}).")
  int interOpThreads;

  @Option(
      names = "--d-max-batch-size",
      defaultValue = "32",
      description = "max_batch_size of arm D's deployment (default ${DEFAULT-VALUE}).")
  int dMaxBatchSize;

  @Option(
      names = "--d-max-queue-delay-us",
      defaultValue = "0",
      description = "max_queue_delay of arm D's deployment in µs (default ${DEFAULT-VALUE}).")
  long dMaxQueueDelayMicros;

  @Option(
      names = "--d-instances",
      defaultValue = "1",
      description = "Batches run in parallel in arm D (default ${DEFAULT-VALUE}).")
  int dInstances;

  @Option(
      names = "--service-jvm-flags",
      split = " ",
      defaultValue = "-Xmx512m -XX:+UseParallelGC",
      description = "JVM flags of the service processes (default ${DEFAULT-VALUE}).")
  List<String> serviceJvmFlags;

  @Option(
      names = "--jfr",
      description =
          "Record each service process with Java Flight Recorder into DIR/<service>.jfr (profile"
              + " settings).")
  Path jfrDir;

  @Option(
      names = "--json",
      defaultValue = "bench/target/bench-results.json",
      description = "Where the JSON goes (default ${DEFAULT-VALUE}).")
  Path json;

  @Option(
      names = "--work-dir",
      description = "Logs, database and models; a fresh temporary directory by default.")
  Path workDir;

  @Option(names = "--keep-work-dir", description = "Keep the work directory (logs) after the run.")
  boolean keepWorkDir;

  @Option(names = "--worker-jar", description = "Default: worker/target/maas-worker.jar.")
  Path workerJar;

  @Option(names = "--gateway-jar", description = "Default: gateway/target/maas-gateway.jar.")
  Path gatewayJar;

  @Option(
      names = "--control-plane-jar",
      description = "Default: control-plane/target/maas-control-plane.jar.")
  Path controlPlaneJar;

  private final PrintStream out;

  AllCommand() {
    this(System.out);
  }

  AllCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    Path work = workDir != null ? workDir : Files.createTempDirectory("maas-bench");
    BenchSettings settings =
        new BenchSettings(
            work,
            jar(workerJar, "worker", "maas-worker.jar"),
            jar(gatewayJar, "gateway", "maas-gateway.jar"),
            jar(controlPlaneJar, "control-plane", "maas-control-plane.jar"),
            serviceJvmFlags.stream().filter(f -> !f.isBlank()).toList(),
            jfrDir == null ? null : jfrDir.toAbsolutePath(),
            intraOpThreads,
            interOpThreads,
            Duration.ofMillis(warmupMillis),
            Duration.ofMillis(windowMillis),
            maxWindows);
    try {
      Report report = run(settings);
      report.printMarkdown(out);
      report.writeJson(json);
      out.println();
      out.println("JSON: " + json.toAbsolutePath());
      out.flush();
      return 0;
    } finally {
      if (!keepWorkDir && workDir == null) {
        deleteTree(work);
      }
    }
  }

  private Report run(BenchSettings settings)
      throws IOException, InterruptedException, ModelLoadException {
    long started = System.nanoTime();
    Map<String, Object> conditions = conditions(settings);
    Map<String, Path> artifacts = new LinkedHashMap<>();
    for (String model : models) {
      Path version = settings.workDir().resolve("models").resolve(model).resolve("1");
      DemoInput.of(model).exporter().accept(version);
      artifacts.put(model, version);
    }
    Map<String, Batching> batchings = new LinkedHashMap<>();
    batchings.put("off", Batching.none());
    batchings.put(
        "on", new Batching(dMaxBatchSize, dMaxQueueDelayMicros, List.of(), 0, dInstances));
    batchings.put("b64", Batching.of(Ratio.BIG_BATCH, 0));
    List<ArmResult> results = new ArrayList<>();
    List<Ratio> ratios = new ArrayList<>();
    progress("starting the control plane, worker and gateway under " + settings.workDir());
    try (BenchCluster cluster = BenchCluster.start(settings, artifacts, batchings)) {
      conditions.put("processes (pid)", cluster.pids());
      Measurer measurer = new Measurer(settings, new CpuMeter(cluster::cpuTimes));
      ManagedChannel gateway = BenchCluster.loopback(cluster.gatewayPort());
      ManagedChannel worker = BenchCluster.loopback(cluster.workerPort());
      try {
        for (String model : models) {
          DemoInput input = DemoInput.of(model);
          results.addAll(inProcess(measurer, settings, input, artifacts.get(model)));
          Deployment off = cluster.deployment(model, "off");
          Deployment on = cluster.deployment(model, "on");
          Deployment b64 = cluster.deployment(model, "b64");
          Metadata toWorker = new Metadata();
          toWorker.put(Headers.AUTHORIZATION, "Bearer " + BenchCluster.CLUSTER_TOKEN);
          toWorker.put(Headers.MODEL_ID, off.modelId());
          toWorker.put(Headers.MODEL_VERSION, "1");
          Metadata toGateway = new Metadata();
          toGateway.put(Headers.AUTHORIZATION, "Bearer " + cluster.inferKey());
          for (int level : concurrency) {
            results.add(grpc(measurer, "B", worker, toWorker, input, off.name(), 1, level));
          }
          for (int level : concurrency) {
            results.add(grpc(measurer, "C", gateway, toGateway, input, off.name(), 1, level));
          }
          for (int level : concurrency) {
            results.add(grpc(measurer, "D", gateway, toGateway, input, on.name(), 1, level));
          }
          results.add(
              grpc(
                  measurer,
                  "C-batch64",
                  gateway,
                  toGateway,
                  input,
                  b64.name(),
                  Ratio.BIG_BATCH,
                  batch64Concurrency));
          ratios.addAll(Ratio.of(model, results));
        }
      } finally {
        gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        worker.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    conditions.put("load average at the end", loadAverage());
    conditions.put("run time", Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    return new Report(conditions, results, ratios);
  }

  private List<ArmResult> inProcess(
      Measurer measurer, BenchSettings settings, DemoInput input, Path artifact)
      throws InterruptedException, ModelLoadException {
    List<ArmResult> results = new ArrayList<>();
    SessionSettings session =
        new SessionSettings(
            settings.intraOpThreads(), settings.interOpThreads(), SessionSettings.Device.CPU);
    try (SavedModelRuntime runtime =
        SavedModelRuntime.load(artifact, DemoModels.SERVING_SIGNATURE, session)) {
      for (int batch : batchSizes) {
        progress(String.format(Locale.ROOT, "%s A batch %d", input.model(), batch));
        results.add(
            measurer.measure(
                "A", input.model(), batch, 1, new InProcessArm(runtime, input, batch)));
      }
    }
    return results;
  }

  private ArmResult grpc(
      Measurer measurer,
      String arm,
      ManagedChannel channel,
      Metadata headers,
      DemoInput input,
      String modelName,
      int batch,
      int level)
      throws InterruptedException {
    progress(
        String.format(
            Locale.ROOT,
            "%s %s batch %d concurrency %d (%s)",
            input.model(),
            arm,
            batch,
            level,
            modelName));
    ModelInferRequest request = input.request(modelName, batch);
    return measurer.measure(
        arm,
        input.model(),
        batch,
        level,
        new GrpcArm(channel, headers, request, input.outputs(), level));
  }

  private Map<String, Object> conditions(BenchSettings settings) {
    Map<String, Object> conditions = new LinkedHashMap<>();
    conditions.put("date", Instant.now().toString());
    conditions.put("cores", Runtime.getRuntime().availableProcessors());
    conditions.put("load average at the start", loadAverage());
    conditions.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    conditions.put("client JVM flags", ManagementFactory.getRuntimeMXBean().getInputArguments());
    conditions.put("service JVM flags", settings.serviceJvmFlags());
    conditions.put(
        "TensorFlow threads (arm A and worker)",
        String.format(
            Locale.ROOT,
            "intra-op %s, inter-op %s",
            threads(settings.intraOpThreads()),
            threads(settings.interOpThreads())));
    conditions.put(
        "batching",
        String.format(
            Locale.ROOT,
            "B, C: off (max_batch_size 0); D: max_batch_size %d, max_queue_delay %d µs,"
                + " %d instance(s); C-batch64: max_batch_size 64, no delay (requests of 64 rows"
                + " never join), concurrency %d",
            dMaxBatchSize,
            dMaxQueueDelayMicros,
            dInstances,
            batch64Concurrency));
    conditions.put(
        "processes",
        "client (this JVM, also arm A), gateway, worker and control plane (embedded"
            + " PostgreSQL) each a JVM of its own on loopback; B calls the worker directly with"
            + " the cluster token and maas-model-id of C's deployment");
    conditions.put(
        "measurement",
        String.format(
            Locale.ROOT,
            "warm-up %d ms, windows of %d ms until 3 agree within 10 %% in throughput and p50"
                + " (at most %d)",
            settings.warmup().toMillis(),
            settings.window().toMillis(),
            settings.maxWindows()));
    return conditions;
  }

  private static String threads(int count) {
    return count == 0 ? "TF default" : Integer.toString(count);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private void progress(String line) {
    System.err.println("maas-bench: " + line);
  }

  /** {@code given}, else the module's jar under the current directory or its parent. */
  private static Path jar(Path given, String module, String name) {
    if (given != null) {
      return given.toAbsolutePath();
    }
    Path here = Path.of(module, "target", name).toAbsolutePath();
    Path sibling = Path.of("..", module, "target", name).toAbsolutePath().normalize();
    return Files.isRegularFile(here) || !Files.isRegularFile(sibling) ? here : sibling;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
