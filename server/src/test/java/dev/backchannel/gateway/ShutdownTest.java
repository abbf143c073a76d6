package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A server that stops tells its clients to come back (1001), so phones resume elsewhere with since. */
class ShutdownTest {

  @Test
  void stoppingClosesEverySocketWith1001AfterAnsweringWhatWasAsked() {
    Vertx vertx = Vertx.vertx();
    try {
      TestServer server = TestServer.start(vertx);
      JsonObject room = server.createRoom("#stopping");
      String slug = room.getString("slug");
      TestSocket participant = server.socket();
      participant.helloToken(slug, server.join(slug, "Ada").getString("token"));
      TestSocket speaker = server.socket();
      speaker.helloKey(slug, room.getString("speakerKey"));
      TestSocket waiting = server.socket(); // not even past hello yet

      participant.send(new JsonObject().put("type", "post").put("cid", "c1").put("text", "last words"));
      assertThat(participant.next("ack").getJsonObject("post").getString("text")).isEqualTo("last words");
      server.close();

      assertThat(participant.closeCode()).isEqualTo((short) 1001);
      assertThat(speaker.closeCode()).isEqualTo((short) 1001);
      assertThat(waiting.closeCode()).isEqualTo((short) 1001);
    } finally {
      TestServer.await(vertx.close());
    }
  }
}
