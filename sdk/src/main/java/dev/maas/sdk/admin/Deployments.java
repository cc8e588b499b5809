package dev.maas.sdk.admin;

import dev.maas.proto.admin.v1.DeleteDeploymentRequest;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc;
import dev.maas.proto.admin.v1.DeploymentServiceGrpc.DeploymentServiceBlockingStub;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.ReplicaStatus;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.TrafficSplit;
import dev.maas.sdk.internal.AdminCalls;
import dev.maas.sdk.internal.Timestamps;

/**
 * Deployments: how models are served. Setting one replaces the model's deployment as a whole.
 * Failures: INVALID_ARGUMENT naming a field out of range, NOT_FOUND for a missing model or version,
 * FAILED_PRECONDITION for a version that is not READY, RESOURCE_EXHAUSTED for the replica quota.
 */
public final class Deployments {

  private final AdminCalls calls;

  /** Internal: made by {@link dev.maas.sdk.MaasAdminClient#deployments()}. */
  public Deployments(AdminCalls calls) {
    this.calls = calls;
  }

  /** Deploys a model, or replaces its deployment; returns it as stored, defaults filled in. */
  public Deployment set(Deployment deployment) {
    SetDeploymentRequest request =
        SetDeploymentRequest.newBuilder().setDeployment(toProto(deployment)).build();
    return calls.call(() -> fromProto(stub().setDeployment(request).getDeployment()));
  }

  /** A model's deployment; NOT_FOUND when it is not deployed. */
  public Deployment get(String tenant, String model) {
    GetDeploymentRequest request =
        GetDeploymentRequest.newBuilder().setTenant(tenant).setModel(model).build();
    return calls.call(() -> fromProto(stub().getDeployment(request).getDeployment()));
  }

  /** Removes a model's deployment: its replicas are unloaded; the model and versions stay. */
  public void delete(String tenant, String model) {
    DeleteDeploymentRequest request =
        DeleteDeploymentRequest.newBuilder().setTenant(tenant).setModel(model).build();
    calls.call(() -> stub().deleteDeployment(request));
  }

  private DeploymentServiceBlockingStub stub() {
    return calls.stub(DeploymentServiceGrpc::newBlockingStub);
  }

  static Deployment fromProto(dev.maas.proto.admin.v1.Deployment deployment) {
    dev.maas.proto.admin.v1.Batching batching = deployment.getBatching();
    return new Deployment(
        deployment.getTenant(),
        deployment.getModel(),
        deployment.getDefaultVersion(),
        deployment.getTrafficSplitList().stream()
            .map(s -> new TrafficShare(s.getVersion(), s.getPercent()))
            .toList(),
        deployment.getMinReplicas(),
        deployment.getMaxReplicas(),
        deployment.getDevice() == dev.maas.proto.admin.v1.Device.DEVICE_GPU
            ? Device.GPU
            : Device.CPU,
        new Batching(
            batching.getMaxBatchSize(),
            batching.getMaxQueueDelayMicroseconds(),
            batching.getPreferredBatchSizesList(),
            batching.getMaxQueueSize(),
            batching.getInstanceCount()),
        deployment.getRateLimitRps(),
        Timestamps.toInstant(deployment.hasUpdateTime(), deployment.getUpdateTime()),
        deployment.getReplicasList().stream().map(Deployments::replicaOf).toList());
  }

  private static Replica replicaOf(ReplicaStatus replica) {
    return new Replica(
        replica.getVersion(),
        replica.getWorker(),
        switch (replica.getState()) {
          case REPLICA_STATE_LOADING -> ReplicaState.LOADING;
          case REPLICA_STATE_SERVING -> ReplicaState.SERVING;
          case REPLICA_STATE_FAILED -> ReplicaState.FAILED;
          default -> ReplicaState.UNKNOWN;
        },
        replica.getReason(),
        replica.getWorkerHealthy(),
        Timestamps.toInstant(replica.hasUpdateTime(), replica.getUpdateTime()));
  }

  private static dev.maas.proto.admin.v1.Deployment toProto(Deployment deployment) {
    Batching batching = deployment.batching();
    dev.maas.proto.admin.v1.Deployment.Builder proto =
        dev.maas.proto.admin.v1.Deployment.newBuilder()
            .setTenant(deployment.tenant())
            .setModel(deployment.model())
            .setDefaultVersion(deployment.defaultVersion())
            .setMinReplicas(deployment.minReplicas())
            .setMaxReplicas(deployment.maxReplicas())
            .setDevice(
                deployment.device() == Device.GPU
                    ? dev.maas.proto.admin.v1.Device.DEVICE_GPU
                    : dev.maas.proto.admin.v1.Device.DEVICE_CPU)
            .setBatching(
                dev.maas.proto.admin.v1.Batching.newBuilder()
                    .setMaxBatchSize(batching.maxBatchSize())
                    .setMaxQueueDelayMicroseconds(batching.maxQueueDelayMicros())
                    .addAllPreferredBatchSizes(batching.preferredBatchSizes())
                    .setMaxQueueSize(batching.maxQueueSize())
                    .setInstanceCount(batching.instanceCount()))
            .setRateLimitRps(deployment.rateLimitRps());
    for (TrafficShare share : deployment.trafficSplit()) {
      proto.addTrafficSplit(
          TrafficSplit.newBuilder().setVersion(share.version()).setPercent(share.percent()));
    }
    return proto.build();
  }
}
