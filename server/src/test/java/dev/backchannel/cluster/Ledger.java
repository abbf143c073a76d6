package dev.backchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.model.TwoDecimals;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.scoring.Tally;
import dev.backchannel.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * What the fault tests check after the dust settles: the export against what the phones were
 * acknowledged, the stored sums against a full recomputation from the exported ratings, and the
 * room's seq against the number of changes the acknowledged commands make when each is applied
 * exactly once. Also a direct look into Redis (not through the server) for what a test cannot see
 * from outside: which unanswered commands Redis applied, and who is subscribed to a room's wake-ups.
 */
final class Ledger {

  private static final ScoringRules RULES = ScoringRules.defaults();

  private Ledger() {}

  /** The room's JSON export, read with the moderator key. */
  static JsonObject export(TestServer node, String slug, String moderatorKey) {
    TestServer.Response r = node.request(HttpMethod.GET, "/api/rooms/" + slug + "/export", moderatorKey, null);
    assertThat(r.status()).as("export: %s", r.body()).isEqualTo(200);
    return r.json();
  }

  /**
   * Every rating the phones were acknowledged is in the export with its last acknowledged value,
   * nothing else is, and each post counts exactly its distinct raters.
   */
  static void assertRatingsAreTheAcknowledgedOnes(JsonObject export, List<Phone> phones) {
    Map<String, Integer> expected = new TreeMap<>();
    for (Phone phone : phones) {
      assertThat(phone.pending).as("%s still waits for acks", phone.name).isEmpty();
      phone.intended().forEach((post, value) -> {
        if (value != null) {
          expected.put(post + "/" + phone.id, value);
        }
      });
    }
    Map<String, Integer> stored = new TreeMap<>();
    export.getJsonArray("ratings").forEach(o -> {
      JsonObject r = (JsonObject) o;
      Integer before = stored.put(r.getString("post") + "/" + r.getString("participant"), r.getInteger("value"));
      assertThat(before).as("a second rating of one participant on one post: %s", r).isNull();
    });
    assertThat(stored).as("ratings in the export (post/participant -> value)").isEqualTo(expected);
    Map<String, Integer> perPost = new HashMap<>();
    expected.keySet().forEach(k -> perPost.merge(k.substring(0, k.indexOf('/')), 1, Integer::sum));
    export.getJsonArray("posts").forEach(o -> {
      JsonObject p = (JsonObject) o;
      assertThat(p.getInteger("ratings")).as("ratings count of %s", p.getString("id"))
          .isEqualTo(perPost.getOrDefault(p.getString("id"), 0));
    });
  }

  /**
   * Each post's count, score and divergence and each participant's karma equal a full recomputation
   * from the exported ratings (weight × value; every post here was written before any rating, so
   * its author's prior is 0).
   */
  static void assertEqualsRecomputation(JsonObject export) {
    Map<String, Tally> tallies = new HashMap<>();
    Map<String, String> authors = new HashMap<>();
    export.getJsonArray("posts").forEach(o -> {
      JsonObject p = (JsonObject) o;
      tallies.put(p.getString("id"), Tally.EMPTY);
      authors.put(p.getString("id"), p.getJsonObject("author").getString("id"));
    });
    Map<String, Long> karmaUnits = new HashMap<>();
    export.getJsonArray("ratings").forEach(o -> {
      JsonObject r = (JsonObject) o;
      long weight = Math.round(r.getDouble("weight") * ScoringRules.UNITS);
      int value = r.getInteger("value");
      tallies.computeIfPresent(r.getString("post"), (k, t) -> t.plus(weight, value));
      karmaUnits.merge(authors.get(r.getString("post")), weight * value, Long::sum);
    });
    export.getJsonArray("posts").forEach(o -> {
      JsonObject p = (JsonObject) o;
      Tally t = tallies.get(p.getString("id"));
      assertThat(p.getInteger("ratings")).as("ratings of %s", p.getString("id")).isEqualTo(t.n());
      assertThat(p.getDouble("score")).as("score of %s recomputed", p.getString("id"))
          .isEqualTo(TwoDecimals.round(RULES.score(t, 0)));
      assertThat(p.getDouble("divergence")).as("divergence of %s recomputed", p.getString("id"))
          .isEqualTo(TwoDecimals.round(RULES.divergence(t)));
    });
    export.getJsonArray("participants").forEach(o -> {
      JsonObject m = (JsonObject) o;
      assertThat(m.getDouble("karma")).as("karma of %s recomputed", m.getString("id"))
          .isEqualTo(TwoDecimals.round(RULES.karma(karmaUnits.getOrDefault(m.getString("id"), 0L))));
    });
  }

