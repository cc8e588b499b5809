package dev.maas.standalone.security;

import static dev.maas.standalone.security.RpcCase.Preparation.DEPLOYED_DRAFT;
import static dev.maas.standalone.security.RpcCase.Preparation.DRAFT_VERSION;
import static dev.maas.standalone.security.RpcCase.Preparation.FRESH_KEY;
import static dev.maas.standalone.security.RpcCase.Preparation.FRESH_NAME;
import static dev.maas.standalone.security.RpcCase.Preparation.NONE;
import static dev.maas.standalone.security.RpcCase.Preparation.SCRATCH_MODEL;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.maas.proto.admin.v1.AdminProto;
import dev.maas.proto.admin.v1.CreateApiKeyRequest;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.CreateTenantRequest;
import dev.maas.proto.admin.v1.DeleteDeploymentRequest;
import dev.maas.proto.admin.v1.DeleteModelRequest;
import dev.maas.proto.admin.v1.DeleteTenantRequest;
import dev.maas.proto.admin.v1.Deployment;
import dev.maas.proto.admin.v1.Device;
import dev.maas.proto.admin.v1.GetDeploymentRequest;
import dev.maas.proto.admin.v1.GetModelRequest;
import dev.maas.proto.admin.v1.GetQuotaRequest;
import dev.maas.proto.admin.v1.GetTenantRequest;
import dev.maas.proto.admin.v1.GetUsageRequest;
import dev.maas.proto.admin.v1.GetVersionRequest;
import dev.maas.proto.admin.v1.ListApiKeysRequest;
import dev.maas.proto.admin.v1.ListAuditEventsRequest;
import dev.maas.proto.admin.v1.ListModelsRequest;
import dev.maas.proto.admin.v1.ListTenantsRequest;
import dev.maas.proto.admin.v1.ListTenantsResponse;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.ListWorkersRequest;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.ResumeTenantRequest;
import dev.maas.proto.admin.v1.RetireVersionRequest;
import dev.maas.proto.admin.v1.RevokeApiKeyRequest;
import dev.maas.proto.admin.v1.Scope;
import dev.maas.proto.admin.v1.SetDeploymentRequest;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import dev.maas.proto.admin.v1.SuspendTenantRequest;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.inference.GrpcServiceProto;
import dev.maas.proto.inference.ModelInferResponse;
import dev.maas.proto.inference.ModelMetadataRequest;
import dev.maas.proto.inference.ModelMetadataResponse;
import dev.maas.proto.inference.ModelReadyRequest;
import dev.maas.proto.inference.ModelReadyResponse;
import dev.maas.proto.inference.ModelStatisticsRequest;
import dev.maas.proto.inference.ModelStreamInferResponse;
import dev.maas.proto.inference.RepositoryIndexRequest;
import dev.maas.proto.inference.RepositoryIndexResponse;
import dev.maas.proto.inference.ServerLiveRequest;
import dev.maas.proto.inference.ServerMetadataRequest;
import dev.maas.proto.inference.ServerMetadataResponse;
import dev.maas.proto.inference.ServerReadyRequest;
import dev.maas.standalone.demo.SavedModelArchive;
import dev.maas.standalone.testing.Tensors;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Every rpc tenants can reach, classified for the isolation matrix: the data plane as the gateway
 * serves it ({@code inference.GRPCInferenceService}) and every service of {@code admin.proto}. An
 * rpc that appears in a descriptor but not here is reported as unclassified, so a new rpc cannot
 * slip past the matrix.
 */
final class RpcCatalog {

  /** The input of every ModelInfer of the matrix. */
  static final float[] X = {1f, 2f, 3f, 4f};

  private static final Set<Target.Kind> NO_NAMES = EnumSet.of(Target.Kind.OWN);
  private static final Set<Target.Kind> MODEL_NAMES =
      EnumSet.of(
          Target.Kind.OWN,
          Target.Kind.OTHER_NAME,
          Target.Kind.ABSENT_NAME,
          Target.Kind.INTERNAL_ID);
  private static final Set<Target.Kind> TENANT_NAMES =
      EnumSet.of(Target.Kind.OWN, Target.Kind.OTHER_TENANT, Target.Kind.ABSENT_TENANT);
  private static final Set<Target.Kind> TENANT_AND_THING_NAMES =
      EnumSet.of(
          Target.Kind.OWN,
          Target.Kind.OTHER_TENANT,
          Target.Kind.ABSENT_TENANT,
          Target.Kind.OTHER_NAME,
          Target.Kind.ABSENT_NAME);

