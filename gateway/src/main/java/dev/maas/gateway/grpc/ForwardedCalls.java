package dev.maas.gateway.grpc;

import dev.maas.gateway.auth.PermissionDeniedException;
import dev.maas.gateway.auth.Principal;
import dev.maas.gateway.forwarding.ForwardOutcome;
import dev.maas.gateway.forwarding.Forwarder;
import dev.maas.gateway.forwarding.ModelRef;
import dev.maas.gateway.forwarding.RawMethods;
import dev.maas.gateway.forwarding.RequestFields;
import dev.maas.gateway.metering.CallRecord;
import dev.maas.gateway.metering.CallRecorder;
import dev.maas.gateway.metering.GatewayMetrics;
import dev.maas.gateway.quota.Admission;
import dev.maas.gateway.quota.QuotaEnforcer;
import dev.maas.gateway.quota.QuotaExceededException;
import dev.maas.gateway.routing.ModelResolver;
import dev.maas.gateway.routing.Route;
import dev.maas.gateway.snapshot.RoutingTable;
import dev.maas.gateway.snapshot.SnapshotHolder;
import dev.maas.gateway.snapshot.TenantEntry;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;

/**
 * Forwarded requests (ModelInfer, ModelMetadata, and each message of ModelStreamInfer): read the
 * model name and version from the raw request, resolve them in the caller's tenant, enforce the
 * quotas (inference only), and forward the request bytes to a worker; the worker's response bytes
 * go back untouched. Thread-safe; never blocks.
 */
public final class ForwardedCalls {

  /** How one forwarded request is answered; exactly one method is called, once. */
  interface Reply {
    /** The worker's response bytes. */
    void answer(byte[] response);

    /**
     * The request failed.
     *
     * @param ref what the request named, or null when it could not be read
     */
    void fail(StatusRuntimeException status, ModelRef ref);
  }

  /**
   * One request to forward.
   *
   * @param rpc the rpc's name for metrics and the access log
   * @param metered whether quotas apply and the call is billed (inference)
   * @param tenant the caller's tenant
   * @param startNanos when the request arrived, by {@link System#nanoTime()}
   */
  record Request(
      String rpc,
      MethodDescriptor<byte[], byte[]> method,
      boolean metered,
      byte[] bytes,
      String tenant,
      long startNanos) {}

  private final SnapshotHolder snapshots;
  private final ModelResolver resolver;
  private final QuotaEnforcer quotas;
  private final Forwarder forwarder;
  private final CallRecorder recorder;
  private final GatewayMetrics metrics;

  public ForwardedCalls(
      SnapshotHolder snapshots,
      ModelResolver resolver,
      QuotaEnforcer quotas,
      Forwarder forwarder,
      CallRecorder recorder,
      GatewayMetrics metrics) {
    this.snapshots = snapshots;
    this.resolver = resolver;
    this.quotas = quotas;
    this.forwarder = forwarder;
    this.recorder = recorder;
    this.metrics = metrics;
  }

  /** ModelInfer: quotas, then forward. */
  void modelInfer(byte[] request, StreamObserver<byte[]> responses) {
    unary(request("ModelInfer", RawMethods.MODEL_INFER, true, request), responses);
  }

  /** ModelMetadata: forward to a replica of the resolved version. */
  void modelMetadata(byte[] request, StreamObserver<byte[]> responses) {
    unary(request("ModelMetadata", RawMethods.MODEL_METADATA, false, request), responses);
  }

  /** A request of the current caller, arriving now; call inside the incoming call's context. */
  static Request request(
      String rpc, MethodDescriptor<byte[], byte[]> method, boolean metered, byte[] bytes) {
    return new Request(
        rpc, method, metered, bytes, Principal.current().tenant(), System.nanoTime());
  }

  /**
   * Resolves, admits and forwards one request, and answers it through {@code reply}. Must be called
   * inside the incoming call's context, so the worker call inherits its deadline and cancellation.
   */
  void dispatch(Request request, Reply reply) {
    Route route = null;
    ModelRef ref = null;
    try {
      RoutingTable table = snapshots.require();
      TenantEntry tenant =
          table
              .tenant(request.tenant())
              .orElseThrow(() -> new PermissionDeniedException("tenant is suspended"));
      if (request.metered()) {
        // On the raw size, before a byte of the request is parsed.
        quotas.checkRequestBytes(tenant, request.bytes().length);
      }
      ref = RequestFields.read(request.bytes());
      route = resolver.resolve(table, request.tenant(), ref.name(), ref.version());
      Admission admission = request.metered() ? quotas.admit(tenant, route.model()) : null;
      Route chosen = route;
      ModelRef named = ref;
      forwarder.forward(
          request.method(),
          ref.name(),
          route.version(),
          request.bytes(),
          outcome -> {
            if (admission != null) {
              admission.close();
            }
            finish(request, chosen, named, outcome, reply);
          });
    } catch (RuntimeException e) {
      if (e instanceof QuotaExceededException quota) {
        metrics.recordQuotaRejection(request.tenant(), quota.limit().label());
      }
      StatusRuntimeException status = GatewayStatusMapping.toException(e);
      record(request, route, status.getStatus().getCode(), 0, 0, false);
      reply.fail(status, ref);
    }
  }

  private void finish(
      Request request, Route route, ModelRef ref, ForwardOutcome outcome, Reply reply) {
    if (outcome.status().isOk()) {
      record(
          request,
          route,
          Status.Code.OK,
          outcome.response().length,
          outcome.attempts(),
          request.metered());
      reply.answer(outcome.response());
    } else {
      StatusRuntimeException status = GatewayStatusMapping.fromWorker(outcome.status());
      record(
          request, route, status.getStatus().getCode(), 0, outcome.attempts(), request.metered());
      reply.fail(status, ref);
    }
  }

  private void unary(Request request, StreamObserver<byte[]> observer) {
    ServerCallStreamObserver<byte[]> responses = (ServerCallStreamObserver<byte[]>) observer;
    // A cancelled caller is not an error: without a handler, answering it would throw.
    responses.setOnCancelHandler(() -> {});
    dispatch(
        request,
        new Reply() {
          @Override
          public void answer(byte[] response) {
            responses.onNext(response);
            responses.onCompleted();
          }

          @Override
          public void fail(StatusRuntimeException status, ModelRef ref) {
            responses.onError(status);
          }
        });
  }

  private void record(
      Request request,
      Route route,
      Status.Code code,
      long bytesOut,
      int attempts,
      boolean billable) {
    recorder.record(
        new CallRecord(
            request.rpc(),
            request.tenant(),
            route == null ? null : route.model().name(),
            route == null ? 0 : route.version().version(),
            code,
            request.bytes().length,
            bytesOut,
            Duration.ofNanos(System.nanoTime() - request.startNanos()),
            attempts,
            billable));
  }
}
