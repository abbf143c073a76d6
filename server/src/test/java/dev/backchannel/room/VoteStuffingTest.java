package dev.backchannel.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.model.TwoDecimals;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.scoring.Tally;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, under v1 weighting (v2 caps a network: {@link NetworkRuleTest}): a crowd of fresh identities (sock puppets: joining is free) against the participants
 * the room has come to trust. Each fresh identity weighs exactly what any newcomer weighs, 1, no
 * matter how many of them there are; each established participant weighs {@code w(k) > 1} by
 * their karma; the post's score is DESIGN.md's weighted formula over both, exactly. So four times
 * as many puppets push with 200 / (50·w(5)) ≈ 2.97 times the regulars' weight, not 4 times.
 */
class VoteStuffingTest {

  private static final ScoringRules RULES = ScoringRules.defaults();
  private static final int ESTABLISHED = 50;
  private static final int FRESH = 200;
  /** Newcomers who rate each established participant's post +5: karma 5 each, weight w(5). */
  private static final int BOOSTERS = 5;

  private static Vertx vertx;
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    vertx = Vertx.vertx();
    // Joins and ratings come much faster than any audience's: the limits are not what is tested.
    // v1 weighting: every identity here joins from 127.0.0.1, one network, which v2 would cap as one.
    server = TestServer.start(vertx, "--network-weighting=false", "--joins-per-minute=100000", "--ratings-per-second=100000", "--rating-burst=100000",
        "--frames-per-second=100000", "--frame-burst=100000", "--broadcast-interval-ms=500");
  }

  @AfterAll
  static void stopServer() {
    server.close();
    TestServer.await(vertx.close());
  }

  /** A participant as the join call makes them. */
  private record Identity(String id, String token) {}

  @Test
  void twoHundredFreshIdentitiesCountNoMoreThanTheirWeightAgainstFiftyEstablishedOnes() {
    JsonObject created = server.createRoom("#stuffing");
    String slug = created.getString("slug");
    String moderatorKey = created.getString("moderatorKey");

    // The target is a newcomer's post, so its prior is 0 and the score is the ratings alone.
    String target;
    try (Session author = open(slug, join(slug, "author"))) {
      target = call(author, post("target", "Is this talk any good?")).getJsonObject("post").getString("id");
    }

    // Fifty participants earn karma the ordinary way: their posts are rated +5 by others.
    List<Identity> established = new ArrayList<>();
    List<String> theirPosts = new ArrayList<>();
    for (int i = 0; i < ESTABLISHED; i++) {
      Identity e = join(slug, "regular-" + i);
      established.add(e);
      try (Session s = open(slug, e)) {
        theirPosts.add(call(s, post("own", "A good question, number " + i)).getJsonObject("post").getString("id"));
      }
    }
    for (int b = 0; b < BOOSTERS; b++) {
      try (Session s = open(slug, join(slug, "booster-" + b))) {
        for (int i = 0; i < ESTABLISHED; i++) {
          call(s, rate("b" + i, theirPosts.get(i), 5));
        }
      }
    }
    long newcomerWeight = RULES.weightUnits(0.0);
    double establishedKarma = RULES.karma(BOOSTERS * newcomerWeight * 5);
    long establishedWeight = RULES.weightUnits(establishedKarma);
    assertThat(newcomerWeight).isEqualTo(ScoringRules.UNITS);
    assertThat(establishedKarma).isEqualTo(5.0);
    assertThat(establishedWeight).as("w(5) = 1 + 0.5·ln 2").isEqualTo(13466L).isGreaterThan(newcomerWeight);

    for (Identity e : established) {
      try (Session s = open(slug, e)) {
        assertThat(s.karma()).isEqualTo(TwoDecimals.round(establishedKarma));
        call(s, rate("up", target, 5));
      }
    }

    // Two hundred fresh identities, four times as many, rate it down: each is a newcomer, and the
    // two-hundredth weighs what the first did.
    for (int j = 0; j < FRESH; j++) {
      try (Session s = open(slug, join(slug, "puppet-" + j))) {
        assertThat(s.karma()).isZero();
        JsonObject acked = call(s, rate("down", target, -5));
        assertThat(acked.getJsonObject("post").getInteger("ratings")).isEqualTo(ESTABLISHED + j + 1);
      }
    }

    // Every rating carries the weight it was given with: w(5) for the regulars, exactly 1 for the rest.
    JsonObject export = export(slug, moderatorKey);
    Map<String, Double> weightByRater = export.getJsonArray("ratings").stream().map(JsonObject.class::cast)
        .filter(r -> target.equals(r.getString("post")))
        .collect(Collectors.toMap(r -> r.getString("participant"), r -> r.getDouble("weight")));
    assertThat(weightByRater).hasSize(ESTABLISHED + FRESH);
    Set<String> regulars = established.stream().map(Identity::id).collect(Collectors.toSet());
    weightByRater.forEach((rater, weight) -> assertThat(weight).as("weight of %s", rater)
        .isEqualTo(regulars.contains(rater) ? establishedWeight / (double) ScoringRules.UNITS : 1.0));

    // The score is DESIGN.md's formula over exactly those weights...
    Tally weighted = Tally.EMPTY;
    Tally unweighted = Tally.EMPTY;
    for (int i = 0; i < ESTABLISHED; i++) {
      weighted = weighted.plus(establishedWeight, 5);
      unweighted = unweighted.plus(newcomerWeight, 5);
    }
    for (int j = 0; j < FRESH; j++) {
      weighted = weighted.plus(newcomerWeight, -5);
      unweighted = unweighted.plus(newcomerWeight, -5);
    }
    double expected = RULES.score(weighted, 0);
    double oneVoteEach = RULES.score(unweighted, 0);
    // (2·0 + 50·1.3466·5 − 200·5) / (2 + 50·1.3466 + 200) = −663.35 / 269.33
    assertThat(TwoDecimals.round(expected)).isEqualTo(-2.46);
    assertThat(TwoDecimals.round(oneVoteEach)).isEqualTo(-2.98);
    JsonObject post = listed(slug).get(target);
    assertThat(post.getDouble("score")).isEqualTo(TwoDecimals.round(expected));
    assertThat(post.getInteger("ratings")).isEqualTo(ESTABLISHED + FRESH);
    // ...so the regulars count for more than a head count would give them, and the puppets for no more.
    assertThat(post.getDouble("score")).isGreaterThan(TwoDecimals.round(oneVoteEach));
  }

  private static Identity join(String slug, String nick) {
    JsonObject joined = server.join(slug, nick);
    return new Identity(joined.getJsonObject("participant").getString("id"), joined.getString("token"));
  }

  /** A participant's socket past its welcome, with the karma the welcome showed. */
  private record Session(TestSocket socket, double karma) implements AutoCloseable {
    @Override
    public void close() {
      socket.close();
    }
  }

  private static Session open(String slug, Identity who) {
    TestSocket s = server.socket();
    JsonObject welcome = s.helloToken(slug, who.token());
    return new Session(s, welcome.getJsonObject("you").getDouble("karma"));
  }

  /** Sends a command and returns its ack, failing on anything else. */
  private static JsonObject call(Session session, JsonObject command) {
    String cid = command.getString("cid");
    session.socket().send(command);
    JsonObject answer = session.socket().next(f -> cid.equals(f.getString("cid")), "an answer to " + cid);
    assertThat(answer.getString("type")).as("answer to %s: %s", command, answer).isEqualTo("ack");
    return answer;
  }

  private static JsonObject post(String cid, String text) {
    return new JsonObject().put("type", "post").put("cid", cid).put("text", text);
  }

  private static JsonObject rate(String cid, String postId, int value) {
    return new JsonObject().put("type", "rate").put("cid", cid).put("post", postId).put("value", value);
  }

  private static JsonObject export(String slug, String moderatorKey) {
    TestServer.Response r = server.request(HttpMethod.GET, "/api/rooms/" + slug + "/export?format=json", moderatorKey, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static Map<String, JsonObject> listed(String slug) {
    TestServer.Response r = server.request(HttpMethod.GET, "/api/rooms/" + slug + "/posts?sort=new&limit=200", null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonArray("posts").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(p -> p.getString("id"), Function.identity()));
  }
}
