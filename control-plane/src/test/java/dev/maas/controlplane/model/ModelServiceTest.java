package dev.maas.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.controlplane.upload.TestArchives;
import dev.maas.controlplane.upload.UploadClient;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.DeleteModelRequest;
import dev.maas.proto.admin.v1.GetModelRequest;
import dev.maas.proto.admin.v1.GetModelResponse;
import dev.maas.proto.admin.v1.ListModelsRequest;
import dev.maas.proto.admin.v1.Model;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.Quota;
import dev.maas.proto.admin.v1.QuotaServiceGrpc;
import dev.maas.proto.admin.v1.SetQuotaRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ModelServiceTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  @BeforeAll
  static void tenants() {
    plane.createTenant("acme");
    plane.createTenant("small");
  }

  private static ModelServiceGrpc.ModelServiceBlockingStub models() {
    return ModelServiceGrpc.newBlockingStub(plane.admin());
  }

  private static Model create(String tenant, String name) {
    return models()
        .createModel(
            CreateModelRequest.newBuilder()
                .setTenant(tenant)
                .setName(name)
                .setDescription("about " + name)
                .build())
        .getModel();
  }

  private static Status failure(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus();
  }

  @Test
  void createdModel_isReadListedAndDeleted_withAuditEvents() throws Exception {
    Model created = create("acme", "mnist");
    create("acme", "alpha");

    GetModelResponse got =
        models().getModel(GetModelRequest.newBuilder().setTenant("acme").setName("mnist").build());
    assertThat(got.getModel()).isEqualTo(created);
    assertThat(created.getDescription()).isEqualTo("about mnist");
    assertThat(got.getVersionsList()).isEmpty();
    assertThat(got.hasDeployment()).isFalse();
    assertThat(
            models()
                .listModels(ListModelsRequest.newBuilder().setTenant("acme").build())
                .getModelsList())
        .extracting(Model::getName)
        .containsSubsequence("alpha", "mnist");

    models()
        .deleteModel(DeleteModelRequest.newBuilder().setTenant("acme").setName("mnist").build());

    Status missing =
        failure(
            () ->
                models()
                    .getModel(
                        GetModelRequest.newBuilder().setTenant("acme").setName("mnist").build()));
    assertThat(missing.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.getDescription()).isEqualTo("model 'mnist' not found in tenant 'acme'");
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement(
                "select action from audit_events where tenant = 'acme' and target = 'mnist'"
                    + " order by id");
        ResultSet rows = select.executeQuery()) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("model.create");
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("model.delete");
    }
  }

  @Test
  void duplicateName_isAlreadyExists() {
    create("acme", "dup");

    Status status = failure(() -> create("acme", "dup"));

    assertThat(status.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(status.getDescription()).contains("'dup'", "'acme'");
  }

  @Test
  void namesFollowThePattern() {
    assertThat(create("acme", "A1.b_c-d").getName()).isEqualTo("A1.b_c-d");
    assertThat(create("acme", "x".repeat(128)).getName()).hasSize(128);
    for (String bad :
        new String[] {"", "-lead", ".hidden", "has space", "sl/ash", "x".repeat(129)}) {
      Status status = failure(() -> create("acme", bad));
      assertThat(status.getCode()).as(bad).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void modelInAMissingTenant_isNotFound() {
    Status status = failure(() -> create("nosuch", "m"));

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).isEqualTo("tenant 'nosuch' not found");
  }

  @Test
  void maxModelsQuota_isResourceExhausted() {
    QuotaServiceGrpc.newBlockingStub(plane.admin())
        .setQuota(
            SetQuotaRequest.newBuilder()
                .setTenant("small")
                .setQuota(Quota.newBuilder().setMaxModels(2))
                .build());
    create("small", "one");
    create("small", "two");

    Status status = failure(() -> create("small", "three"));

    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).contains("max_models", "(2)");
    models().deleteModel(DeleteModelRequest.newBuilder().setTenant("small").setName("one").build());
    assertThat(create("small", "three").getName()).isEqualTo("three");
  }

  @Test
  void deployedModel_cannotBeDeleted() throws Exception {
    Model model = create("acme", "deployed");
    long id = modelId("deployed");
    try (Connection sql = plane.sql();
        PreparedStatement insert =
            sql.prepareStatement(
                "insert into deployments (model_id, default_version, min_replicas, max_replicas,"
                    + " device) values (?, 1, 1, 1, 'CPU')")) {
      insert.setLong(1, id);
      insert.executeUpdate();
    }

    Status status =
        failure(
            () ->
                models()
                    .deleteModel(
                        DeleteModelRequest.newBuilder()
                            .setTenant("acme")
                            .setName("deployed")
                            .build()));

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("deployed", "delete its deployment first");
    GetModelResponse got =
        models()
            .getModel(GetModelRequest.newBuilder().setTenant("acme").setName("deployed").build());
    assertThat(got.getModel()).isEqualTo(model);
    assertThat(got.hasDeployment()).isTrue();
    assertThat(got.getDeployment().getDefaultVersion()).isEqualTo(1);
    assertThat(got.getDeployment().getModel()).isEqualTo("deployed");
  }

  @Test
  void deletingAModel_deletesTheArtifactsOnlyItUsed() throws Exception {
    create("acme", "shared-1");
    create("acme", "shared-2");
    byte[] shared = TestArchives.savedModel("shared");
    byte[] own = TestArchives.savedModel("own");
    ModelVersion sharedVersion = UploadClient.upload(plane.admin(), "acme", "shared-1", shared);
    ModelVersion ownVersion = UploadClient.upload(plane.admin(), "acme", "shared-1", own);
    UploadClient.upload(plane.admin(), "acme", "shared-2", shared);
    Path artifacts = plane.dataDir().resolve("artifacts").resolve("acme");
    assertThat(artifacts.resolve(ownVersion.getSha256())).exists();

    models()
        .deleteModel(DeleteModelRequest.newBuilder().setTenant("acme").setName("shared-1").build());

    assertThat(artifacts.resolve(ownVersion.getSha256())).doesNotExist();
    assertThat(artifacts.resolve(sharedVersion.getSha256())).exists();
    assertThat(artifactRows(ownVersion.getSha256())).isZero();
    assertThat(artifactRows(sharedVersion.getSha256())).isOne();
  }

  private static long artifactRows(String sha256) throws Exception {
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement("select count(*) from artifacts where sha256 = ?")) {
      select.setString(1, sha256);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  static long modelId(String name) throws Exception {
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement("select id from models where tenant = 'acme' and name = ?")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getLong(1);
      }
    }
  }
}
