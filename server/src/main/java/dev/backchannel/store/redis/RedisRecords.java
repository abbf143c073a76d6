package dev.backchannel.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.model.Author;
import dev.backchannel.model.Post;
import dev.backchannel.model.PostStatus;
import dev.backchannel.model.RoomStatus;
import dev.backchannel.store.Participant;
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
    JsonNode banned = e.path("banned");
    return new RoomEvent(room, e.get("seq").asLong(), List.copyOf(posts), e.path("closed").asBoolean(),
        banned.isTextual() ? banned.textValue() : null, given);
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
        Base64.getDecoder().decode(h.get("mkh")), Integer.parseInt(h.get("visible")));
  }

  static Participant participant(String id, Map<String, String> h, double karma) {
    return new Participant(id, h.get("nick"), karma, "1".equals(h.get("banned")));
  }

  static Participant participant(String json) {
    JsonNode p = tree(json);
    return new Participant(p.get("id").textValue(), text(p.get("nick")), Double.parseDouble(p.get("karma").asText()),
        p.get("banned").asBoolean());
  }

  private static Post post(JsonNode p) {
    JsonNode a = p.get("author");
    JsonNode mine = p.get("mine");
    return new Post(p.get("id").textValue(), p.get("number").asLong(),
        new Author(a.get("id").textValue(), text(a.get("nick")), Double.parseDouble(a.get("karma").asText())),
        p.get("text").textValue(), text(p.get("replyTo")), Instant.parse(p.get("createdAt").textValue()),
        Double.parseDouble(p.get("score").asText()), Double.parseDouble(p.get("divergence").asText()),
        p.get("ratings").asInt(), PostStatus.valueOf(p.get("status").textValue().toUpperCase(Locale.ROOT)),
        mine == null || mine.isNull() ? null : mine.asInt());
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
