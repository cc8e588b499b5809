package dev.maas.controlplane.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;

/**
 * The control plane's settings, under {@code maas.*} (environment: {@code MAAS_*}).
 *
 * @param dataDir where the embedded database, artifacts and generated secrets live
 * @param grpcPort the admin and cluster gRPC port
 * @param adminToken the platform admin token; when neither it nor the file is set, one is generated
 *     into {@code <data-dir>/admin-token}
 * @param adminTokenFile a file holding the admin token
 * @param clusterToken the token workers and gateways present; generated into {@code
 *     <data-dir>/cluster-token} when unset
 * @param masterKey base64 of the 32-byte key that wraps tenants' artifact keys; generated into
 *     {@code <data-dir>/master.key} when unset
 */
@ConfigurationProperties("maas")
public record MaasConfig(
    @Bindable(defaultValue = "./data") Path dataDir,
    @Bindable(defaultValue = "7001") int grpcPort,
    @Nullable String adminToken,
    @Nullable Path adminTokenFile,
    @Nullable String clusterToken,
    @Nullable String masterKey) {}
