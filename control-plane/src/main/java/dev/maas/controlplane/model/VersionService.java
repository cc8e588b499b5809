package dev.maas.controlplane.model;

import dev.maas.controlplane.audit.AuditLog;
import dev.maas.controlplane.auth.Access;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.db.Database;
import dev.maas.controlplane.problem.Problem;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Reads and retires model versions; uploads make them (see the upload package). */
@Singleton
public final class VersionService {

  private final Database database;

  public VersionService(Database database) {
    this.database = database;
  }

  /** One version of a model. */
  public ModelVersion get(Principal caller, String tenant, String model, long version) {
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection ->
            requireVersion(
                connection, ModelService.requireModel(connection, tenant, model, false), version));
  }

  /** A model's versions, lowest first. */
  public List<ModelVersion> list(Principal caller, String tenant, String model) {
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection ->
            VersionRepository.list(
                connection, ModelService.requireModel(connection, tenant, model, false).id()));
  }

  /**
   * Retires a READY version; retiring a RETIRED one changes nothing.
   *
   * @throws Problem FAILED_PRECONDITION when the version is not READY, or its model's deployment
   *     serves it (as default version or in the traffic split)
   */
  public ModelVersion retire(Principal caller, String tenant, String model, long version) {
    Access.requireTenant(caller, tenant);
    return database.transaction(
        connection -> {
          Model owner = ModelService.requireModel(connection, tenant, model, false);
          // Locked before the deployment check: a deployment being made of this version either
          // committed already (and is seen) or waits, and then finds it RETIRED.
          VersionRepository.lock(connection, owner.id(), version);
          ModelVersion before = requireVersion(connection, owner, version);
          if (before.state() == VersionState.RETIRED) {
            return before;
          }
          if (before.state() != VersionState.READY) {
            throw Problem.failedPrecondition(
                describe(owner, version)
                    + " is "
                    + before.state()
                    + "; only READY versions can be retired");
          }
          if (ModelRepository.isVersionDeployed(connection, owner.id(), version)) {
            throw Problem.failedPrecondition(
                describe(owner, version)
                    + " is deployed (as default version or in the traffic split);"
                    + " change the deployment first");
          }
          VersionRepository.retire(connection, owner.id(), version);
          ModelVersion after = requireVersion(connection, owner, version);
          AuditLog.record(
              connection, caller, tenant, "version.retire", target(owner, version), before, after);
          return after;
        });
  }

  /** The audit target of a version, such as {@code mnist/3}. */
  public static String target(Model model, long version) {
    return model.name() + "/" + version;
  }

  private static ModelVersion requireVersion(Connection connection, Model model, long version)
      throws SQLException {
    return VersionRepository.find(connection, model.id(), version)
        .orElseThrow(
            () ->
                Problem.notFound(
                    describe(model, version) + " not found in tenant '" + model.tenant() + "'"));
  }

  private static String describe(Model model, long version) {
    return "version " + version + " of model '" + model.name() + "'";
  }
}
