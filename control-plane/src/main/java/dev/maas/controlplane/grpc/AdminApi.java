package dev.maas.controlplane.grpc;

import io.grpc.BindableService;

/** A service of the admin API: served behind the admin authentication. */
public interface AdminApi extends BindableService {}
