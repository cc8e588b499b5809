package dev.maas.standalone.security;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls any rpc of a protobuf service descriptor over a real channel, whatever its streaming type,
 * and records everything the caller sees as an {@link Answer}. Responses are parsed as {@link
 * DynamicMessage}s of the method's output type, so unknown fields are kept too.
 */
final class GenericRpc {

  private static final long DEADLINE_SECONDS = 30;

  private GenericRpc() {}

  /** The gRPC full name of {@code method}: {@code package.Service/Method}. */
  static String fullName(Descriptors.MethodDescriptor method) {
    return MethodDescriptor.generateFullMethodName(
        method.getService().getFullName(), method.getName());
  }

  /**
   * Sends {@code requests} (one for a unary or server-streaming rpc) with {@code headers}, half
   * closes, and waits for the call to end.
   */
  static Answer call(
      Channel channel,
      Descriptors.MethodDescriptor method,
      Metadata headers,
      List<? extends Message> requests) {
    MethodDescriptor<Message, Message> descriptor = descriptor(method);
    ClientCall<Message, Message> call =
        channel.newCall(
            descriptor, CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS));
    CompletableFuture<Answer> ended = new CompletableFuture<>();
    List<Message> responses = new ArrayList<>();
    Metadata[] sentHeaders = {null};
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onHeaders(Metadata received) {
            sentHeaders[0] = received;
          }

          @Override
          public void onMessage(Message message) {
            synchronized (responses) {
              responses.add(message);
            }
            call.request(1);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            synchronized (responses) {
              ended.complete(Answer.of(status, responses, sentHeaders[0], trailers));
            }
          }
        },
        headers);
    call.request(1);
    for (Message request : requests) {
      call.sendMessage(request);
    }
    call.halfClose();
    try {
      return ended.get(DEADLINE_SECONDS + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel("interrupted", e);
      throw new IllegalStateException("interrupted calling " + fullName(method), e);
    } catch (ExecutionException | TimeoutException e) {
      call.cancel("no answer", e);
      throw new IllegalStateException("no answer from " + fullName(method), e);
    }
  }

  private static MethodDescriptor<Message, Message> descriptor(
      Descriptors.MethodDescriptor method) {
    MethodDescriptor.MethodType type;
    if (method.isClientStreaming()) {
      type =
          method.isServerStreaming()
              ? MethodDescriptor.MethodType.BIDI_STREAMING
              : MethodDescriptor.MethodType.CLIENT_STREAMING;
    } else {
      type =
          method.isServerStreaming()
              ? MethodDescriptor.MethodType.SERVER_STREAMING
              : MethodDescriptor.MethodType.UNARY;
    }
    return MethodDescriptor.<Message, Message>newBuilder()
        .setType(type)
        .setFullMethodName(fullName(method))
        .setRequestMarshaller(
            ProtoUtils.marshaller(
                (Message) DynamicMessage.getDefaultInstance(method.getInputType())))
        .setResponseMarshaller(
            ProtoUtils.marshaller(
                (Message) DynamicMessage.getDefaultInstance(method.getOutputType())))
        .build();
  }
}
