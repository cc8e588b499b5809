package dev.maas.sdk.admin;

import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.DeleteModelRequest;
import dev.maas.proto.admin.v1.GetModelRequest;
import dev.maas.proto.admin.v1.GetModelResponse;
import dev.maas.proto.admin.v1.GetVersionRequest;
import dev.maas.proto.admin.v1.ListModelsRequest;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelServiceGrpc.ModelServiceBlockingStub;
import dev.maas.proto.admin.v1.RetireVersionRequest;
import dev.maas.proto.admin.v1.UploadVersionResponse;
import dev.maas.sdk.NotFoundException;
import dev.maas.sdk.TensorSpec;
import dev.maas.sdk.internal.AdminCalls;
import dev.maas.sdk.internal.SavedModelArchive;
import dev.maas.sdk.internal.StatusErrors;
import dev.maas.sdk.internal.Timestamps;
import dev.maas.sdk.internal.UploadCall;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Models, their versions and uploads. A model name is unique in its tenant; each upload makes a new
 * version, numbered from 1, which the control plane checks (a SavedModel with a {@code serve} graph
 * and signatures) before it is READY.
 */
public final class Models {

  private final AdminCalls calls;

  /** Internal: made by {@link dev.maas.sdk.MaasAdminClient#models()}. */
  public Models(AdminCalls calls) {
    this.calls = calls;
  }

  /** Creates a model; ALREADY_EXISTS for a taken name, RESOURCE_EXHAUSTED past max_models. */
  public Model create(String tenant, String name, String description) {
    CreateModelRequest request =
        CreateModelRequest.newBuilder()
            .setTenant(tenant)
            .setName(name)
            .setDescription(description == null ? "" : description)
            .build();
    return calls.call(() -> fromProto(stub().createModel(request).getModel()));
  }

  /**
   * A model with its versions and deployment (asked of the deployment service when GetModel leaves
   * it out).
   */
  public ModelDetails get(String tenant, String name) {
    GetModelRequest request = GetModelRequest.newBuilder().setTenant(tenant).setName(name).build();
    GetModelResponse response = calls.call(() -> stub().getModel(request));
    Deployment deployment =
        response.hasDeployment()
            ? Deployments.fromProto(response.getDeployment())
            : deploymentOrNull(tenant, name);
    return new ModelDetails(
        fromProto(response.getModel()),
        response.getVersionsList().stream().map(Models::fromProto).toList(),
        deployment);
  }

  private Deployment deploymentOrNull(String tenant, String name) {
    try {
      return new Deployments(calls).get(tenant, name);
    } catch (NotFoundException e) {
      return null;
    }
  }

  /** A tenant's models, by name. */
  public List<Model> list(String tenant) {
    ListModelsRequest request = ListModelsRequest.newBuilder().setTenant(tenant).build();
    return calls.call(
        () -> stub().listModels(request).getModelsList().stream().map(Models::fromProto).toList());
  }

  /** Deletes a model and its versions; FAILED_PRECONDITION while it is deployed. */
  public void delete(String tenant, String name) {
    DeleteModelRequest request =
        DeleteModelRequest.newBuilder().setTenant(tenant).setName(name).build();
    calls.call(() -> stub().deleteModel(request));
  }

  /**
   * Uploads a SavedModel directory as the model's next version and waits for the control plane's
   * verdict. The directory is packed as a plain tar on the fly (its files at the archive's root)
   * and streamed in 1 MiB chunks; the SHA-256 and size of what was sent end the stream.
   *
   * @param directory the SavedModel directory (holding {@code saved_model.pb})
   * @param progress told of the bytes sent; {@link UploadProgress#NONE} for nothing
   * @return the version, READY or FAILED with the reason, and what was sent
   * @throws IllegalArgumentException when {@code directory} is no directory or holds a link
   * @throws dev.maas.sdk.MaasException when the call fails (NOT_FOUND model, RESOURCE_EXHAUSTED
   *     storage, ...)
   */
  public UploadResult upload(String tenant, String model, Path directory, UploadProgress progress) {
    UploadCall upload = startUpload(tenant, model, directory, progress);
    try {
      UploadVersionResponse response = upload.result().get();
      return new UploadResult(fromProto(response.getVersion()), upload.sentSha256(), upload.size());
    } catch (InterruptedException e) {
      upload.result().cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while uploading", e);
    } catch (ExecutionException e) {
      throw StatusErrors.toException(e.getCause());
    }
  }

