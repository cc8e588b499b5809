package dev.maas.controlplane.grpc;

import io.grpc.BindableService;

/** A service of the internal cluster API: served only to holders of the cluster token. */
public interface ClusterApi extends BindableService {}
