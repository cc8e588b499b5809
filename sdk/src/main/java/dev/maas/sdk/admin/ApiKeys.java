package dev.maas.sdk.admin;

import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.ApiKeyServiceGrpc.ApiKeyServiceBlockingStub;
import dev.maas.proto.admin.v1.CreateApiKeyRequest;
import dev.maas.proto.admin.v1.CreateApiKeyResponse;
import dev.maas.proto.admin.v1.ListApiKeysRequest;
import dev.maas.proto.admin.v1.RevokeApiKeyRequest;
import dev.maas.sdk.internal.AdminCalls;
import dev.maas.sdk.internal.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * API keys of tenants: create (the secret comes back once), list, revoke. A revoked key is refused
 * by every gateway within about a second.
 */
public final class ApiKeys {

  private final AdminCalls calls;

  /** Internal: made by {@link dev.maas.sdk.MaasAdminClient#apiKeys()}. */
  public ApiKeys(AdminCalls calls) {
    this.calls = calls;
  }

  /**
   * Creates a key of {@code tenant}.
   *
   * @param scopes what it may do; at least one
   * @param description free text, or null
   * @param expireTime when it stops working, or null for never
   * @return the key with its secret, which is never shown again
   */
  public CreatedApiKey create(
      String tenant, Collection<Scope> scopes, String description, Instant expireTime) {
    CreateApiKeyRequest.Builder request =
        CreateApiKeyRequest.newBuilder()
            .setTenant(tenant)
            .setDescription(description == null ? "" : description);
    for (Scope scope : scopes) {
      request.addScopes(
          scope == Scope.INFER
              ? dev.maas.proto.admin.v1.Scope.SCOPE_INFER
              : dev.maas.proto.admin.v1.Scope.SCOPE_MANAGE);
    }
    if (expireTime != null) {
      request.setExpireTime(Timestamps.of(expireTime));
    }
    CreateApiKeyResponse response = calls.call(() -> stub().createApiKey(request.build()));
    return new CreatedApiKey(fromProto(response.getKey()), response.getSecret());
  }

  /** Lists a tenant's keys, newest first, without secrets. */
  public List<ApiKey> list(String tenant) {
    ListApiKeysRequest request = ListApiKeysRequest.newBuilder().setTenant(tenant).build();
    return calls.call(
        () -> stub().listApiKeys(request).getKeysList().stream().map(ApiKeys::fromProto).toList());
  }

  /** Revokes a key; gateways refuse it from then on. */
  public ApiKey revoke(String tenant, String keyId) {
    RevokeApiKeyRequest request =
        RevokeApiKeyRequest.newBuilder().setTenant(tenant).setKeyId(keyId).build();
    return calls.call(() -> fromProto(stub().revokeApiKey(request).getKey()));
  }

  private ApiKeyServiceBlockingStub stub() {
    return calls.stub(ApiKeyServiceGrpc::newBlockingStub);
  }

  private static ApiKey fromProto(dev.maas.proto.admin.v1.ApiKey key) {
    List<Scope> scopes = new ArrayList<>();
    for (dev.maas.proto.admin.v1.Scope scope : key.getScopesList()) {
      switch (scope) {
        case SCOPE_INFER -> scopes.add(Scope.INFER);
        case SCOPE_MANAGE -> scopes.add(Scope.MANAGE);
        default -> {
          // A scope of a newer server: left out.
        }
      }
    }
    return new ApiKey(
        key.getKeyId(),
        key.getTenant(),
        scopes,
        key.getDescription(),
        Timestamps.toInstant(key.hasCreateTime(), key.getCreateTime()),
        Timestamps.toInstant(key.hasExpireTime(), key.getExpireTime()),
        Timestamps.toInstant(key.hasRevokeTime(), key.getRevokeTime()),
        Timestamps.toInstant(key.hasLastUsedTime(), key.getLastUsedTime()));
  }
}