  private final SavedModelArchive archive;
  private final Device device;
  private final Map<String, RpcCase> cases = new LinkedHashMap<>();

  /**
   * @param archive what UploadVersion sends
   * @param device the device SetDeployment asks for
   */
  RpcCatalog(SavedModelArchive archive, Device device) {
    this.archive = archive;
    this.device = device;
    dataPlane();
    admin();
  }

  /** The data plane's rpcs, from the generated descriptor. */
  static List<Descriptors.MethodDescriptor> dataPlaneMethods() {
    return GrpcServiceProto.getDescriptor().findServiceByName("GRPCInferenceService").getMethods();
  }

  /** Every rpc of every service in admin.proto, from the generated descriptor. */
  static List<Descriptors.MethodDescriptor> adminMethods() {
    List<Descriptors.MethodDescriptor> methods = new ArrayList<>();
    AdminProto.getDescriptor().getServices().forEach(s -> methods.addAll(s.getMethods()));
    return methods;
  }

  /** The case of the rpc of this full name, or null when it is not classified. */
  RpcCase find(String fullName) {
    return cases.get(fullName);
  }

  // ---------------------------------------------------------------------------------------------

  private void dataPlane() {
    data("ServerLive", Rule.OPEN, NO_NAMES, t -> ServerLiveRequest.getDefaultInstance(), null);
    data("ServerReady", Rule.OPEN, NO_NAMES, t -> ServerReadyRequest.getDefaultInstance(), null);
    data(
        "ServerMetadata",
        Rule.TENANT_LOCAL,
        NO_NAMES,
        t -> ServerMetadataRequest.getDefaultInstance(),
        (answer, caller) -> {
          String name = parse(answer, ServerMetadataResponse::parseFrom).getName();
          return name.equals("maas-gateway") ? null : "server name " + name;
        });
    data(
        "RepositoryIndex",
        Rule.TENANT_LOCAL,
        NO_NAMES,
        t -> RepositoryIndexRequest.getDefaultInstance(),
        (answer, caller) -> {
          Set<String> names = new java.util.TreeSet<>();
          parse(answer, RepositoryIndexResponse::parseFrom)
              .getModelsList()
              .forEach(m -> names.add(m.getName()));
          // The draft is listed while a DeleteDeployment case has it deployed.
          return names.containsAll(Set.of(caller.ledger(), TenantFixture.SHARED))
                  && Set.of(caller.ledger(), TenantFixture.SHARED, caller.draft())
                      .containsAll(names)
              ? null
              : "index of " + names;
        });
    cases.put(
        name("ModelReady"),
        new RpcCase(
            dataMethod("ModelReady"),
            Rule.MODEL_READY,
            MODEL_NAMES,
            t -> List.of(ModelReadyRequest.newBuilder().setName(t.model()).build()),
            NONE,
            (answer, caller) ->
                parse(answer, ModelReadyResponse::parseFrom).getReady() ? null : "not ready",
            answer ->
                parse(answer, ModelReadyResponse::parseFrom).getReady()
                    ? "ready, for a model not the caller's"
                    : null));
    data(
        "ModelMetadata",
        Rule.MODEL,
        MODEL_NAMES,
        t -> ModelMetadataRequest.newBuilder().setName(t.model()).build(),
        (answer, caller) -> {
          String name = parse(answer, ModelMetadataResponse::parseFrom).getName();
          return name.equals(caller.ledger()) ? null : "metadata of " + name;
        });
    data(
        "ModelInfer",
        Rule.MODEL,
        MODEL_NAMES,
        t -> Tensors.affine(t.model(), "", X),
        (answer, caller) -> checkAffine(parse(answer, ModelInferResponse::parseFrom), caller));
    cases.put(
        name("ModelStreamInfer"),
        new RpcCase(
            dataMethod("ModelStreamInfer"),
            Rule.MODEL_STREAM,
            MODEL_NAMES,
            t -> List.of(Tensors.affine(t.model(), "", X)),
            NONE,
            (answer, caller) -> {
              ModelStreamInferResponse response =
                  parse(answer, ModelStreamInferResponse::parseFrom);
              return response.getErrorMessage().isEmpty()
                  ? checkAffine(response.getInferResponse(), caller)
                  : "stream error " + response.getErrorMessage();
            },
            answer -> {
              ModelStreamInferResponse response =
                  parse(answer, ModelStreamInferResponse::parseFrom);
              return response.getErrorMessage().isEmpty()
                      || response.getInferResponse().getOutputsCount() > 0
                  ? "an answer for a model not the caller's"
                  : null;
            }));
    data(
        "ModelStatistics",
        Rule.NOT_SERVED,
        MODEL_NAMES,
        t -> ModelStatisticsRequest.newBuilder().setName(t.model()).build(),
        null);
  }

