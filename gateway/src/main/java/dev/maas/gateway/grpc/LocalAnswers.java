package dev.maas.gateway.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.maas.gateway.auth.Principal;
import dev.maas.gateway.routing.InvalidRequestException;
import dev.maas.gateway.routing.ModelResolver;
import dev.maas.gateway.routing.NoServingReplicaException;
import dev.maas.gateway.routing.VersionSelector;
import dev.maas.gateway.snapshot.ModelRoute;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.SnapshotHolder;
import dev.maas.gateway.snapshot.VersionRoute;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.ModelReadyResponse;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse;
import dev.maas.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.maas.proto.inference.ServerLiveResponse;
import dev.maas.proto.inference.ServerMetadataResponse;
import dev.maas.proto.inference.ServerReadyResponse;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The rpcs the gateway answers itself, from its routing snapshot: ServerLive, ServerReady,
 * ServerMetadata, ModelReady and RepositoryIndex. Requests here are tiny and parsed in full; only
 * the caller's own models are ever shown. Thread-safe.
 */
public final class LocalAnswers {

  static final String SERVER_NAME = "maas-gateway";
  private static final String NO_REPLICA = "no serving replica";

  private final SnapshotHolder snapshots;
  private final VersionSelector selector;
  private final BooleanSupplier stopping;

  public LocalAnswers(
      SnapshotHolder snapshots, VersionSelector selector, BooleanSupplier stopping) {
    this.snapshots = snapshots;
    this.selector = selector;
    this.stopping = stopping;
  }

  void serverLive(byte[] request, StreamObserver<byte[]> responses) {
    answer(responses, ServerLiveResponse.newBuilder().setLive(true).build());
  }

  void serverReady(byte[] request, StreamObserver<byte[]> responses) {
    boolean ready = snapshots.hasSnapshot() && !stopping.getAsBoolean();
    answer(responses, ServerReadyResponse.newBuilder().setReady(ready).build());
  }

  void serverMetadata(byte[] request, StreamObserver<byte[]> responses) {
    String version = LocalAnswers.class.getPackage().getImplementationVersion();
    answer(
        responses,
        ServerMetadataResponse.newBuilder()
            .setName(SERVER_NAME)
            .setVersion(version == null ? "dev" : version)
            .addExtensions("model_repository")
            .build());
  }

  /** Ready when the version (or, without one, the version a call would get) has a replica. */
  void modelReady(byte[] bytes, StreamObserver<byte[]> responses) {
    try {
      ModelReadyRequest request = ModelReadyRequest.parseFrom(bytes);
      Optional<ModelRoute> model =
          snapshots.require().model(Principal.current().tenant(), request.getName());
      boolean ready = model.isPresent() && isReady(model.get(), request.getVersion());
      answer(responses, ModelReadyResponse.newBuilder().setReady(ready).build());
    } catch (InvalidProtocolBufferException e) {
      fail(responses, new InvalidRequestException("the request is not a valid protobuf message"));
    } catch (RuntimeException e) {
      fail(responses, e);
    }
  }

  /** The caller's models: one entry per version, READY when a worker serves it. */
  void repositoryIndex(byte[] bytes, StreamObserver<byte[]> responses) {
    try {
      RepositoryIndexRequest request = RepositoryIndexRequest.parseFrom(bytes);
      RoutingTable table = snapshots.require();
      RepositoryIndexResponse.Builder index = RepositoryIndexResponse.newBuilder();
      for (ModelRoute model : table.modelsOf(Principal.current().tenant())) {
        if (model.versions().isEmpty() && !request.getReady()) {
          index.addModels(entry(model.name(), model.defaultVersion(), false));
        }
        for (VersionRoute version : model.versions().values()) {
          if (version.isServing() || !request.getReady()) {
            index.addModels(entry(model.name(), version.version(), version.isServing()));
          }
        }
      }
      answer(responses, index.build());
    } catch (InvalidProtocolBufferException e) {
      fail(responses, new InvalidRequestException("the request is not a valid protobuf message"));
    } catch (RuntimeException e) {
      fail(responses, e);
    }
  }

  private boolean isReady(ModelRoute model, String versionLabel) {
    if (!versionLabel.isEmpty()) {
      long number = ModelResolver.parseVersion(versionLabel);
      return model.version(number).map(VersionRoute::isServing).orElse(false);
    }
    try {
      selector.select(model);
      return true;
    } catch (NoServingReplicaException e) {
      return false;
    }
  }

  private static ModelIndex entry(String name, long version, boolean ready) {
    return ModelIndex.newBuilder()
        .setName(name)
        .setVersion(Long.toString(version))
        .setState(ready ? "READY" : "UNAVAILABLE")
        .setReason(ready ? "" : NO_REPLICA)
        .build();
  }

  private static void answer(StreamObserver<byte[]> responses, MessageLite message) {
    responses.onNext(message.toByteArray());
    responses.onCompleted();
  }

  private static void fail(StreamObserver<byte[]> responses, RuntimeException e) {
    responses.onError(GatewayStatusMapping.toException(e));
  }
}
