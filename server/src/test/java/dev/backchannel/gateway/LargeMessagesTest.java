package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.RawWebSocket;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages the server sends that are longer than {@code maxFrameBytes} (a welcome with a long
 * snapshot) go out as one text frame and continuation frames of at most that size, which any
 * client joins back into the same JSON, even where a frame boundary splits a character.
 */
class LargeMessagesTest {

  private static final int MAX_FRAME = 1024;
  private static Vertx vertx;
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--max-frame-bytes=" + MAX_FRAME, "--posts-per-window=100");
  }

  @AfterAll
  static void stopServer() {
    server.close();
    TestServer.await(vertx.close());
  }

  @Test
  void aWelcomeOverTheFrameLimitArrivesInFramesUnderItAndJoinsBackIntact() throws Exception {
    String slug = server.createRoom("#fragments").getString("slug");
    JsonObject author = server.join(slug, "Author");
    List<String> texts = new ArrayList<>();
    try (TestSocket socket = server.socket()) {
      socket.helloToken(slug, author.getString("token"));
      for (int i = 0; i < 6; i++) {
        // Two-byte characters throughout: some frame boundary is bound to fall inside one.
        String text = "Question " + i + " über Grüße, Größe und Maße " + "é".repeat(150);
        texts.add(0, text);
        socket.send(new JsonObject().put("type", "post").put("cid", "p" + i).put("text", text));
        assertThat(socket.next("ack").getJsonObject("post").getString("text")).isEqualTo(text);
      }
    }

    JsonObject reader = server.join(slug, "Reader");
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), 0)) {
      ws.sendText(new JsonObject().put("type", "hello").put("room", slug).put("token", reader.getString("token")).encode());
      List<RawWebSocket.Frame> frames = new ArrayList<>();
      RawWebSocket.Frame f;
      do {
        f = ws.readFrame();
        frames.add(f);
      } while (!f.fin());

      assertThat(frames.size()).as("frames of the welcome").isGreaterThan(1);
      assertThat(frames.get(0).opcode()).isEqualTo(RawWebSocket.TEXT);
      assertThat(frames.subList(1, frames.size())).allSatisfy(c -> assertThat(c.opcode()).isEqualTo(RawWebSocket.CONTINUATION));
      assertThat(frames).allSatisfy(c -> assertThat(c.payload().length).isLessThanOrEqualTo(MAX_FRAME));
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      for (RawWebSocket.Frame c : frames) {
        whole.write(c.payload());
      }
      JsonObject welcome = new JsonObject(whole.toString(StandardCharsets.UTF_8));
      assertThat(welcome.getString("type")).isEqualTo("welcome");
      JsonArray posts = welcome.getJsonArray("posts");
      List<String> received = new ArrayList<>();
      posts.forEach(p -> received.add(((JsonObject) p).getString("text")));
      assertThat(received).containsExactlyElementsOf(texts);
    }
  }
}
