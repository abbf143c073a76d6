package dev.backchannel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.config.ConfigLoader;
import dev.backchannel.gateway.Backchannel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tiny {@code stuffing} run end to end against a real server started in-process, trusting this
 * machine as its proxy (the scenario's addresses are X-Forwarded-For values) and with rating limits
 * raised so nobody has to pace. Checks the report's structure and that its values are sane, not
 * what the server's scoring makes of the attacks (that is what the scenario is for).
 */
class StuffingSmokeTest {

  private static final String KEY = "smoke-organizer-key-0123456789";
  private static Vertx vertx;
  private static Backchannel server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    var config = new ConfigLoader().load(List.of("--port=0", "--host=127.0.0.1", "--organizer-key=" + KEY,
        "--trusted-proxies=127.0.0.1", "--joins-per-minute=1000000", "--ratings-per-second=1000", "--rating-burst=1000",
        "--broadcast-interval-ms=50", "--dashboard-interval-ms=50"), Map.of());
    server = Run.await(Backchannel.start(vertx, config), 30);
  }

  @AfterAll
  static void stop() {
    Run.await(server.stop(), 30);
    Run.await(vertx.close(), 30);
  }

  @Test
  void everyAttackGetsARowWithSaneValues() {
    Report report = Bench.run("stuffing", List.of("--target=http://127.0.0.1:" + server.port(),
        "--organizer-key=" + KEY, "--server-pid=" + ProcessHandle.current().pid(), "--people=30", "--posts=12",
        "--sybils=20", "--networks=3", "--mimic-posts=4", "--seeds=1", "--seed=7", "--rating-pause-ms=0",
        "--settle=0.1", "--label=smoke"));
    JsonObject json = report.json();
    JsonObject results = json.getJsonObject("results");
    assertThat(results.getString("label")).isEqualTo("smoke");

    JsonObject metrics = json.getJsonObject("metrics");
    assertThat(metrics.getJsonObject("rooms (seeds × attacks)").getDouble("value")).isEqualTo(3);
    assertThat(metrics.getJsonObject("honest ratings acked").getDouble("value")).isPositive()
        .isEqualTo(metrics.getJsonObject("honest ratings planned").getDouble("value"));
    assertThat(metrics.fieldNames()).noneMatch(name -> name.startsWith("errors."));
    JsonObject noAttack = results.getJsonObject("noAttack");
    assertThat(noAttack.getDouble("topPrecision")).isBetween(0.0, 1.0);
    assertThat(noAttack.getDouble("trollRank")).isGreaterThanOrEqualTo(1.0);
    // A server without network weighting sends no held frames: then held is n/a, not 0.
    assertThat(noAttack.getValue("heldNetworks") == null).isEqualTo(!results.getBoolean("heldFramesSeen"));

    JsonArray cases = results.getJsonArray("cases");
    assertThat(cases).hasSize(3);
    for (int i = 0; i < cases.size(); i++) {
      JsonObject c = cases.getJsonObject(i);
      assertThat(c.getString("mode")).isIn("naive", "mimic", "brigade");
      assertThat(c.getString("post")).isEqualTo("brigade".equals(c.getString("mode")) ? "target" : "troll");
      assertThat(c.getDouble("sybilsJoined")).isEqualTo(20);
      assertThat(c.getDouble("sybilRatingsAcked")).isEqualTo("mimic".equals(c.getString("mode")) ? 20 * (4 + 1) : 20);
      for (String when : List.of("before", "after")) {
        JsonObject s = c.getJsonObject(when);
        assertThat(s.getDouble("topPrecision")).as(when).isBetween(0.0, 1.0);
        if (s.getDouble("divergentPrecision") != null) {
          assertThat(s.getDouble("divergentPrecision")).as(when).isBetween(0.0, 1.0);
        }
        if (s.getInteger("absent") == 0) {
          assertThat(s.getDouble("rank")).as(when).isBetween(1.0, 12.0);
        } else {
          assertThat(s.getDouble("rank")).as(when).isNull();
        }
      }
      assertThat(c.getJsonArray("rooms")).hasSize(1);
    }
    assertThat(report.table()).contains("naive, 20 from 3 networks", "mimic, 20 from 3 networks",
        "brigade, 20 from 3 networks", "top-10 precision");
  }
}
