package dev.maas.worker.grpc;

import dev.maas.proto.inference.InferBatchStatistics;
import dev.maas.proto.inference.InferStatistics;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelMetadataResponse;
import dev.maas.proto.inference.ModelMetadataResponse.TensorMetadata;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.ModelReadyResponse;
import dev.maas.proto.inference.ModelStatistics;
import dev.maas.proto.inference.ModelStatisticsRequest;
import dev.maas.proto.inference.ModelStatisticsResponse;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse;
import dev.maas.proto.inference.StatisticDuration;
import dev.maas.worker.cluster.ModelIdInterceptor;
import dev.maas.worker.lifecycle.ModelNotFoundException;
import dev.maas.worker.lifecycle.ModelRegistry;
import dev.maas.worker.lifecycle.ModelUnavailableException;
import dev.maas.worker.lifecycle.ModelVersion;
import dev.maas.worker.lifecycle.ServedModel;
import dev.maas.worker.metrics.VersionStatistics;
import dev.maas.worker.tensor.ModelSignature;
import dev.maas.worker.tensor.TensorSpec;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Answers the protocol's questions about models: readiness, metadata, statistics, index. With a
 * {@code maas-model-id} header a question is about the model that header names, and the answer
 * speaks of the model name and version the request sent.
 */
final class ModelDescriptions {

  /** The platform ModelMetadata reports, as Triton names TensorFlow SavedModels. */
  static final String PLATFORM = "tensorflow_savedmodel";

  private final ModelRegistry registry;

  ModelDescriptions(ModelRegistry registry) {
    this.registry = registry;
  }