  private void admin() {
    adminCase(
        "TenantService",
        "CreateTenant",
        Rule.ADMIN_ONLY,
        TENANT_NAMES,
        NONE,
        t -> CreateTenantRequest.newBuilder().setName(t.tenant()).build());
    adminCase(
        "TenantService",
        "GetTenant",
        Rule.TENANT,
        TENANT_NAMES,
        NONE,
        t -> GetTenantRequest.newBuilder().setName(t.tenant()).build());
    cases.put(
        "maas.admin.v1.TenantService/ListTenants",
        new RpcCase(
            adminMethod("TenantService", "ListTenants"),
            Rule.OWN_TENANT_LIST,
            NO_NAMES,
            t -> List.of(ListTenantsRequest.getDefaultInstance()),
            NONE,
            (answer, caller) -> {
              List<String> names =
                  parse(answer, ListTenantsResponse::parseFrom).getTenantsList().stream()
                      .map(dev.maas.proto.admin.v1.Tenant::getName)
                      .toList();
              return names.equals(List.of(caller.name())) ? null : "tenants " + names;
            },
            null));
    adminCase(
        "TenantService",
        "SuspendTenant",
        Rule.ADMIN_ONLY,
        TENANT_NAMES,
        NONE,
        t -> SuspendTenantRequest.newBuilder().setName(t.tenant()).build());
    adminCase(
        "TenantService",
        "ResumeTenant",
        Rule.ADMIN_ONLY,
        TENANT_NAMES,
        NONE,
        t -> ResumeTenantRequest.newBuilder().setName(t.tenant()).build());
    adminCase(
        "TenantService",
        "DeleteTenant",
        Rule.ADMIN_ONLY,
        TENANT_NAMES,
        NONE,
        t -> DeleteTenantRequest.newBuilder().setName(t.tenant()).build());

    adminCase(
        "ApiKeyService",
        "CreateApiKey",
        Rule.TENANT,
        TENANT_NAMES,
        NONE,
        t ->
            CreateApiKeyRequest.newBuilder()
                .setTenant(t.tenant())
                .addScopes(Scope.SCOPE_INFER)
                .build());
    adminCase(
        "ApiKeyService",
        "ListApiKeys",
        Rule.TENANT,
        TENANT_NAMES,
        NONE,
        t -> ListApiKeysRequest.newBuilder().setTenant(t.tenant()).build());
    adminCase(
        "ApiKeyService",
        "RevokeApiKey",
        Rule.TENANT,
        TENANT_AND_THING_NAMES,
        FRESH_KEY,
        t -> RevokeApiKeyRequest.newBuilder().setTenant(t.tenant()).setKeyId(t.keyId()).build());

    adminCase(
        "QuotaService",
        "GetQuota",
        Rule.TENANT,
        TENANT_NAMES,
        NONE,
        t -> GetQuotaRequest.newBuilder().setTenant(t.tenant()).build());
    adminCase(
        "QuotaService",
        "SetQuota",
        Rule.ADMIN_ONLY,
        TENANT_NAMES,
        NONE,
        t ->
            SetQuotaRequest.newBuilder()
                .setTenant(t.tenant())
                .setQuota(Quota.newBuilder().setRequestsPerSecond(1e6).setBurst(1_000_000))
                .build());

    adminCase(
        "ModelService",
        "CreateModel",
        Rule.TENANT,
        TENANT_NAMES,
        FRESH_NAME,
        t -> CreateModelRequest.newBuilder().setTenant(t.tenant()).setName(t.fresh()).build());
    adminCase(
        "ModelService",
        "GetModel",
        Rule.TENANT,
        TENANT_AND_THING_NAMES,
        NONE,
        t -> GetModelRequest.newBuilder().setTenant(t.tenant()).setName(t.model()).build());
    adminCase(
        "ModelService",
        "ListModels",
        Rule.TENANT,
        TENANT_NAMES,
        NONE,
        t -> ListModelsRequest.newBuilder().setTenant(t.tenant()).build());
    adminCase(
        "ModelService",
        "DeleteModel",
        Rule.TENANT,
        TENANT_AND_THING_NAMES,
        SCRATCH_MODEL,
        t -> DeleteModelRequest.newBuilder().setTenant(t.tenant()).setName(t.draft()).build());
    cases.put(
        "maas.admin.v1.ModelService/UploadVersion",
        new RpcCase(
            adminMethod("ModelService", "UploadVersion"),
            Rule.TENANT,
            TENANT_AND_THING_NAMES,
            this::upload,
            NONE,
            RpcCatalog::onlyCallersTenant,
            null));
    adminCase(
        "ModelService",
        "GetVersion",
        Rule.TENANT,
        TENANT_AND_THING_NAMES,
        NONE,
        t ->
            GetVersionRequest.newBuilder()
                .setTenant(t.tenant())
                .setModel(t.draft())
                .setVersion(t.version())
                .build());
    adminCase(
        "ModelService",
        "ListVersions",
        Rule.TENANT,
        TENANT_AND_THING_NAMES,
        NONE,
        t -> ListVersionsRequest.newBuilder().setTenant(t.tenant()).setModel(t.draft()).build());
    adminCase(
        "ModelService",
        "RetireVersion",
        Rule.TENANT,
        TENANT_AND_THING_NAMES,
        DRAFT_VERSION,
        t ->
            RetireVersionRequest.newBuilder()
                .setTenant(t.tenant())
                .setModel(t.draft())
                .setVersion(t.version())
                .build());

    adminCase(
        "DeploymentService",
        "SetDeployment",
        Rule.TENANT,
        TENANT_AND_THING_NAMES,
        NONE,
        t ->
            SetDeploymentRequest.newBuilder()
                .setDeployment(
                    Deployment.newBuilder()
                        .setTenant(t.tenant())
                        .setModel(t.model())
                        .setDefaultVersion(1)
                        .setMinReplicas(1)
                        .setDevice(device)
                        // Another tenant's deployment would visibly change were this ever taken.
                        .setRateLimitRps(t.kind() == Target.Kind.OWN ? 0 : 4242))
                .build());
    adminCase(
        "DeploymentService",
        "GetDeployment",
        Rule.TENANT,
        TENANT_AND_THING_NAMES,
        NONE,
        t -> GetDeploymentRequest.newBuilder().setTenant(t.tenant()).setModel(t.model()).build());
    adminCase(
        "DeploymentService",
        "DeleteDeployment",
        Rule.TENANT,
        TENANT_AND_THING_NAMES,
        DEPLOYED_DRAFT,
        t ->
            DeleteDeploymentRequest.newBuilder().setTenant(t.tenant()).setModel(t.model()).build());

    adminCase(
        "UsageService",
        "GetUsage",
        Rule.TENANT_FILTER,
        TENANT_AND_THING_NAMES,
        NONE,
        t -> GetUsageRequest.newBuilder().setTenant(t.tenant()).setModel(t.model()).build());
    adminCase(
        "WorkerService",
        "ListWorkers",
        Rule.ADMIN_ONLY,
        NO_NAMES,
        NONE,
        t -> ListWorkersRequest.getDefaultInstance());
    adminCase(
        "AuditService",
        "ListAuditEvents",
        Rule.TENANT,
        TENANT_NAMES,
        NONE,
        t -> ListAuditEventsRequest.newBuilder().setTenant(t.tenant()).setLimit(500).build());
  }

