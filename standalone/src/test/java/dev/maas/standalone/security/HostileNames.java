package dev.maas.standalone.security;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import dev.maas.proto.admin.v1.AdminProto;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.DeleteDeploymentRequest;
import dev.maas.proto.admin.v1.DeleteModelRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.GetModelRequest;
import dev.maas.proto.admin.v1.GetTenantRequest;
import dev.maas.proto.admin.v1.GetVersionRequest;
import dev.maas.proto.admin.v1.ListModelsRequest;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.RetireVersionRequest;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.inference.GrpcServiceProto;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.ModelReadyResponse;
import dev.maas.proto.inference.ModelStreamInferResponse;
import dev.maas.standalone.demo.SavedModelArchive;
import dev.maas.standalone.testing.Tensors;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status.Code;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Names a caller may send to reach around tenancy or the file system: path traversal, a tenant
 * prefix, control characters, a very long name, Unicode look-alikes of the caller's own model, an
 * internal model id; and version labels of the same kinds. Every rpc that takes a name must answer
 * INVALID_ARGUMENT or NOT_FOUND (ModelReady: false; a stream message: its error).
 */
final class HostileNames {

  /** What a run of every hostile call gave. */
  record Outcome(int calls, Map<Code, Integer> codes, List<String> failures) {}

  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final Pattern TENANT_NAME = Pattern.compile("[a-z][a-z0-9-]{1,62}");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final TenantFixture caller;
  private final List<String> names;
  private final List<String> versions;
  private final Map<Code, Integer> codes = new EnumMap<>(Code.class);
  private final List<String> failures = new ArrayList<>();
  private int calls;

  /**
   * @param caller whose key asks, and whose model the look-alikes imitate
   * @param other another tenant, whose names the prefixed and internal names use
   * @param outside a path outside every data directory that traversal names aim at
   */
  HostileNames(TenantFixture caller, TenantFixture other, Path outside) {
    this.caller = caller;
    String own = caller.ledger();
    this.names =
        List.of(
            "../x",
            "..",
            ".",
            "/",
            "../../../../../../../../.." + outside,
            outside.toString(),
            "..\\x",
            "%2e%2e%2fx",
            own + "/../" + other.ledger(),
            caller.name() + "/" + own,
            other.name() + "/" + other.ledger(),
            "a\u0000b",
            own + "\u0000",
            "\n",
            own + "\n",
            own + "\t",
            " " + own,
            own + " ",
            "x".repeat(10_000),
            // Look-alikes of the caller's own model: Cyrillic a, fullwidth letters, a Unicode
            // hyphen, a zero-width space, upper case.
            "\u0430" + own.substring(1),
            "\uff41\uff4d\uff42\uff45\uff52" + own.substring(5),
            own.replace('-', '\u2010'),
            own + "\u200b",
            own.toUpperCase(java.util.Locale.ROOT),
            other.ledgerId(),
            caller.ledgerId());
    this.versions =
        List.of(
            "../1",
            "1/../1",
            "-1",
            "0",
            "1.0",
            " 1",
            "1 ",
            "1\u0000",
            "\n1",
            "\u0661",
            "\uff11",
            "\ud835\udfcf",
            "99999999999999999999",
            "0x1",
            "1e0");
  }

  List<String> names() {
    return names;
  }

  List<String> versions() {
    return versions;
  }

  /**
   * Makes every hostile call: the data plane with the caller's infer and manage key, the admin API
   * with it and with the platform admin token.
   *
   * @param admin a control-plane channel that carries the platform admin token
   */
  Outcome run(Channel gateway, Channel controlPlane, Channel admin, SavedModelArchive archive) {
    Metadata key = new Metadata();
    key.put(AUTHORIZATION, "Bearer " + caller.key(Credential.INFER_AND_MANAGE));
    String tenant = caller.name();
    for (String name : names) {
      data(gateway, key, "ModelInfer", Tensors.affine(name, "", RpcCatalog.X));
      data(gateway, key, "ModelMetadata", ModelMetadataRequest.newBuilder().setName(name).build());
      data(gateway, key, "ModelReady", ModelReadyRequest.newBuilder().setName(name).build());
      data(gateway, key, "ModelStreamInfer", Tensors.affine(name, "", RpcCatalog.X));

      Channel plane = controlPlane;
      admin(plane, key, "ModelService", "GetModel", get(tenant, name));
      admin(plane, key, "ModelService", "DeleteModel", delete(tenant, name));
      admin(plane, key, "ModelService", "GetVersion", version(tenant, name));
      admin(plane, key, "ModelService", "ListVersions", versions(tenant, name));
      admin(plane, key, "ModelService", "RetireVersion", retire(tenant, name));
      admin(plane, key, "DeploymentService", "SetDeployment", deploy(tenant, name));
      admin(plane, key, "DeploymentService", "GetDeployment", deployment(tenant, name));
      admin(plane, key, "DeploymentService", "DeleteDeployment", undeploy(tenant, name));
      upload(plane, key, tenant, name, archive);
      if (!MODEL_NAME.matcher(name).matches()) {
        admin(plane, key, "ModelService", "CreateModel", create(tenant, name));
      }

      // The name as a tenant, with the caller's key and with the admin token.
      for (Metadata credentials : List.of(key, new Metadata())) {
        plane = credentials == key ? controlPlane : admin;
        admin(plane, credentials, "TenantService", "GetTenant", tenant(name));
        admin(plane, credentials, "ModelService", "ListModels", models(name));
        admin(plane, credentials, "ModelService", "CreateModel", create(name, "made-here"));
        admin(plane, credentials, "ModelService", "GetModel", get(name, caller.ledger()));
        upload(plane, credentials, name, caller.ledger(), archive);
      }
      if (!TENANT_NAME.matcher(name).matches()) {
        admin(
            admin,
            new Metadata(),
            "TenantService",
            "CreateTenant",
            CreateTenantRequest.newBuilder().setName(name).build());
      }
    }
    for (String label : versions) {
      data(gateway, key, "ModelInfer", Tensors.affine(caller.ledger(), label, RpcCatalog.X));
      data(
          gateway,
          key,
          "ModelReady",
          ModelReadyRequest.newBuilder().setName(caller.ledger()).setVersion(label).build());
      data(
          gateway,
          key,
          "ModelMetadata",
          ModelMetadataRequest.newBuilder().setName(caller.ledger()).setVersion(label).build());
    }
    return new Outcome(calls, Map.copyOf(codes), List.copyOf(failures));
  }

