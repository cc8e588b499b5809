package dev.maas.standalone.security;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Everything a caller saw of one call: status code and description, the response messages, and the
 * headers and trailers the server sent.
 *
 * @param messages the responses, in order (empty for a failed unary call)
 */
record Answer(Status.Code code, String description, List<Message> messages, String metadata) {

  Answer {
    description = description == null ? "" : description;
    messages = List.copyOf(messages);
  }

  /** The answer of a call that ended with {@code status}. */
  static Answer of(Status status, List<Message> messages, Metadata headers, Metadata trailers) {
    return new Answer(
        status.getCode(), status.getDescription(), messages, render(headers) + render(trailers));
  }

  /**
   * The whole answer as text: code, description, each message in protobuf text form (unknown fields
   * included) and every header and trailer, binary ones as Latin-1 so no byte is lost.
   */
  String text() {
    StringBuilder text = new StringBuilder().append(code).append('\n').append(description);
    for (Message message : messages) {
      text.append('\n').append(TextFormat.printer().printToString(message));
    }
    return text.append('\n').append(metadata).toString();
  }

  /**
   * {@link #text()} with each key of {@code substitutions} replaced by its value, longest key first
   * (so a model name is replaced before the tenant name it may contain).
   */
  String text(Map<String, String> substitutions) {
    String text = text();
    for (String name :
        substitutions.keySet().stream()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList()) {
      if (!name.isEmpty()) {
        text = text.replace(name, substitutions.get(name));
      }
    }
    return text;
  }

  @Override
  public String toString() {
    String text = text();
    return text.length() > 400 ? text.substring(0, 400) + "..." : text;
  }

  private static String render(Metadata metadata) {
    if (metadata == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    // Sorted, so two answers with the same metadata render the same.
    for (String key : new TreeSet<>(metadata.keys())) {
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        for (byte[] value :
            metadata.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
          text.append(key)
              .append(": ")
              .append(new String(value, StandardCharsets.ISO_8859_1))
              .append('\n');
        }
      } else {
        for (String value :
            metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
          text.append(key).append(": ").append(value).append('\n');
        }
      }
    }
    return text.toString();
  }
}
