package dev.maas.controlplane.upload;

import static dev.maas.controlplane.upload.UploadClient.chunk;
import static dev.maas.controlplane.upload.UploadClient.finish;
import static dev.maas.controlplane.upload.UploadClient.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.maas.controlplane.testing.ControlPlaneExtension;
import dev.maas.proto.admin.v1.CreateModelRequest;
import dev.maas.proto.admin.v1.GetVersionRequest;
import dev.maas.proto.admin.v1.ModelServiceGrpc;
import dev.maas.proto.admin.v1.ModelSignature;
import dev.maas.proto.admin.v1.ModelVersion;
import dev.maas.proto.admin.v1.TensorSignature;
import dev.maas.proto.admin.v1.UploadVersionRequest;
import dev.maas.proto.admin.v1.VersionState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorflow.proto.DataType;

class UploadVersionTest {

  @RegisterExtension
  static final ControlPlaneExtension plane =
      new ControlPlaneExtension().with("maas.upload.instance-id", "replica-a");

  private static int models;

  @BeforeAll
  static void tenant() {
    plane.createTenant("acme");
  }

  @AfterEach
  void noUploadFileIsLeft() throws Exception {
    Path uploads = plane.dataDir().resolve("uploads");
    if (Files.isDirectory(uploads)) {
      try (Stream<Path> files = Files.walk(uploads)) {
        assertThat(files.filter(Files::isRegularFile)).isEmpty();
      }
    }
  }

  private static String newModel() {
    String name = "model-" + ++models;
    ModelServiceGrpc.newBlockingStub(plane.admin())
        .createModel(CreateModelRequest.newBuilder().setTenant("acme").setName(name).build());
    return name;
  }

  private static ModelVersion upload(String model, byte[] archive) {
    return UploadClient.upload(plane.admin(), "acme", model, archive);
  }

