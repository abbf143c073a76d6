package dev.backchannel.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestServer.Response;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} tells an operator what the server is doing, in Prometheus text format. */
class MetricsTest {

  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--broadcast-interval-ms=20");
  }

  @AfterEach
  void stop() {
    server.close();
    TestServer.await(vertx.close());
  }

  @Test
  void commandsErrorsSocketsRoomsAndStoreLatencyAreCounted() {
    JsonObject room = server.createRoom("#metrics");
    String slug = room.getString("slug");
    JsonObject ada = server.join(slug, "Ada");
    try (TestSocket s = server.socket(); TestSocket speaker = server.socket()) {
      s.helloToken(slug, ada.getString("token"));
      speaker.helloKey(slug, room.getString("speakerKey"));
      s.send(new JsonObject().put("type", "post").put("cid", "c1").put("text", "hello"));
      s.next("ack");
      s.send(new JsonObject().put("type", "rate").put("cid", "c2").put("post", "nope").put("value", 1));
      s.next("error");
      speaker.next("posts"); // the broadcast went out

      String text = metrics();
      assertThat(value(text, "backchannel_commands_total\\{outcome=\"ack\",type=\"post\"\\}")).isEqualTo(1);
      assertThat(value(text, "backchannel_commands_total\\{outcome=\"not_found\",type=\"rate\"\\}")).isEqualTo(1);
      assertThat(value(text, "backchannel_errors_total\\{code=\"not_found\"\\}")).isEqualTo(1);
      assertThat(value(text, "backchannel_sockets\\{role=\"participant\"\\}")).isEqualTo(1);
      assertThat(value(text, "backchannel_sockets\\{role=\"speaker\"\\}")).isEqualTo(1);
      assertThat(value(text, "backchannel_rooms")).isEqualTo(1);
      assertThat(value(text, "backchannel_store_seconds_count\\{op=\"post\"\\}")).isEqualTo(1);
      assertThat(value(text, "backchannel_batch_posts_count")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "backchannel_fanout_frames_total")).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void httpErrorsAreCountedByCode() {
    assertThat(server.request(HttpMethod.GET, "/api/rooms/nowhere", null, null).status()).isEqualTo(404);
    assertThat(value(metrics(), "backchannel_errors_total\\{code=\"not_found\"\\}")).isEqualTo(1);
  }

  @Test
  void livenessAndReadinessAnswerApart() {
    assertThat(server.request(HttpMethod.GET, "/health/live", null, null).status()).isEqualTo(200);
    assertThat(server.request(HttpMethod.GET, "/health/ready", null, null).status()).isEqualTo(200);
    assertThat(server.request(HttpMethod.GET, "/health", null, null).status()).isEqualTo(200);
  }

  private String metrics() {
    Response r = server.request(HttpMethod.GET, "/metrics", null, null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    return r.body();
  }

  private static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(text);
    assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
