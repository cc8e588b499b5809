package dev.maas.controlplane.model;

import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.proto.admin.v1.TensorSignature;

/** Converts models and versions to their admin API messages. */
public final class ModelProtoMapper {

  private ModelProtoMapper() {}

  /** The message of a model. */
  public static dev.maas.proto.admin.v1.Model toProto(Model model) {
    return dev.maas.proto.admin.v1.Model.newBuilder()
        .setTenant(model.tenant())
        .setName(model.name())
        .setDescription(model.description())
        .setCreateTime(ProtoTime.of(model.createdAt()))
        .build();
  }

  /** The message of a version. */
  public static dev.maas.proto.admin.v1.ModelVersion toProto(ModelVersion version) {
    dev.maas.proto.admin.v1.ModelVersion.Builder proto =
        dev.maas.proto.admin.v1.ModelVersion.newBuilder()
            .setTenant(version.tenant())
            .setModel(version.model())
            .setVersion(version.version())
            .setState(toProto(version.state()))
            .setReason(version.reason())
            .setCreateTime(ProtoTime.of(version.createdAt()));
    if (version.sha256() != null) {
      proto.setSha256(version.sha256());
    }
    if (version.sizeBytes() != null) {
      proto.setSizeBytes(version.sizeBytes());
    }
    for (ModelSignature signature : version.signatures()) {
      dev.maas.proto.admin.v1.ModelSignature.Builder builder =
          dev.maas.proto.admin.v1.ModelSignature.newBuilder().setName(signature.name());
      signature.inputs().forEach(input -> builder.addInputs(toProto(input)));
      signature.outputs().forEach(output -> builder.addOutputs(toProto(output)));
      proto.addSignatures(builder);
    }
    return proto.build();
  }

  private static TensorSignature toProto(TensorSpec tensor) {
    return TensorSignature.newBuilder()
        .setName(tensor.name())
        .setDatatype(tensor.datatype())
        .addAllShape(tensor.shape())
        .build();
  }

  private static dev.maas.proto.admin.v1.VersionState toProto(VersionState state) {
    return switch (state) {
      case UPLOADING -> dev.maas.proto.admin.v1.VersionState.VERSION_STATE_UPLOADING;
      case VALIDATING -> dev.maas.proto.admin.v1.VersionState.VERSION_STATE_VALIDATING;
      case READY -> dev.maas.proto.admin.v1.VersionState.VERSION_STATE_READY;
      case FAILED -> dev.maas.proto.admin.v1.VersionState.VERSION_STATE_FAILED;
      case RETIRED -> dev.maas.proto.admin.v1.VersionState.VERSION_STATE_RETIRED;
    };
  }
}
