package dev.backchannel.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Mark;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.store.NetworkDecision;

/**
 * Turns a client frame into a {@link Command}, checking every field's type and range. A refusal is
 * a {@link Failure} ({@code bad_json} or {@code invalid}); {@link #cidOf} recovers the cid for it.
 */
public final class CommandDecoder {

  public static final int MAX_CID = 64;
  public static final int MAX_TEXT = 500;
  public static final int MAX_ID = 128;

  private final Codec codec;

  public CommandDecoder(Codec codec) {
    this.codec = codec;
  }

  public JsonNode parse(String frame) {
    return codec.readObject(frame);
  }

  public Command decode(JsonNode frame) {
    String type = string(frame, "type", true, 32);
    return switch (type) {
      case "hello" -> hello(frame);
      case "ping" -> new Command.Ping();
      case "post" -> post(frame);
      case "rate" -> rate(frame);
      case "mark" -> mark(frame);
      case "ban" -> new Command.Ban(cid(frame), string(frame, "participant", true, MAX_ID));
      case "network" -> network(frame);
      default -> throw ErrorCode.INVALID.failure("unknown command type '" + type + "'");
    };
  }

  /** The frame's cid when it is a usable one, so even a refusal can name the command it answers. */
  public static String cidOf(JsonNode frame) {
    JsonNode cid = frame == null ? null : frame.get("cid");
    return cid != null && cid.isTextual() && validCid(cid.textValue()) ? cid.textValue() : null;
  }

  private Command hello(JsonNode frame) {
    String room = string(frame, "room", true, 64);
    String token = string(frame, "token", false, 512);
    String key = string(frame, "key", false, 256);
    if ((token == null) == (key == null)) {
      throw ErrorCode.INVALID.failure("hello needs exactly one of token or key");
    }
    long since = -1;
    JsonNode s = frame.get("since");
    if (s != null && !s.isNull()) {
      if (!s.isIntegralNumber() || !s.canConvertToLong() || s.longValue() < 0) {
        throw ErrorCode.INVALID.failure("since must be a non-negative integer");
      }
      since = s.longValue();
    }
    return new Command.Hello(room, token, key, since);
  }

  private Command post(JsonNode frame) {
    String cid = cid(frame);
    String raw = string(frame, "text", true, 16 * 1024);
    String text = Text.clean(raw);
    int length = Text.length(text);
    if (length < 1 || length > MAX_TEXT) {
      throw ErrorCode.INVALID.failure("text must be 1-" + MAX_TEXT + " characters");
    }
    return new Command.NewPost(cid, text, string(frame, "replyTo", false, MAX_ID));
  }

  private Command rate(JsonNode frame) {
    String cid = cid(frame);
    String post = string(frame, "post", true, MAX_ID);
    JsonNode v = frame.get("value");
    if (v == null) {
      throw ErrorCode.INVALID.failure("value is required: an integer from -5 to 5, or null to withdraw");
    }
    Integer value = null;
    if (!v.isNull()) {
      if (!v.isIntegralNumber() || !v.canConvertToInt()
          || v.intValue() < ScoringRules.MIN_RATING || v.intValue() > ScoringRules.MAX_RATING) {
        throw ErrorCode.INVALID.failure("value must be an integer from -5 to 5, or null");
      }
      value = v.intValue();
    }
    return new Command.Rate(cid, post, value);
  }

  private Command mark(JsonNode frame) {
    String cid = cid(frame);
    String post = string(frame, "post", true, MAX_ID);
    String status = string(frame, "status", true, 32);
    Mark mark = Mark.parse(status)
        .orElseThrow(() -> ErrorCode.INVALID.failure("status must be answered, highlighted, visible or hidden"));
    return new Command.SetMark(cid, post, mark);
  }

  private Command network(JsonNode frame) {
    String cid = cid(frame);
    String network = string(frame, "network", true, MAX_ID);
    String post = string(frame, "post", false, MAX_ID);
    NetworkDecision decision = NetworkDecision.of(string(frame, "decision", true, 32));
    if (decision == null) {
      throw ErrorCode.INVALID.failure("decision must be release, confirm, venue or ban");
    }
    if (post == null && (decision == NetworkDecision.RELEASE || decision == NetworkDecision.CONFIRM)) {
      throw ErrorCode.INVALID.failure("release and confirm need the post");
    }
    return new Command.DecideNetwork(cid, network, post, decision);
  }

  private static String cid(JsonNode frame) {
    String cid = string(frame, "cid", true, MAX_CID);
    if (!validCid(cid)) {
      throw ErrorCode.INVALID.failure("cid must be 1-" + MAX_CID + " characters");
    }
    return cid;
  }

  private static boolean validCid(String cid) {
    return !cid.isEmpty() && cid.length() <= MAX_CID && !Text.hasLoneSurrogate(cid);
  }

  private static String string(JsonNode frame, String field, boolean required, int maxLength) {
    JsonNode v = frame.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw ErrorCode.INVALID.failure(field + " is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw ErrorCode.INVALID.failure(field + " must be a string");
    }
    String s = v.textValue();
    if (s.length() > maxLength || (required && s.isEmpty())) {
      throw ErrorCode.INVALID.failure(field + " must be 1-" + maxLength + " characters");
    }
    if (Text.hasLoneSurrogate(s)) {
      throw ErrorCode.INVALID.failure(field + " must be Unicode text (it holds half a surrogate pair)");
    }
    return s;
  }
}
