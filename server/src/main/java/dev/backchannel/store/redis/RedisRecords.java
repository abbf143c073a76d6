package dev.backchannel.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.model.Verification;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.RoomSettings;
import dev.backchannel.model.Author;
import dev.backchannel.model.Post;
import dev.backchannel.model.PostStatus;
import dev.backchannel.model.RoomStatus;
import dev.backchannel.store.Participant;
import dev.backchannel.store.PostEvidence;
import dev.backchannel.store.RoomEvent;
import dev.backchannel.store.RoomInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what the scripts return: post and event JSON (doubles as exact strings), and hashes as
 * flat arrays of field, value.
 */
final class RedisRecords {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RedisRecords() {}

  static Post post(String json) {
    return post(tree(json));
  }

  static RoomEvent event(String room, String json) {
    JsonNode e = tree(json);
    List<Post> posts = new ArrayList<>();
    e.path("posts").forEach(p -> posts.add(post(p))); // an empty Lua table arrives as {}: no posts
    JsonNode rating = e.path("rating");
    RoomEvent.RatingGiven given = rating.isObject()
        ? new RoomEvent.RatingGiven(rating.get("value").asInt(), rating.get("weight").asLong()) : null;
    List<String> banned = new ArrayList<>(); // one participant, or a network's (a list)
    JsonNode named = e.path("banned");
    if (named.isTextual()) {
      banned.add(named.textValue());
    } else {
      named.forEach(b -> banned.add(b.textValue()));
    }
    Map<String, String> described = new HashMap<>();
    e.path("described").fields().forEachRemaining(f -> described.put(f.getKey(), f.getValue().textValue()));
    List<String> revoked = new ArrayList<>();
    e.path("revoked").forEach(r -> revoked.add(r.textValue()));
    return new RoomEvent(room, e.get("seq").asLong(), List.copyOf(posts), e.path("closed").asBoolean(),
        List.copyOf(banned), given, Map.copyOf(described), List.copyOf(revoked), false);
  }

  /** The evidence script's JSON (big integers as strings; an empty Lua table arrives as {}). */
  static PostEvidence evidence(String json) {
    JsonNode e = tree(json);
    List<PostEvidence.Rater> raters = new ArrayList<>();
    e.path("ratings").forEach(r -> raters.add(new PostEvidence.Rater(r.get("participant").textValue(),
        r.get("network").textValue(), r.get("value").asInt(), Long.parseLong(r.get("weight").asText()),
        Instant.ofEpochMilli(Long.parseLong(r.get("joinedAt").asText())), r.get("ratedOthers").asBoolean())));
    Map<String, Double> decisions = new HashMap<>();
    e.path("decisions").fields().forEachRemaining(d -> decisions.put(d.getKey(), d.getValue().asDouble()));
    List<String> venue = new ArrayList<>();
    e.path("venue").forEach(v -> venue.add(v.textValue()));
    Map<String, Long> roomRatings = new HashMap<>();
    e.path("roomRatings").fields().forEachRemaining(r -> roomRatings.put(r.getKey(), Long.parseLong(r.getValue().asText())));
    return new PostEvidence(post(e.get("post")), Long.parseLong(e.get("prior").asText()), e.get("salt").textValue(),
        List.copyOf(raters), Map.copyOf(decisions), List.copyOf(venue), Map.copyOf(roomRatings),
        Integer.parseInt(e.get("posts").asText()));
  }

  static Map<String, String> hash(List<?> flat) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      out.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return out;
  }

  static RoomInfo room(String slug, Map<String, String> h) {
    return new RoomInfo(slug, h.get("hashtag"), h.get("title"), RoomStatus.valueOf(h.get("status").toUpperCase(Locale.ROOT)),
        Instant.parse(h.get("createdAt")), Base64.getDecoder().decode(h.get("skh")),
        Base64.getDecoder().decode(h.get("mkh")), Integer.parseInt(h.get("visible")), settings(h));
  }

  /** When the room closed, from its fields; null while open. */
  static Instant closedAt(Map<String, String> h) {
    String at = h.get("closedAt");
    return at == null ? null : Instant.parse(at);
  }

  /** The settings among a room's fields: "s.<name>" with a JSON value (the configure script). */
  private static RoomSettings settings(Map<String, String> h) {
    Map<String, String> fields = new HashMap<>();
    h.forEach((k, v) -> {
      if (k.startsWith("s.")) {
        fields.put(k.substring(2), v);
      }
    });
    return RoomSettings.fromFields(fields);
  }

  static String json(AuditEntry entry) {
    ObjectNode n = JSON.createObjectNode()
        .put("at", entry.at().toString())
        .put("role", entry.role())
        .put("action", entry.action())
        .put("post", entry.post())
        .put("participant", entry.participant())
        .put("detail", entry.detail());
    return n.toString();
  }

  static AuditEntry auditEntry(String json) {
    JsonNode n = tree(json);
    return new AuditEntry(Instant.parse(n.get("at").textValue()), text(n.get("role")), text(n.get("action")),
        text(n.get("post")), text(n.get("participant")), text(n.get("detail")));
  }

  static Participant participant(String id, Map<String, String> h, double karma) {
    return new Participant(id, h.get("nick"), karma, "1".equals(h.get("banned")), Verification.parse(h.get("v")));
  }

  static Participant participant(String json) {
    JsonNode p = tree(json);
    return new Participant(p.get("id").textValue(), text(p.get("nick")), Double.parseDouble(p.get("karma").asText()),
        p.get("banned").asBoolean(), Verification.parse(p.path("verified").textValue()));
  }

  private static Post post(JsonNode p) {
    JsonNode a = p.get("author");
    JsonNode mine = p.get("mine");
    return new Post(p.get("id").textValue(), p.get("number").asLong(),
        new Author(a.get("id").textValue(), text(a.get("nick")), Double.parseDouble(a.get("karma").asText())),
        p.get("text").textValue(), text(p.get("replyTo")), Instant.parse(p.get("createdAt").textValue()),
        Double.parseDouble(p.get("score").asText()), Double.parseDouble(p.get("divergence").asText()),
        p.get("ratings").asInt(), PostStatus.valueOf(p.get("status").textValue().toUpperCase(Locale.ROOT)),
        mine == null || mine.isNull() ? null : mine.asInt(), p.path("held").asInt(0));
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.textValue();
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a script returned malformed JSON", e);
    }
  }
}
