package dev.maas.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.controlplane.upload.TestArchives;
import dev.maas.controlplane.upload.UploadClient;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.GetModelRequest;
import dev.maas.proto.admin.v1.GetVersionRequest;
import dev.maas.proto.admin.v1.ListVersionsRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.RetireVersionRequest;
import dev.maas.proto.admin.v1.VersionState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VersionRetirementTest {

  @RegisterExtension static final ControlPlaneExtension plane = new ControlPlaneExtension();

  private static int models;

  @BeforeAll
  static void tenant() {
    plane.createTenant("acme");
  }

  private static ModelServiceGrpc.ModelServiceBlockingStub stub() {
    return ModelServiceGrpc.newBlockingStub(plane.admin());
  }

  /** A new model with versions 1 and 2 READY and 3 FAILED. */
  private static String modelWithVersions() {
    String model = "model-" + ++models;
    stub().createModel(CreateModelRequest.newBuilder().setTenant("acme").setName(model).build());
    UploadClient.upload(plane.admin(), "acme", model, TestArchives.savedModel("v1"));
    UploadClient.upload(plane.admin(), "acme", model, TestArchives.savedModel("v2"));
    UploadClient.upload(plane.admin(), "acme", model, "junk".getBytes(StandardCharsets.UTF_8));
    return model;
  }

  private static ModelVersion retire(String model, long version) {
    return stub()
        .retireVersion(
            RetireVersionRequest.newBuilder()
                .setTenant("acme")
                .setModel(model)
                .setVersion(version)
                .build())
        .getVersion();
  }

  private static Status retireFailure(String model, long version) {
    return assertThrows(StatusRuntimeException.class, () -> retire(model, version)).getStatus();
  }

  private static void deploy(String model, long defaultVersion, String trafficSplit)
      throws Exception {
    try (Connection sql = plane.sql();
        PreparedStatement insert =
            sql.prepareStatement(
                "insert into deployments (model_id, default_version, traffic_split, min_replicas,"
                    + " max_replicas, device)"
                    + " select id, ?, ?::jsonb, 1, 1, 'CPU' from models where name = ?")) {
      insert.setLong(1, defaultVersion);
      insert.setString(2, trafficSplit);
      insert.setString(3, model);
      assertThat(insert.executeUpdate()).isOne();
    }
  }

  @Test
  void versionsAreListedAndRead_lowestFirst() {
    String model = modelWithVersions();

    assertThat(
            stub()
                .listVersions(
                    ListVersionsRequest.newBuilder().setTenant("acme").setModel(model).build())
                .getVersionsList())
        .extracting(v -> v.getVersion() + ":" + v.getState())
        .containsExactly(
            "1:VERSION_STATE_READY", "2:VERSION_STATE_READY", "3:VERSION_STATE_FAILED");
    assertThat(
            stub()
                .getModel(GetModelRequest.newBuilder().setTenant("acme").setName(model).build())
                .getVersionsList())
        .extracting(ModelVersion::getVersion)
        .containsExactly(1L, 2L, 3L);
    Status missing =
        assertThrows(
                StatusRuntimeException.class,
                () ->
                    stub()
                        .getVersion(
                            GetVersionRequest.newBuilder()
                                .setTenant("acme")
                                .setModel(model)
                                .setVersion(4)
                                .build()))
            .getStatus();
    assertThat(missing.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.getDescription())
        .isEqualTo("version 4 of model '" + model + "' not found in tenant 'acme'");
  }

  @Test
  void readyVersion_isRetired_once_withAnAuditEvent() throws Exception {
    String model = modelWithVersions();

    ModelVersion retired = retire(model, 1);

    assertThat(retired.getState()).isEqualTo(VersionState.VERSION_STATE_RETIRED);
    assertThat(retire(model, 1)).isEqualTo(retired);
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement(
                "select count(*) from audit_events where action = 'version.retire'"
                    + " and target = ?")) {
      select.setString(1, model + "/1");
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        assertThat(rows.getLong(1)).isOne();
      }
    }
  }

  @Test
  void failedVersion_cannotBeRetired() {
    String model = modelWithVersions();

    Status status = retireFailure(model, 3);

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("is FAILED", "only READY versions");
  }

  @Test
  void defaultVersionOfADeployment_cannotBeRetired() throws Exception {
    String model = modelWithVersions();
    deploy(model, 2, "[]");

    Status status = retireFailure(model, 2);

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("is deployed");
    assertThat(retire(model, 1).getState()).isEqualTo(VersionState.VERSION_STATE_RETIRED);
  }

  @Test
  void versionInATrafficSplit_cannotBeRetired() throws Exception {
    String model = modelWithVersions();
    deploy(model, 2, "[{\"version\": 1, \"percent\": 10}, {\"version\": 2, \"percent\": 90}]");

    Status status = retireFailure(model, 1);

    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).contains("traffic split");
    assertThat(
            stub()
                .getVersion(
                    GetVersionRequest.newBuilder()
                        .setTenant("acme")
                        .setModel(model)
                        .setVersion(1)
                        .build())
                .getVersion()
                .getState())
        .isEqualTo(VersionState.VERSION_STATE_READY);
  }
}