  /** Every participant appears once in the export, however often a join was retried underneath. */
  static void assertParticipantsListedOnce(JsonObject export) {
    List<String> ids = new ArrayList<>();
    export.getJsonArray("participants").forEach(o -> ids.add(((JsonObject) o).getString("id")));
    assertThat(ids).as("participants in the export").doesNotHaveDuplicates();
  }

  /** The room's seq as a fresh moderator socket's welcome gives it. */
  static long seq(TestServer node, String slug, String moderatorKey) {
    try (var s = node.socket()) {
      return s.helloKey(slug, moderatorKey).getLong("seq");
    }
  }

  /** Number of state changes the phones' commands make when each is applied once, in order. */
  static long expectedSeq(List<Phone> phones) {
    long changes = 0;
    for (Phone p : phones) {
      changes += p.effectiveRatingChanges();
      changes += p.log.stream().filter(s -> "post".equals(s.frame.getString("type"))).count();
    }
    return changes;
  }

  /** Once every phone has the export's count and score for every post, from its frames alone; false if not within the bound. */
  static boolean viewsConverge(JsonObject export, List<Phone> phones) {
    return waitFor(Duration.ofSeconds(5), () -> {
      phones.forEach(p -> p.pump(Duration.ofMillis(20)));
      return phones.stream().allMatch(p -> viewMatches(export, p));
    });
  }

  /** Posts whose count or score in the phone's view differs from the export, for messages. */
  static List<String> viewDifferences(JsonObject export, Phone phone) {
    List<String> out = new ArrayList<>();
    export.getJsonArray("posts").forEach(o -> {
      JsonObject p = (JsonObject) o;
      JsonObject seen = phone.view.get(p.getString("id"));
      if (seen == null || !seen.getInteger("ratings").equals(p.getInteger("ratings"))
          || !seen.getDouble("score").equals(p.getDouble("score"))) {
        out.add(p.getString("id") + ": stored " + p.getInteger("ratings") + "/" + p.getDouble("score") + ", seen "
            + (seen == null ? "nothing" : seen.getInteger("ratings") + "/" + seen.getDouble("score")));
      }
    });
    return out;
  }

  private static boolean viewMatches(JsonObject export, Phone phone) {
    return viewDifferences(export, phone).isEmpty();
  }

  static boolean waitFor(Duration bound, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      sleep(20);
    }
    return condition.getAsBoolean();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Pumps every phone until none waits for an answer (ack or error) to what it last sent, within the bound. */
  static boolean settle(List<Phone> phones, Duration bound) {
    return waitFor(bound, () -> {
      phones.forEach(p -> p.pump(Duration.ofMillis(10)));
      return phones.stream().allMatch(p -> p.pending.keySet().stream().allMatch(p.refused::containsKey));
    });
  }

  /** A direct connection to Redis, around the server, for what only Redis knows. */
  static final class Probe implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    final RedisCommands<String, String> redis;

    Probe(String uri) {
      client = RedisClient.create(uri);
      connection = client.connect();
      redis = connection.sync();
    }

    /** Whether Redis remembers an answer to this participant's cid: the command was applied. */
    boolean applied(String slug, String participantId, String cid) {
      return redis.exists("bc:{" + slug + "}:ack:" + participantId + ":" + cid) == 1;
    }

    /** Subscribers of the room's wake-up channel: one per node that follows the room. */
    long wakeSubscribers(String slug) {
      return redis.pubsubNumsub("bc:{" + slug + "}:wake").values().iterator().next();
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
