package dev.maas.gateway.forwarding;

import dev.maas.gateway.routing.Replica;
import dev.maas.gateway.snapshot.VersionRoute;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded call and its attempts. Each attempt runs inside the incoming call's context, so the
 * worker sees the caller's deadline and a cancelled caller cancels the attempt. Attempts never
 * overlap: the next starts only after the last has closed, so the fields need no lock beyond the
 * happens-before that gRPC's callbacks and the scheduler give.
 */
final class ForwardingCall {

  private static final Logger log = LoggerFactory.getLogger(ForwardingCall.class);

  private final Forwarder forwarder;
  private final MethodDescriptor<byte[], byte[]> method;
  private final String modelName;
  private final VersionRoute version;
  private final byte[] request;
  private final Metadata headers;
  private final Consumer<ForwardOutcome> done;
  private final Context context = Context.current();
  private final Set<String> tried = new HashSet<>();
  private volatile int attempts;

  ForwardingCall(
      Forwarder forwarder,
      MethodDescriptor<byte[], byte[]> method,
      String modelName,
      VersionRoute version,
      byte[] request,
      Metadata headers,
      Consumer<ForwardOutcome> done) {
    this.forwarder = forwarder;
    this.method = method;
    this.modelName = modelName;
    this.version = version;
    this.request = request;
    this.headers = headers;
    this.done = done;
  }

  void start() {
    context.run(this::attempt);
  }

  private void attempt() {
    attempts++;
    Replica replica = forwarder.picker().pick(version.addresses(), tried);
    tried.add(replica.address());
    replica.begin();
    ClientCall<byte[], byte[]> call = replica.channel().newCall(method, CallOptions.DEFAULT);
    call.start(new Attempt(replica), copyOf(headers));
    call.request(2);
    call.sendMessage(request);
    call.halfClose();
  }

  private void closed(Replica replica, Status status, byte[] response) {
    replica.end();
    if (status.isOk()) {
      replica.onSuccess();
      done.accept(new ForwardOutcome(status, response, attempts));
      return;
    }
    boolean unreachable = status.getCode() == Status.Code.UNAVAILABLE;
    // NOT_FOUND from a worker the snapshot routes to means the snapshot is ahead of or behind the
    // worker: another replica may serve it, and the worker is healthy.
    boolean elsewhere = unreachable || status.getCode() == Status.Code.NOT_FOUND;
    if (unreachable) {
      if (replica.onFailure(forwarder.nanoTime())) {
        log.warn("worker {} ejected after repeated failures: {}", replica.address(), status);
        forwarder.events().ejected(replica.address());
      }
    } else {
      replica.onSuccess();
    }
    if (!elsewhere) {
      done.accept(new ForwardOutcome(status, null, attempts));
      return;
    }
    Duration backoff = forwarder.retry().backoff(attempts);
    if (attempts < forwarder.retry().maxAttempts() && fitsDeadline(backoff)) {
      forwarder.events().retried(replica.address());
      forwarder
          .scheduler()
          .schedule(() -> context.run(this::attempt), backoff.toNanos(), TimeUnit.NANOSECONDS);
      return;
    }
    log.debug(
        "model {} version {}: last attempt on {} failed: {}",
        modelName,
        version.version(),
        replica.address(),
        status);
    done.accept(
        new ForwardOutcome(
            Status.UNAVAILABLE.withDescription(
                "model "
                    + modelName
                    + " has no serving replica that answered ("
                    + attempts
                    + " attempts)"),
            null,
            attempts));
  }

  private boolean fitsDeadline(Duration backoff) {
    if (context.isCancelled()) {
      return false;
    }
    Deadline deadline = context.getDeadline();
    return deadline == null || deadline.timeRemaining(TimeUnit.NANOSECONDS) > backoff.toNanos();
  }

  private static Metadata copyOf(Metadata headers) {
    Metadata copy = new Metadata();
    copy.merge(headers);
    return copy;
  }

  /** Listener of one attempt; gRPC calls it serially. */
  private final class Attempt extends ClientCall.Listener<byte[]> {
    private final Replica replica;
    private byte[] response;

    Attempt(Replica replica) {
      this.replica = replica;
    }

    @Override
    public void onMessage(byte[] message) {
      response = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (status.isOk() && response == null) {
        closed(replica, Status.INTERNAL.withDescription("the worker sent no response"), null);
      } else {
        closed(replica, status, response);
      }
    }
  }
}
