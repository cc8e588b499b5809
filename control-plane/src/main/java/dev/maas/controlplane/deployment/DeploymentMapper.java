package dev.maas.controlplane.deployment;

import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.controlplane.problem.Problem;
import dev.maas.proto.admin.v1.ReplicaState;
import dev.maas.proto.admin.v1.ReplicaStatus;
import java.util.List;

/** Converts deployments between the admin API's messages and {@link Deployment}. */
public final class DeploymentMapper {

  private DeploymentMapper() {}

  /** The admin API message of a stored deployment, without its replicas. */
  public static dev.maas.proto.admin.v1.Deployment toProto(Deployment deployment) {
    return toProto(deployment, List.of());
  }

  /** The admin API message of a stored deployment and its replicas. */
  public static dev.maas.proto.admin.v1.Deployment toProto(
      Deployment deployment, List<Replica> replicas) {
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
            .setBatching(toProto(deployment.batching()))
            .setRateLimitRps(deployment.rateLimitRps());
    for (TrafficSplit split : deployment.trafficSplit()) {
      proto.addTrafficSplit(
          dev.maas.proto.admin.v1.TrafficSplit.newBuilder()
              .setVersion(split.version())
              .setPercent(split.percent()));
    }
    if (deployment.updatedAt() != null) {
      proto.setUpdateTime(ProtoTime.of(deployment.updatedAt()));
    }
    for (Replica replica : replicas) {
      proto.addReplicas(
          ReplicaStatus.newBuilder()
              .setVersion(replica.version())
              .setWorker(replica.worker())
              .setState(ReplicaState.valueOf("REPLICA_STATE_" + replica.state()))
              .setReason(replica.reason())
              .setWorkerHealthy(replica.workerHealthy())
              .setUpdateTime(ProtoTime.of(replica.updatedAt())));
    }
    return proto.build();
  }

  /** The deployment a request asks for, before defaults; an unset device means CPU. */
  static Deployment fromProto(dev.maas.proto.admin.v1.Deployment proto) {
    return new Deployment(
        proto.getTenant(),
        proto.getModel(),
        proto.getDefaultVersion(),
        proto.getTrafficSplitList().stream()
            .map(split -> new TrafficSplit(split.getVersion(), split.getPercent()))
            .toList(),
        proto.getMinReplicas(),
        proto.getMaxReplicas(),
        device(proto),
        fromProto(proto.getBatching()),
        proto.getRateLimitRps(),
        null);
  }

  private static Device device(dev.maas.proto.admin.v1.Deployment proto) {
    return switch (proto.getDevice()) {
      case DEVICE_UNSPECIFIED, DEVICE_CPU -> Device.CPU;
      case DEVICE_GPU -> Device.GPU;
      default ->
          throw Problem.invalid(
              "unknown device " + proto.getDeviceValue() + "; use DEVICE_CPU or DEVICE_GPU");
    };
  }

  private static dev.maas.proto.admin.v1.Batching toProto(Batching batching) {
    return dev.maas.proto.admin.v1.Batching.newBuilder()
        .setMaxBatchSize(batching.maxBatchSize())
        .setMaxQueueDelayMicroseconds(batching.maxQueueDelayMicroseconds())
        .addAllPreferredBatchSizes(batching.preferredBatchSizes())
        .setMaxQueueSize(batching.maxQueueSize())
        .setInstanceCount(batching.instanceCount())
        .build();
  }

  private static Batching fromProto(dev.maas.proto.admin.v1.Batching proto) {
    return new Batching(
        proto.getMaxBatchSize(),
        proto.getMaxQueueDelayMicroseconds(),
        proto.getPreferredBatchSizesList(),
        proto.getMaxQueueSize(),
        proto.getInstanceCount());
  }
}
