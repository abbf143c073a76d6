package dev.backchannel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.config.ConfigLoader;
import dev.backchannel.gateway.Backchannel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the load generator from rotting: every scenario runs for about a second with a handful of
 * sockets against a real server started in-process on port 0, and must produce results.
 */
class BenchSmokeTest {

  private static final String KEY = "smoke-organizer-key-0123456789";
  private static Vertx vertx;
  private static Backchannel server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    var config = new ConfigLoader().load(List.of("--port=0", "--host=127.0.0.1", "--organizer-key=" + KEY,
        "--joins-per-minute=1000000", "--broadcast-interval-ms=50", "--dashboard-interval-ms=50"), Map.of());
    server = Run.await(Backchannel.start(vertx, config), 30);
  }

  @AfterAll
  static void stop() {
    Run.await(server.stop(), 30);
    Run.await(vertx.close(), 30);
  }

  private static JsonObject run(String scenario, String... args) {
    List<String> all = new ArrayList<>(List.of("--target=http://127.0.0.1:" + server.port(), "--organizer-key=" + KEY,
        "--server-pid=" + ProcessHandle.current().pid(), "--grace=0.3"));
    all.addAll(List.of(args));
    Report report = Bench.run(scenario, all);
    return report.metrics();
  }

  private static long count(JsonObject metrics, String name) {
    return metrics.getJsonObject(name).getLong("count");
  }

  private static double value(JsonObject metrics, String name) {
    return metrics.getJsonObject(name).getDouble("value");
  }

  @Test
  void fanoutDeliversEveryPostToEverySocket() {
    JsonObject m = run("fanout", "--sockets=8", "--rate=4", "--warmup=0", "--duration=1");
    assertThat(value(m, "posts measured")).isPositive();
    assertThat(count(m, "delivery from ack")).isEqualTo((long) value(m, "deliveries expected"));
    assertThat(value(m, "deliveries missing")).isZero();
  }

  @Test
  void ratingsAreAckedAndTheDashboardFollows() {
    JsonObject m = run("ratings", "--sockets=12", "--rate=40", "--posts=3", "--probes=2", "--probe-slots=2",
        "--dashboard-interval-ms=50", "--warmup=0", "--duration=1");
    assertThat(value(m, "acked ratings/s")).isPositive();
    assertThat(count(m, "rating ack")).isPositive();
    assertThat(count(m, "dashboard staleness")).isPositive();
    assertThat(value(m, "posts frames/s per audience socket (min)")).isPositive();
  }

  @Test
  void joinsAllGetTheirWelcome() {
    JsonObject m = run("joins", "--sockets=10", "--within=0.5");
    assertThat(value(m, "joined (welcome received)")).isEqualTo(10);
    assertThat(count(m, "join total")).isEqualTo(10);
  }

  @Test
  void keynoteMixesJoinsPostsRatingsAndMarks() {
    JsonObject m = run("keynote", "--sockets=20", "--ramp=0.5", "--rate=30", "--burst-rate=60", "--burst-every=1",
        "--burst-length=0.5", "--post-rate=3", "--probes=2", "--probe-slots=2", "--mark-every=1",
        "--delivery-sample=2", "--dashboard-interval-ms=50", "--warmup=0", "--duration=1");
    assertThat(count(m, "ramp: join total")).isEqualTo(20);
    assertThat(count(m, "rating ack")).isPositive();
    assertThat(count(m, "post delivery from ack (sampled sockets)")).isPositive();
    assertThat(count(m, "dashboard staleness")).isPositive();
  }

  @Test
  void idleMeasuresTheServersHeapAndRss() {
    JsonObject m = run("idle", "--sockets=10", "--settle=0");
    assertThat(value(m, "idle sockets open")).isEqualTo(10);
    assertThat(value(m, "server heap after GC, sockets open")).isPositive();
    assertThat(value(m, "server RSS, sockets open")).isPositive();
  }
}
