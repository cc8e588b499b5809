package dev.maas.gateway.forwarding;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.maas.gateway.routing.InvalidRequestException;
import java.io.IOException;

/**
 * Reads the model name (field 1), version (field 2) and id (field 3, ModelInferRequest's request
 * id; other requests have no field 3) of a request without parsing the rest: every other field,
 * tensors included, is skipped over in place. ModelInferRequest, ModelMetadataRequest,
 * ModelReadyRequest and ModelStatisticsRequest all keep name and version in fields 1 and 2.
 */
public final class RequestFields {

  private static final int NAME = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int VERSION = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int ID = tag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);

  private RequestFields() {}

  private static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }

  /**
   * The model the request names; the last occurrence of a field wins, as in protobuf.
   *
   * @throws InvalidRequestException the bytes are not a valid message
   */
  public static ModelRef read(byte[] message) {
    CodedInputStream input = CodedInputStream.newInstance(message);
    input.enableAliasing(true);
    String name = "";
    String version = "";
    String id = "";
    try {
      for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
        if (tag == NAME) {
          name = input.readStringRequireUtf8();
        } else if (tag == VERSION) {
          version = input.readStringRequireUtf8();
        } else if (tag == ID) {
          id = input.readStringRequireUtf8();
        } else if (!input.skipField(tag)) {
          break;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidRequestException("the request is not a valid protobuf message");
    } catch (IOException e) {
      throw new IllegalStateException("reading from a byte array cannot fail", e);
    }
    return new ModelRef(name, version, id);
  }
}