  /**
   * Starts an upload like {@link #upload} without waiting; cancelling the future cancels the stream
   * (the version becomes FAILED, "upload interrupted").
   */
  public CompletableFuture<UploadResult> uploadAsync(
      String tenant, String model, Path directory, UploadProgress progress) {
    UploadCall upload = startUpload(tenant, model, directory, progress);
    CompletableFuture<UploadResult> result =
        upload
            .result()
            .thenApply(
                r ->
                    new UploadResult(
                        fromProto(r.getVersion()), upload.sentSha256(), upload.size()));
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled()) {
            upload.result().cancel(true);
          }
        });
    return result;
  }

  private UploadCall startUpload(
      String tenant, String model, Path directory, UploadProgress progress) {
    UploadCall upload = new UploadCall(tenant, model, SavedModelArchive.of(directory), progress);
    calls.streamingStub(ModelServiceGrpc::newStub).uploadVersion(upload);
    return upload;
  }

  /** One version of a model. */
  public ModelVersion getVersion(String tenant, String model, long version) {
    GetVersionRequest request =
        GetVersionRequest.newBuilder()
            .setTenant(tenant)
            .setModel(model)
            .setVersion(version)
            .build();
    return calls.call(() -> fromProto(stub().getVersion(request).getVersion()));
  }

  /** A model's versions, lowest first. */
  public List<ModelVersion> listVersions(String tenant, String model) {
    ListVersionsRequest request =
        ListVersionsRequest.newBuilder().setTenant(tenant).setModel(model).build();
    return calls.call(
        () ->
            stub().listVersions(request).getVersionsList().stream()
                .map(Models::fromProto)
                .toList());
  }

  /** Retires a READY version; FAILED_PRECONDITION while its deployment serves it. */
  public ModelVersion retireVersion(String tenant, String model, long version) {
    RetireVersionRequest request =
        RetireVersionRequest.newBuilder()
            .setTenant(tenant)
            .setModel(model)
            .setVersion(version)
            .build();
    return calls.call(() -> fromProto(stub().retireVersion(request).getVersion()));
  }

  /**
   * Polls a version until it is settled (not UPLOADING or VALIDATING) or {@code timeout} passes,
   * and returns it as last seen.
   */
  public ModelVersion awaitSettled(String tenant, String model, long version, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = 100;
    ModelVersion current = getVersion(tenant, model, version);
    while (!current.state().isSettled() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return current;
      }
      pauseMillis = Math.min(pauseMillis * 2, 2000);
      current = getVersion(tenant, model, version);
    }
    return current;
  }

  private ModelServiceBlockingStub stub() {
    return calls.stub(ModelServiceGrpc::newBlockingStub);
  }

  private static Model fromProto(dev.maas.proto.admin.v1.Model model) {
    return new Model(
        model.getTenant(),
        model.getName(),
        model.getDescription(),
        Timestamps.toInstant(model.hasCreateTime(), model.getCreateTime()));
  }

  static ModelVersion fromProto(dev.maas.proto.admin.v1.ModelVersion version) {
    return new ModelVersion(
        version.getTenant(),
        version.getModel(),
        version.getVersion(),
        stateOf(version.getState()),
        version.getReason(),
        version.getSha256(),
        version.getSizeBytes(),
        version.getSignaturesList().stream()
            .map(
                s ->
                    new ModelSignature(
                        s.getName(),
                        s.getInputsList().stream().map(Models::specOf).toList(),
                        s.getOutputsList().stream().map(Models::specOf).toList()))
            .toList(),
        Timestamps.toInstant(version.hasCreateTime(), version.getCreateTime()));
  }

  private static TensorSpec specOf(dev.maas.proto.admin.v1.TensorSignature tensor) {
    return new TensorSpec(tensor.getName(), tensor.getDatatype(), tensor.getShapeList());
  }

  private static VersionState stateOf(dev.maas.proto.admin.v1.VersionState state) {
    return switch (state) {
      case VERSION_STATE_UPLOADING -> VersionState.UPLOADING;
      case VERSION_STATE_VALIDATING -> VersionState.VALIDATING;
      case VERSION_STATE_READY -> VersionState.READY;
      case VERSION_STATE_FAILED -> VersionState.FAILED;
      case VERSION_STATE_RETIRED -> VersionState.RETIRED;
      default -> VersionState.UNKNOWN;
    };
  }
}
