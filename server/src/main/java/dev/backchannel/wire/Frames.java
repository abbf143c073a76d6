package dev.backchannel.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Post;
import dev.backchannel.model.RoomStatus;
import dev.backchannel.model.TwoDecimals;
import dev.backchannel.store.HeldNetwork;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.backchannel.model.Access;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes the server sends (PROTOCOL.md), as records; {@link Codec} writes them. */
public final class Frames {

  private Frames() {}

  /** The Room object; {@code settings} only in answers to staff. */
  @JsonPropertyOrder({"slug", "hashtag", "title", "status", "language", "access", "online", "posts", "settings"})
  public record Room(String slug, String hashtag, String title, RoomStatus status, String language, Access access,
      int online, int posts, @JsonInclude(JsonInclude.Include.NON_NULL) Settings settings) {}

  /** A room's settings as staff see them: the join code in the clear, never its hash. */
  public record Settings(boolean review, List<String> blockedWords,
      boolean builtinFilter, Access access, String joinCode, List<String> venueNetworks, double unverifiedWeight,
      String provider) {}

  /** {@code room}: the public fields of the room a change set (PROTOCOL.md v2). */
  public record RoomDescribed(Map<String, String> changed) {
    @JsonValue
    public Map<String, String> json() {
      Map<String, String> out = new LinkedHashMap<>();
      out.put("type", "room");
      out.putAll(new TreeMap<>(changed));
      return out;
    }
  }

  /** A participant as {@code welcome.you} shows them. */
  public record You(String id, String nick, @JsonSerialize(using = TwoDecimals.class) double karma) {}

  @JsonPropertyOrder({"type", "role", "room", "you", "seq", "resumed", "posts"})
  public record Welcome(String role, Room room, @JsonInclude(JsonInclude.Include.NON_NULL) You you, long seq,
      boolean resumed, List<Post> posts) {
    public String getType() {
      return "welcome";
    }
  }

  @JsonPropertyOrder({"type", "seq", "posts"})
  public record Posts(long seq, List<Post> posts) {
    public String getType() {
      return "posts";
    }
  }

  @JsonPropertyOrder({"type", "online"})
  public record Presence(int online) {
    public String getType() {
      return "presence";
    }
  }

  @JsonPropertyOrder({"type", "status"})
  public record RoomChange(RoomStatus status) {
    public String getType() {
      return "room";
    }
  }

  /** The speaker's pulse of the room. */
  public record Pulse(int online, int posts, double ratingsPerMinute,
      @JsonSerialize(using = TwoDecimals.class) double mood) {}

  /** {@code held}: the ids of the posts shown whose ratings are partly held back (v2). */
  @JsonPropertyOrder({"type", "seq", "top", "divergent", "recent", "pulse", "held"})
  public record Dashboard(long seq, List<Post> top, List<Post> divergent, List<Post> recent, Pulse pulse,
      List<String> held) {
    public String getType() {
      return "dashboard";
    }
  }

  /** Moderators only: every (post, network) pair the rule flags, most held first (v2). */
  @JsonPropertyOrder({"type", "networks"})
  public record Held(List<HeldNetwork> networks) {
    public String getType() {
      return "held";
    }
  }

  @JsonPropertyOrder({"type", "cid", "post"})
  public record Ack(String cid, @JsonInclude(JsonInclude.Include.NON_NULL) Post post) {
    public String getType() {
      return "ack";
    }
  }

  @JsonPropertyOrder({"type", "cid", "code", "message"})
  public record Error(@JsonInclude(JsonInclude.Include.NON_NULL) String cid, ErrorCode code, String message) {
    public String getType() {
      return "error";
    }
  }

  public record Pong() {
    public String getType() {
      return "pong";
    }
  }

  /** {@code {"error":{"code","message"}}} of the HTTP API. */
  public record HttpError(ErrorDetail error) {}

  public record ErrorDetail(ErrorCode code, String message) {}
}
