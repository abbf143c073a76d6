package dev.backchannel.browser;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.json.JsonObject;

/**
 * Audience members over raw sockets, so a test can give posts many ratings (or add posts) without
 * a browser per person.
 */
final class Crowd {

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