  private List<UploadVersionRequest> upload(Target t) {
    return List.of(
        UploadVersionRequest.newBuilder()
            .setStart(
                UploadVersionRequest.Start.newBuilder().setTenant(t.tenant()).setModel(t.draft()))
            .build(),
        UploadVersionRequest.newBuilder().setChunk(ByteString.copyFrom(archive.bytes())).build(),
        UploadVersionRequest.newBuilder()
            .setFinish(
                UploadVersionRequest.Finish.newBuilder()
                    .setSha256(archive.sha256())
                    .setSizeBytes(archive.bytes().length))
            .build());
  }

  // ---------------------------------------------------------------------------------------------

  private void data(
      String rpc,
      Rule rule,
      Set<Target.Kind> targets,
      Function<Target, Message> request,
      BiFunction<Answer, TenantFixture, String> ownCheck) {
    cases.put(
        name(rpc),
        new RpcCase(
            dataMethod(rpc), rule, targets, t -> List.of(request.apply(t)), NONE, ownCheck, null));
  }

  private void adminCase(
      String service,
      String rpc,
      Rule rule,
      Set<Target.Kind> targets,
      RpcCase.Preparation preparation,
      Function<Target, Message> request) {
    cases.put(
        "maas.admin.v1." + service + "/" + rpc,
        new RpcCase(
            adminMethod(service, rpc),
            rule,
            targets,
            t -> List.of(request.apply(t)),
            preparation,
            RpcCatalog::onlyCallersTenant,
            null));
  }