  /** A version label: empty, or a positive integer in ASCII digits. */
  static OptionalLong parseVersion(String label) {
    if (label.isEmpty()) {
      return OptionalLong.empty();
    }
    // Long.parseLong also reads other scripts' digits ('١', '１'): a label must be plain ASCII.
    boolean ascii = label.chars().allMatch(c -> c >= '0' && c <= '9');
    try {
      long version = ascii ? Long.parseLong(label) : 0;
      if (version > 0) {
        return OptionalLong.of(version);
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new InvalidInputException(
        "model version '"
            + label
            + "' is not a version number; use a positive integer or leave"
            + " it empty for the latest ready version");
  }

  static void checkName(String name) {
    if (name.isEmpty()) {
      throw new InvalidInputException("model name is empty");
    }
  }

  /**
   * The version a call runs on. Without a model id: the request's model and version. With one (the
   * gateway's {@code maas-model-id}, which names one version): that model's ready version, and
   * errors name only the model the caller sent, never the internal id.
   *
   * @throws ModelNotFoundException when the model (or the asked version) is unknown
   * @throws ModelUnavailableException when it does not serve now
   */
  static ModelVersion resolve(
      ModelRegistry registry, String name, OptionalLong version, Optional<String> modelId) {
    if (modelId.isEmpty()) {
      return registry.resolve(name, version);
    }
    return registry
        .model(modelId.get())
        .orElseThrow(() -> new ModelNotFoundException("model '" + name + "' not found"))
        .defaultVersion()
        .orElseThrow(
            () -> new ModelUnavailableException("model '" + name + "' is not ready; try again"));
  }

  ModelReadyResponse ready(ModelReadyRequest request) {
    checkName(request.getName());
    OptionalLong version = parseVersion(request.getVersion());
    Optional<String> modelId = ModelIdInterceptor.current();
    if (modelId.isPresent()) {
      boolean ready = registry.model(modelId.get()).map(ServedModel::isReady).orElse(false);
      return ModelReadyResponse.newBuilder().setReady(ready).build();
    }
    boolean ready =
        registry
            .model(request.getName())
            .map(
                model ->
                    version.isPresent()
                        ? model
                            .version(version.getAsLong())
                            .map(ModelVersion::isReady)
                            .orElse(false)
                        : model.isReady())
            .orElse(false);
    return ModelReadyResponse.newBuilder().setReady(ready).build();
  }

  ModelMetadataResponse metadata(ModelMetadataRequest request) {
    checkName(request.getName());
    OptionalLong asked = parseVersion(request.getVersion());
    Optional<String> modelId = ModelIdInterceptor.current();
    ModelVersion version = resolve(registry, request.getName(), asked, modelId);
    ModelSignature signature = version.signature().orElseThrow();
    ModelMetadataResponse.Builder response =
        ModelMetadataResponse.newBuilder().setName(request.getName()).setPlatform(PLATFORM);
    if (modelId.isPresent()) {
      // The internal model's versions mean nothing to the caller: only the one it asked for.
      if (!request.getVersion().isEmpty()) {
        response.addVersions(request.getVersion());
      }
    } else {
      registry.model(request.getName()).orElseThrow().versions().stream()
          .filter(ModelVersion::isReady)
          .forEach(v -> response.addVersions(v.label()));
    }
    signature.inputs().forEach(spec -> response.addInputs(tensor(spec)));
    signature.outputs().forEach(spec -> response.addOutputs(tensor(spec)));
    return response.build();
  }

  ModelStatisticsResponse statistics(ModelStatisticsRequest request) {
    OptionalLong version = parseVersion(request.getVersion());
    List<ServedModel> models;
    if (request.getName().isEmpty()) {
      models = registry.models();
    } else {
      models =
          List.of(
              registry
                  .model(request.getName())
                  .orElseThrow(
                      () ->
                          new ModelNotFoundException(
                              "model '" + request.getName() + "' not found")));
    }
    ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
    for (ServedModel model : models) {
      for (ModelVersion v : model.versions()) {
        if (version.isPresent() && v.version() != version.getAsLong()) {
          continue;
        }
        v.statistics()
            .ifPresent(stats -> response.addModelStats(toProto(model.name(), v, stats.snapshot())));
      }
    }
    return response.build();
  }

  RepositoryIndexResponse index(RepositoryIndexRequest request) {
    RepositoryIndexResponse.Builder response = RepositoryIndexResponse.newBuilder();
    for (ServedModel model : registry.models()) {
      if (model.versions().isEmpty() && !request.getReady()) {
        response
            .addModelsBuilder()
            .setName(model.name())
            .setState("UNAVAILABLE")
            .setReason(model.problem().isEmpty() ? "no version directory found" : model.problem());
      }
      for (ModelVersion version : model.versions()) {
        if (request.getReady() && !version.isReady()) {
          continue;
        }
        String reason = version.reason().isEmpty() ? model.problem() : version.reason();
        response
            .addModelsBuilder()
            .setName(model.name())
            .setVersion(version.label())
            .setState(version.state().name())
            .setReason(reason);
      }
    }
    return response.build();
  }

  private static TensorMetadata tensor(TensorSpec spec) {
    TensorMetadata.Builder tensor =
        TensorMetadata.newBuilder()
            .setName(spec.name())
            .setDatatype(spec.dataType().protocolName());
    for (long dim : spec.shape()) {
      tensor.addShape(dim);
    }
    return tensor.build();
  }

  private static ModelStatistics toProto(
      String name, ModelVersion version, VersionStatistics.Snapshot stats) {
    ModelStatistics.Builder proto =
        ModelStatistics.newBuilder()
            .setName(name)
            .setVersion(version.label())
            .setLastInference(stats.lastInferenceMillis())
            .setInferenceCount(stats.inferenceCount())
            .setExecutionCount(stats.executionCount())
            .setInferenceStats(
                InferStatistics.newBuilder()
                    .setSuccess(duration(stats.success()))
                    .setFail(duration(stats.fail()))
                    .setQueue(duration(stats.queue()))
                    .setComputeInput(duration(stats.computeInput()))
                    .setComputeInfer(duration(stats.computeInfer()))
                    .setComputeOutput(duration(stats.computeOutput())));
    stats
        .batches()
        .forEach(
            (size, batch) ->
                proto.addBatchStats(
                    InferBatchStatistics.newBuilder()
                        .setBatchSize(size)
                        .setComputeInput(duration(batch.computeInput()))
                        .setComputeInfer(duration(batch.computeInfer()))
                        .setComputeOutput(duration(batch.computeOutput()))));
    return proto.build();
  }

  private static StatisticDuration duration(VersionStatistics.DurationSnapshot snapshot) {
    return StatisticDuration.newBuilder()
        .setCount(snapshot.count())
        .setNs(snapshot.nanos())
        .build();
  }
}