  @Test
  void savedModelUpload_isReady_withItsSignaturesRecorded() throws Exception {
    String model = newModel();
    byte[] archive = TestArchives.savedModel();

    ModelVersion version = upload(model, archive);

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_READY);
    assertThat(version.getVersion()).isEqualTo(1);
    assertThat(version.getReason()).isEmpty();
    assertThat(version.getSha256()).isEqualTo(TestArchives.sha256(archive));
    assertThat(version.getSizeBytes()).isEqualTo(archive.length);
    assertThat(version.getSignaturesList())
        .containsExactly(
            ModelSignature.newBuilder()
                .setName("serving_default")
                .addInputs(
                    TensorSignature.newBuilder()
                        .setName("x")
                        .setDatatype("FP32")
                        .addShape(-1)
                        .addShape(784))
                .addOutputs(
                    TensorSignature.newBuilder()
                        .setName("probabilities")
                        .setDatatype("FP32")
                        .addShape(-1)
                        .addShape(10))
                .build());
    assertThat(
            ModelServiceGrpc.newBlockingStub(plane.admin())
                .getVersion(
                    GetVersionRequest.newBuilder()
                        .setTenant("acme")
                        .setModel(model)
                        .setVersion(1)
                        .build())
                .getVersion())
        .isEqualTo(version);
    try (Connection sql = plane.sql();
        PreparedStatement select =
            sql.prepareStatement(
                "select v.signatures::text, v.upload_owner from model_versions v"
                    + " join models m on m.id = v.model_id where m.name = ?")) {
      select.setString(1, model);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1))
            .contains("\"name\": \"serving_default\"", "\"datatype\": \"FP32\"", "[-1, 784]");
        assertThat(rows.getString(2)).isNull();
      }
    }
  }

  @Test
  void everyDtypeTheWorkerServes_isMappedToItsProtocolName_andInitOpsAreSkipped() {
    String model = newModel();
    byte[] archive =
        TestArchives.savedModelTar(
            TestArchives.savedModel(
                List.of("serve"),
                Map.of(
                    "all_types",
                    TestArchives.signature(
                        Map.of(
                            "f64", TestArchives.tensor(DataType.DT_DOUBLE, 2),
                            "i8", TestArchives.tensor(DataType.DT_INT8),
                            "i16", TestArchives.tensor(DataType.DT_INT16, -1),
                            "i32", TestArchives.tensor(DataType.DT_INT32, 1, 2, 3),
                            "i64", TestArchives.tensor(DataType.DT_INT64, -1, -1),
                            "u8", TestArchives.tensor(DataType.DT_UINT8, 28, 28)),
                        Map.of(
                            "b", TestArchives.tensor(DataType.DT_BOOL, -1),
                            "s", TestArchives.tensor(DataType.DT_STRING, -1))),
                    "__saved_model_init_op",
                    TestArchives.signature(Map.of(), Map.of()))),
            "");

    ModelVersion version = upload(model, archive);

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_READY);
    assertThat(version.getSignaturesList())
        .extracting(ModelSignature::getName)
        .containsExactly("all_types");
    ModelSignature signature = version.getSignatures(0);
    assertThat(signature.getInputsList())
        .extracting(t -> t.getName() + ":" + t.getDatatype() + ":" + t.getShapeList())
        .containsExactly(
            "f64:FP64:[2]",
            "i16:INT16:[-1]",
            "i32:INT32:[1, 2, 3]",
            "i64:INT64:[-1, -1]",
            "i8:INT8:[]",
            "u8:UINT8:[28, 28]");
    assertThat(signature.getOutputsList())
        .extracting(t -> t.getName() + ":" + t.getDatatype())
        .containsExactly("b:BOOL", "s:BYTES");
  }

  @Test
  void versionsAreNumberedUpFromOne_perModel_failedOnesIncluded() {
    String model = newModel();
    byte[] archive = TestArchives.savedModel();

    assertThat(upload(model, archive).getVersion()).isEqualTo(1);
    assertThat(upload(model, "not a tar".getBytes(StandardCharsets.UTF_8)).getVersion())
        .isEqualTo(2);
    assertThat(upload(model, archive).getVersion()).isEqualTo(3);
    assertThat(upload(newModel(), archive).getVersion()).isEqualTo(1);
  }

  @Test
  void wrongChecksum_failsTheVersion() {
    String model = newModel();
    byte[] archive = TestArchives.savedModel();
    String wrong = TestArchives.sha256(new byte[] {1});

    ModelVersion version =
        UploadClient.upload(plane.admin(), "acme", model, archive, wrong, archive.length);

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(version.getReason())
        .contains("SHA-256 mismatch", wrong, TestArchives.sha256(archive));
    assertThat(version.getSignaturesList()).isEmpty();
  }

  @Test
  void wrongSize_failsTheVersion() {
    String model = newModel();
    byte[] archive = TestArchives.savedModel();

    ModelVersion version =
        UploadClient.upload(
            plane.admin(),
            "acme",
            model,
            archive,
            TestArchives.sha256(archive),
            archive.length + 1);

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(version.getReason())
        .contains(
            "size mismatch", String.valueOf(archive.length + 1), String.valueOf(archive.length));
  }

  @Test
  void randomBytes_areNotASavedModel() {
    byte[] random = new byte[100_000];
    new Random(7).nextBytes(random);

    ModelVersion version = upload(newModel(), random);

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(version.getReason()).contains("not a valid tar archive");
  }

  @Test
  void tarWithoutSavedModelPb_isNotASavedModel() {
    byte[] archive =
        TestArchives.tar()
            .directory("variables/")
            .file("variables/variables.index", new byte[10])
            .file("model/saved_model.pb", TestArchives.servingModel().toByteArray())
            .build();

    ModelVersion version = upload(newModel(), archive);

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(version.getReason()).contains("no saved_model.pb at its root");
  }

  @Test
  void savedModelPbThatIsNotAProtocolBuffer_fails() {
    byte[] archive =
        TestArchives.tar()
            .file("saved_model.pb", "hello, not a protobuf".getBytes(StandardCharsets.UTF_8))
            .build();

    ModelVersion version = upload(newModel(), archive);

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(version.getReason()).contains("saved_model.pb is not a SavedModel");
  }

  @Test
  void savedModelWithoutServeGraph_orWithoutSignatures_fails() {
    byte[] noServe =
        TestArchives.savedModelTar(
            TestArchives.savedModel(
                List.of("train"),
                Map.of(
                    "serving_default",
                    TestArchives.servingModel()
                        .getMetaGraphs(0)
                        .getSignatureDefOrThrow("serving_default"))),
            "");
    byte[] noSignature =
        TestArchives.savedModelTar(TestArchives.savedModel(List.of("serve"), Map.of()), "");

    ModelVersion first = upload(newModel(), noServe);
    ModelVersion second = upload(newModel(), noSignature);

    assertThat(first.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(first.getReason()).contains("no MetaGraphDef tagged exactly 'serve'", "[train]");
    assertThat(second.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(second.getReason()).contains("has no signatures");
  }

  @Test
  void tensorOfADtypeTheWorkerCannotServe_fails() {
    byte[] archive =
        TestArchives.savedModelTar(
            TestArchives.savedModel(
                List.of("serve"),
                Map.of(
                    "serving_default",
                    TestArchives.signature(
                        Map.of("z", TestArchives.tensor(DataType.DT_COMPLEX64, -1)),
                        Map.of("y", TestArchives.tensor(DataType.DT_FLOAT, -1))))),
            "");

    ModelVersion version = upload(newModel(), archive);

    assertThat(version.getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(version.getReason()).contains("input 'z'", "DT_COMPLEX64");
  }

  @Test
  void uploadToAMissingModel_isNotFound_andMakesNoVersion() {
    assertThatThrownBy(() -> upload("no-such-model", TestArchives.savedModel()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("model 'no-such-model' not found in tenant 'acme'");
            });
  }

  @Test
  void chunkBeforeStart_isInvalidArgument() {
    assertThat(protocolError(List.of(chunk(ByteString.copyFromUtf8("x")))))
        .contains("first message of an upload must be start");
    assertThat(protocolError(List.of(finish(TestArchives.sha256(new byte[0]), 0))))
        .contains("first message of an upload must be start");
  }

  @Test
  void secondStart_isInvalidArgument_andFailsTheVersion() {
    String model = newModel();

    assertThat(protocolError(List.of(start("acme", model), start("acme", model))))
        .contains("one start message");
    assertThat(versionOne(model).getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
    assertThat(versionOne(model).getReason()).contains("one start message");
  }

  @Test
  void streamEndingWithoutFinish_isInvalidArgument_andFailsTheVersion() {
    String model = newModel();

    assertThat(protocolError(List.of(start("acme", model), chunk(ByteString.copyFromUtf8("abc")))))
        .contains("ended without a finish message");
    assertThat(versionOne(model).getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
  }

  @Test
  void emptyStream_orEmptyMessage_isInvalidArgument() {
    assertThat(protocolError(List.of())).contains("ended before its start message");
    assertThat(protocolError(List.of(UploadVersionRequest.getDefaultInstance())))
        .contains("needs one of start, chunk or finish");
  }

  @Test
  void malformedFinishChecksum_isInvalidArgument() {
    String model = newModel();

    assertThat(protocolError(List.of(start("acme", model), finish("xyz", 0))))
        .contains("64 hex digits");
    assertThat(versionOne(model).getState()).isEqualTo(VersionState.VERSION_STATE_FAILED);
  }

  private static String protocolError(List<UploadVersionRequest> messages) {
    StatusRuntimeException error =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class, () -> UploadClient.send(plane.admin(), messages));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    return error.getStatus().getDescription();
  }

  private static ModelVersion versionOne(String model) {
    return ModelServiceGrpc.newBlockingStub(plane.admin())
        .getVersion(
            GetVersionRequest.newBuilder().setTenant("acme").setModel(model).setVersion(1).build())
        .getVersion();
  }
}
