package dev.backchannel.browser;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Audience members over raw sockets, so a test can give posts many ratings (or add posts) without
 * a browser per person.
 */
final class Crowd {

  /** A fresh cid per post: a participant's repeated cid would get the first post's ack again. */
  private static final AtomicInteger CIDS = new AtomicInteger();

  private Crowd() {}

  /** Each value is the rating of one new participant; returns when every rating is acknowledged. */
  static void rate(TestServer server, String slug, String postId, int... values) {
    for (int value : values) {
      String token = server.join(slug, null).getString("token");
      try (TestSocket socket = server.socket()) {
        socket.helloToken(slug, token);
        socket.send(new JsonObject().put("type", "rate").put("cid", "r").put("post", postId).put("value", value));
        JsonObject ack = socket.next("ack");
        if (ack.getJsonObject("post") == null) {
          throw new AssertionError("rating not applied: " + ack);
        }
      }
    }
  }

  /**
   * Joins as if from {@code address}: the server must trust 127.0.0.1 as a proxy
   * ({@code --trusted-proxies=127.0.0.1}), so the address decides the participant's network (its
   * /24 or /48). Returns the token.
   */
  static String joinFrom(TestServer server, String slug, String address) {
    TestServer.Response r = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, "{}",
        Map.of("X-Forwarded-For", address));
    if (r.status() != 201) {
      throw new AssertionError("join from " + address + " failed: " + r.status() + " " + r.body());
    }
    return r.json().getString("token");
  }

  /** The participant of {@code token} rates each post (id to value); returns when every rating is acknowledged. */
  static void rateAs(TestServer server, String slug, String token, Map<String, Integer> ratings) {
    try (TestSocket socket = server.socket()) {
      socket.helloToken(slug, token);
      ratings.forEach((post, value) -> {
        socket.send(new JsonObject().put("type", "rate").put("cid", "r-" + post).put("post", post).put("value", value));
        JsonObject ack = socket.next(f -> ("r-" + post).equals(f.getString("cid")), "the answer to a rating");
        if (!"ack".equals(ack.getString("type"))) {
          throw new AssertionError("rating refused: " + ack);
        }
      });
    }
  }

  /** A post by the participant of {@code token}; returns its id. */
  static String postAs(TestServer server, String slug, String token, String text) {
    try (TestSocket socket = server.socket()) {
      socket.helloToken(slug, token);
      socket.send(new JsonObject().put("type", "post").put("cid", "p" + CIDS.incrementAndGet()).put("text", text));
      return socket.next("ack").getJsonObject("post").getString("id");
    }
  }

  /** A post by a new participant; returns its id. */
  static String post(TestServer server, String slug, String nick, String text) {
    String token = server.join(slug, nick).getString("token");
    try (TestSocket socket = server.socket()) {
      socket.helloToken(slug, token);
      socket.send(new JsonObject().put("type", "post").put("cid", "p").put("text", text));
      return socket.next("ack").getJsonObject("post").getString("id");
    }
  }
}
