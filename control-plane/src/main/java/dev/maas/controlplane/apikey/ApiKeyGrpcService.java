package dev.maas.controlplane.apikey;

import dev.maas.controlplane.auth.KeyScope;
import dev.maas.controlplane.auth.Principal;
import dev.maas.controlplane.grpc.AdminApi;
import dev.maas.controlplane.grpc.Calls;
import dev.maas.controlplane.grpc.ProtoTime;
import dev.maas.controlplane.problem.Problem;
import dev.maas.proto.admin.v1.ApiKeyServiceGrpc;
import dev.maas.proto.admin.v1.CreateApiKeyRequest;
import dev.maas.proto.admin.v1.CreateApiKeyResponse;
import dev.maas.proto.admin.v1.ListApiKeysRequest;
import dev.maas.proto.admin.v1.ListApiKeysResponse;
import dev.maas.proto.admin.v1.RevokeApiKeyRequest;
import dev.maas.proto.admin.v1.RevokeApiKeyResponse;
import dev.maas.proto.admin.v1.Scope;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.Set;

/** The gRPC front end of API keys. */
@Singleton
final class ApiKeyGrpcService extends ApiKeyServiceGrpc.ApiKeyServiceImplBase implements AdminApi {

  private final ApiKeyService keys;

  ApiKeyGrpcService(ApiKeyService keys) {
    this.keys = keys;
  }

  @Override
  public void createApiKey(
      CreateApiKeyRequest request, StreamObserver<CreateApiKeyResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          ApiKeyService.Created created =
              keys.create(
                  Principal.current(),
                  request.getTenant(),
                  scopes(request),
                  request.getDescription(),
                  request.hasExpireTime() ? ProtoTime.toInstant(request.getExpireTime()) : null);
          return CreateApiKeyResponse.newBuilder()
              .setKey(toProto(created.key()))
              .setSecret(created.text())
              .build();
        });
  }

  @Override
  public void listApiKeys(
      ListApiKeysRequest request, StreamObserver<ListApiKeysResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          ListApiKeysResponse.Builder response = ListApiKeysResponse.newBuilder();
          keys.list(Principal.current(), request.getTenant())
              .forEach(key -> response.addKeys(toProto(key)));
          return response.build();
        });
  }

  @Override
  public void revokeApiKey(
      RevokeApiKeyRequest request, StreamObserver<RevokeApiKeyResponse> observer) {
    Calls.unary(
        observer,
        () ->
            RevokeApiKeyResponse.newBuilder()
                .setKey(
                    toProto(
                        keys.revoke(Principal.current(), request.getTenant(), request.getKeyId())))
                .build());
  }

  private static Set<KeyScope> scopes(CreateApiKeyRequest request) {
    Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
    for (Scope scope : request.getScopesList()) {
      switch (scope) {
        case SCOPE_INFER -> scopes.add(KeyScope.INFER);
        case SCOPE_MANAGE -> scopes.add(KeyScope.MANAGE);
        default ->
            throw Problem.invalid("unknown scope " + scope + "; use SCOPE_INFER or SCOPE_MANAGE");
      }
    }
    return scopes;
  }

  static dev.maas.proto.admin.v1.ApiKey toProto(ApiKey key) {
    dev.maas.proto.admin.v1.ApiKey.Builder proto =
        dev.maas.proto.admin.v1.ApiKey.newBuilder()
            .setKeyId(key.keyId())
            .setTenant(key.tenant())
            .setDescription(key.description())
            .setCreateTime(ProtoTime.of(key.createdAt()));
    key.scopes().stream()
        .sorted()
        .forEach(
            s -> proto.addScopes(s == KeyScope.INFER ? Scope.SCOPE_INFER : Scope.SCOPE_MANAGE));
    if (key.expiresAt() != null) {
      proto.setExpireTime(ProtoTime.of(key.expiresAt()));
    }
    if (key.revokedAt() != null) {
      proto.setRevokeTime(ProtoTime.of(key.revokedAt()));
    }
    if (key.lastUsedAt() != null) {
      proto.setLastUsedTime(ProtoTime.of(key.lastUsedAt()));
    }
    return proto.build();
  }
}