  private void data(Channel gateway, Metadata key, String rpc, Message request) {
    Descriptors.MethodDescriptor method =
        GrpcServiceProto.getDescriptor()
            .findServiceByName("GRPCInferenceService")
            .findMethodByName(rpc);
    Answer answer = GenericRpc.call(gateway, method, key, List.of(request));
    record(rpc + " " + describe(request), answer, acceptableData(rpc, answer));
  }

  private static boolean acceptableData(String rpc, Answer answer) {
    if (answer.code() != Code.OK) {
      return refused(answer);
    }
    return switch (rpc) {
      case "ModelReady" -> !RpcCatalog.parse(answer, ModelReadyResponse::parseFrom).getReady();
      case "ModelStreamInfer" -> {
        ModelStreamInferResponse response =
            RpcCatalog.parse(answer, ModelStreamInferResponse::parseFrom);
        yield !response.getErrorMessage().isEmpty()
            && response.getInferResponse().getOutputsCount() == 0;
      }
      default -> false;
    };
  }

  private void admin(
      Channel channel, Metadata credentials, String service, String rpc, Message request) {
    Descriptors.MethodDescriptor method =
        AdminProto.getDescriptor().findServiceByName(service).findMethodByName(rpc);
    Answer answer = GenericRpc.call(channel, method, credentials, List.of(request));
    record(service + "/" + rpc + " " + describe(request), answer, refused(answer));
  }

  private void upload(
      Channel channel,
      Metadata credentials,
      String tenant,
      String model,
      SavedModelArchive archive) {
    Descriptors.MethodDescriptor method =
        AdminProto.getDescriptor()
            .findServiceByName("ModelService")
            .findMethodByName("UploadVersion");
    List<UploadVersionRequest> parts =
        List.of(
            UploadVersionRequest.newBuilder()
                .setStart(UploadVersionRequest.Start.newBuilder().setTenant(tenant).setModel(model))
                .build(),
            UploadVersionRequest.newBuilder()
                .setChunk(ByteString.copyFrom(archive.bytes()))
                .build(),
            UploadVersionRequest.newBuilder()
                .setFinish(
                    UploadVersionRequest.Finish.newBuilder()
                        .setSha256(archive.sha256())
                        .setSizeBytes(archive.bytes().length))
                .build());
    Answer answer = GenericRpc.call(channel, method, credentials, parts);
    record("UploadVersion " + describe(parts.get(0)), answer, refused(answer));
  }

  private static boolean refused(Answer answer) {
    return answer.code() == Code.INVALID_ARGUMENT || answer.code() == Code.NOT_FOUND;
  }

  private void record(String call, Answer answer, boolean acceptable) {
    calls++;
    codes.merge(answer.code(), 1, Integer::sum);
    if (!acceptable) {
      failures.add(call + " -> " + answer);
    }
  }

  private static String describe(Message request) {
    String text = com.google.protobuf.TextFormat.shortDebugString(request);
    return text.length() > 160 ? text.substring(0, 160) + "..." : text;
  }

  private static Message get(String tenant, String name) {
    return GetModelRequest.newBuilder().setTenant(tenant).setName(name).build();
  }

  private static Message delete(String tenant, String name) {
    return DeleteModelRequest.newBuilder().setTenant(tenant).setName(name).build();
  }

  private static Message create(String tenant, String name) {
    return CreateModelRequest.newBuilder().setTenant(tenant).setName(name).build();
  }

  private static Message version(String tenant, String name) {
    return GetVersionRequest.newBuilder().setTenant(tenant).setModel(name).setVersion(1).build();
  }

  private static Message versions(String tenant, String name) {
    return ListVersionsRequest.newBuilder().setTenant(tenant).setModel(name).build();
  }

  private static Message retire(String tenant, String name) {
    return RetireVersionRequest.newBuilder().setTenant(tenant).setModel(name).setVersion(1).build();
  }

  private static Message deploy(String tenant, String name) {
    return SetDeploymentRequest.newBuilder()
        .setDeployment(
            Deployment.newBuilder()
                .setTenant(tenant)
                .setModel(name)
                .setDefaultVersion(1)
                .setMinReplicas(1))
        .build();
  }

  private static Message deployment(String tenant, String name) {
    return GetDeploymentRequest.newBuilder().setTenant(tenant).setModel(name).build();
  }

  private static Message undeploy(String tenant, String name) {
    return DeleteDeploymentRequest.newBuilder().setTenant(tenant).setModel(name).build();
  }

  private static Message tenant(String name) {
    return GetTenantRequest.newBuilder().setName(name).build();
  }

  private static Message models(String tenant) {
    return ListModelsRequest.newBuilder().setTenant(tenant).build();
  }
}