  /** Every {@code tenant} field anywhere in an admin answer names the caller's tenant. */
  private static String onlyCallersTenant(Answer answer, TenantFixture caller) {
    List<String> tenants = new ArrayList<>();
    answer.messages().forEach(m -> collectTenants(m, tenants));
    List<String> others = tenants.stream().filter(t -> !t.equals(caller.name())).toList();
    return others.isEmpty() ? null : "tenant fields " + others;
  }

  private static void collectTenants(Message message, List<String> tenants) {
    message
        .getAllFields()
        .forEach(
            (field, value) -> {
              if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                List<?> values = field.isRepeated() ? (List<?>) value : List.of(value);
                values.forEach(v -> collectTenants((Message) v, tenants));
              } else if (field.getName().equals("tenant")) {
                tenants.add(String.valueOf(value));
              }
            });
  }

  private static String checkAffine(ModelInferResponse response, TenantFixture caller) {
    List<Float> expected = new ArrayList<>();
    for (float x : X) {
      expected.add(caller.scale() * x + caller.offset());
    }
    List<Float> y = Tensors.output(response, "y");
    if (!y.equals(expected)) {
      return "y = " + y + ", expected " + expected;
    }
    return response.getModelName().equals(caller.ledger())
        ? null
        : "answer names model " + response.getModelName();
  }

  /** A parser of one message type, as the generated {@code parseFrom(ByteString)} is. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(ByteString bytes) throws InvalidProtocolBufferException;
  }

  /** The answer's single message as {@code T}. */
  static <T> T parse(Answer answer, Parser<T> parser) {
    if (answer.messages().size() != 1) {
      throw new AssertionError("expected one message, got " + answer);
    }
    try {
      return parser.parse(answer.messages().get(0).toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("unparsable answer " + answer, e);
    }
  }

  private static String name(String dataRpc) {
    return "inference.GRPCInferenceService/" + dataRpc;
  }

  private static Descriptors.MethodDescriptor dataMethod(String rpc) {
    return GrpcServiceProto.getDescriptor()
        .findServiceByName("GRPCInferenceService")
        .findMethodByName(rpc);
  }

  private static Descriptors.MethodDescriptor adminMethod(String service, String rpc) {
    return AdminProto.getDescriptor().findServiceByName(service).findMethodByName(rpc);
  }
}
