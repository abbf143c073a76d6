package dev.backchannel.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import java.io.IOException;
import java.time.Instant;

/**
 * The one place JSON is read and written. Reading is bounded (nesting, number and string length)
 * so a hostile frame costs little; writing turns protocol records into text once per frame.
 */
public final class Codec {

  private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
      .maxNestingDepth(32)
      .maxNumberLength(64)
      .maxStringLength(64 * 1024)
      .build();

  private final ObjectMapper mapper;

  public Codec() {
    JsonFactory factory = JsonFactory.builder().streamReadConstraints(LIMITS).build();
    SimpleModule time = new SimpleModule("iso-instants");
    time.addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
      @Override
      public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(value.toString());
      }
    });
    this.mapper = new ObjectMapper(factory)
        .registerModule(time)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Parses a JSON object; anything else fails with {@code bad_json}. */
  public JsonNode readObject(String text) {
    try {
      JsonNode node = mapper.readTree(text);
      if (node == null || !node.isObject()) {
        throw ErrorCode.BAD_JSON.failure("expected a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ErrorCode.BAD_JSON.failure("malformed JSON: " + e.getOriginalMessage());
    }
  }

  /** Serialises a protocol record. */
  public String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw unserialisable(value, e);
    }
  }

  /** Serialises a protocol record for sockets: UTF-8 bytes, written as they are to every receiver. */
  public TextFrame frame(Object value) {
    try {
      return new TextFrame(mapper.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw unserialisable(value, e);
    }
  }

  /** Our own records always serialise; failing to is a bug, not bad input. */
  private static IllegalStateException unserialisable(Object value, JsonProcessingException e) {
    return new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
  }

  /** The error body of the HTTP API. */
  public String errorBody(Failure failure) {
    return write(new Frames.HttpError(new Frames.ErrorDetail(failure.code(), failure.getMessage())));
  }
}
