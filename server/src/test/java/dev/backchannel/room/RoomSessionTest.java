package dev.backchannel.room;

import static dev.backchannel.room.RoomFlow.drain;
import static dev.backchannel.room.RoomFlow.find;
import static dev.backchannel.room.RoomFlow.ids;
import static dev.backchannel.room.RoomFlow.mark;
import static dev.backchannel.room.RoomFlow.nextPosts;
import static dev.backchannel.room.RoomFlow.post;
import static dev.backchannel.room.RoomFlow.rate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.room.RoomFlow.Member;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one socket gets over its life in a room, over real WebSockets: the welcome (resumed from
 * {@code since} or a fresh snapshot), presence counts, and the staff dashboard.
 */
class RoomSessionTest {

  private static final int INTERVAL_MS = 50;
  /** Long enough for any pending broadcast or dashboard to go out. */
  private static final Duration QUIET = Duration.ofMillis(400);

  private static Vertx vertx;
  private static TestServer server;
  /** Short history and snapshot, so the limits are reached with a handful of posts. */
  private static TestServer small;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    // The post allowance is raised so tests can post freely; its own limit is tested elsewhere.
    server = TestServer.start(vertx, "--broadcast-interval-ms=" + INTERVAL_MS, "--dashboard-interval-ms=100",
        "--posts-per-window=1000");
    small = TestServer.start(vertx, "--broadcast-interval-ms=" + INTERVAL_MS, "--posts-per-window=1000",
        "--history-limit=3", "--snapshot-limit=5");
  }

  @AfterAll
  static void stop() {
    server.close();
    small.close();
    TestServer.await(vertx.close());
  }

  // ---- resume and snapshots ----

  @Test
  void reconnectingWithSinceGetsAnEmptyResumedWelcomeThenWhatItMissed() {
    try (RoomFlow room = RoomFlow.create(server, "#resume")) {
      Member ada = room.join("Ada");
      Member bob = room.join("Bob");
      Member pat = room.join("Pat");
      String x = post(ada.socket(), "x").getString("id");
      long seen = nextPosts(pat.socket(), x, p -> true, "appears").getLong("seq");
      pat.socket().close();

      String y = post(ada.socket(), "y").getString("id");
      rate(bob.socket(), x, 2);
      // Let the live broadcast of these changes go out first, so only the resume can bring them.
      nextPosts(ada.socket(), x, p -> p.getInteger("ratings") == 1, "is rated");

      Member back = room.reconnect(pat, seen);
      assertThat(back.welcome().getBoolean("resumed")).isTrue();
      assertThat(back.welcome().getJsonArray("posts")).isEmpty();
      assertThat(back.welcome().getLong("seq")).isEqualTo(seen + 2);
      JsonObject missed = back.socket().next("posts");
      assertThat(missed.getLong("seq")).isEqualTo(seen + 2);
      assertThat(ids(missed.getJsonArray("posts"))).containsExactlyInAnyOrder(x, y);
      assertThat(find(missed.getJsonArray("posts"), x).getInteger("ratings")).isEqualTo(1);
      assertThat(find(missed.getJsonArray("posts"), y).getString("text")).isEqualTo("y");
      assertThat(drain(back.socket(), "posts", QUIET)).as("the missed changes come once").isEmpty();

      Member upToDate = room.reconnect(pat, seen + 2);
      assertThat(upToDate.welcome().getBoolean("resumed")).isTrue();
      assertThat(upToDate.welcome().getJsonArray("posts")).isEmpty();
      assertThat(drain(upToDate.socket(), "posts", QUIET)).as("nothing was missed").isEmpty();
    }
  }

  @Test
  void aResumeBringsAPostHiddenMeanwhileWithoutItsTextExceptToModerators() {
    try (RoomFlow room = RoomFlow.create(server, "#resumehidden")) {
      Member ada = room.join("Ada");
      Member pat = room.join("Pat");
      TestSocket moderator = room.staff(room.moderatorKey);
      String x = post(ada.socket(), "soon hidden").getString("id");
      long seen = nextPosts(pat.socket(), x, p -> true, "appears").getLong("seq");
      pat.socket().close();
      moderator.close();

      TestSocket hider = room.staff(room.moderatorKey);
      mark(hider, x, "hidden");
      nextPosts(ada.socket(), x, p -> "hidden".equals(p.getString("status")), "is hidden");

      Member back = room.reconnect(pat, seen);
      assertThat(back.welcome().getBoolean("resumed")).isTrue();
      JsonObject toParticipant = find(back.socket().next("posts").getJsonArray("posts"), x);
      assertThat(toParticipant.getString("status")).isEqualTo("hidden");
      assertThat(toParticipant.getString("text")).isEmpty();

      TestSocket modBack = server.socket();
      try {
        modBack.send(new JsonObject().put("type", "hello").put("room", room.slug).put("key", room.moderatorKey)
            .put("since", seen));
        assertThat(modBack.next("welcome").getBoolean("resumed")).isTrue();
        JsonObject toModerator = find(modBack.next("posts").getJsonArray("posts"), x);
        assertThat(toModerator.getString("status")).isEqualTo("hidden");
        assertThat(toModerator.getString("text")).isEqualTo("soon hidden");
      } finally {
        modBack.close();
      }
    }
  }

  @Test
  void sinceAboveTheRoomsSeqGetsAFreshSnapshot() {
    try (RoomFlow room = RoomFlow.create(server, "#ahead")) {
      Member ada = room.join("Ada");
      String x = post(ada.socket(), "x").getString("id");
      String y = post(ada.socket(), "y").getString("id");

      Member back = room.reconnect(ada, 1000L);
      assertThat(back.welcome().getBoolean("resumed")).isFalse();
      assertThat(back.welcome().getLong("seq")).isEqualTo(2);
      assertThat(ids(back.welcome().getJsonArray("posts"))).containsExactly(y, x);
    }
  }

  @Test
  void sinceOlderThanTheHistoryGetsASnapshotAndTheOldestHeldPointResumes() {
    try (RoomFlow room = RoomFlow.create(small, "#history")) {
      Member ada = room.join("Ada");
      Member pat = room.join("Pat");
      List<String> posts = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        posts.add(post(ada.socket(), "p" + i).getString("id"));
      }
      // Five changes with three held: events 3..5 remain, so since=2 is the oldest point that resumes.
      Member stale = room.reconnect(pat, 1L);
      assertThat(stale.welcome().getBoolean("resumed")).isFalse();
      assertThat(ids(stale.welcome().getJsonArray("posts")))
          .containsExactly(posts.get(4), posts.get(3), posts.get(2), posts.get(1), posts.get(0));

      Member edge = room.reconnect(pat, 2L);
      assertThat(edge.welcome().getBoolean("resumed")).isTrue();
      assertThat(ids(edge.socket().next("posts").getJsonArray("posts")))
          .containsExactlyInAnyOrder(posts.get(2), posts.get(3), posts.get(4));
    }
  }

  @Test
  void snapshotIsNewestFirstAndCappedAtTheSnapshotLimit() {
    try (RoomFlow room = RoomFlow.create(small, "#cap")) {
      Member ada = room.join("Ada");
      List<String> posts = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        posts.add(post(ada.socket(), "p" + i).getString("id"));
      }
      Member pat = room.join("Pat");
      assertThat(pat.welcome().getBoolean("resumed")).isFalse();
      assertThat(ids(pat.welcome().getJsonArray("posts")))
          .containsExactly(posts.get(6), posts.get(5), posts.get(4), posts.get(3), posts.get(2));
      assertThat(pat.welcome().getJsonObject("room").getInteger("posts")).as("the room still has all").isEqualTo(7);
    }
  }

  @Test
  void snapshotCarriesTheParticipantsOwnRatings() {
    try (RoomFlow room = RoomFlow.create(server, "#mine")) {
      Member ada = room.join("Ada");
      Member pat = room.join("Pat");
      String x = post(ada.socket(), "x").getString("id");
      String y = post(ada.socket(), "y").getString("id");
      String z = post(ada.socket(), "z").getString("id");
      String w = post(ada.socket(), "w").getString("id");
      rate(pat.socket(), x, 3);
      rate(pat.socket(), y, -2);
      rate(pat.socket(), z, 1);
      rate(pat.socket(), z, null);

      JsonArray snapshot = room.reconnect(pat, null).welcome().getJsonArray("posts");
      assertThat(ids(snapshot)).containsExactly(w, z, y, x);
      assertThat(find(snapshot, x).getInteger("mine")).isEqualTo(3);
      assertThat(find(snapshot, y).getInteger("mine")).isEqualTo(-2);
      assertThat(find(snapshot, z).containsKey("mine")).as("withdrawn").isFalse();
      assertThat(find(snapshot, w).containsKey("mine")).as("never rated").isFalse();

      JsonArray authors = room.reconnect(ada, null).welcome().getJsonArray("posts");
      assertThat(authors.stream().map(p -> (JsonObject) p)).noneMatch(p -> p.containsKey("mine"));
    }
  }

  // ---- presence ----

  @Test
  void presenceCountsDistinctParticipantsWithAnOpenSocket() {
    try (RoomFlow room = RoomFlow.create(server, "#presence")) {
      TestSocket speaker = room.staff(room.speakerKey);
      assertThat(room.lastWelcome.getJsonObject("room").getInteger("online")).as("staff do not count").isZero();

      Member p1 = room.join("P1");
      assertThat(p1.welcome().getJsonObject("room").getInteger("online")).isEqualTo(1);
      assertThat(speaker.next("presence").getInteger("online")).isEqualTo(1);

      Member p1Again = room.reconnect(p1, null);
      assertThat(p1Again.welcome().getJsonObject("room").getInteger("online")).isEqualTo(1);
      Member p2 = room.join("P2");
      assertThat(p2.welcome().getJsonObject("room").getInteger("online")).isEqualTo(2);
      assertThat(speaker.next("presence").getInteger("online")).as("P1's second socket counts once").isEqualTo(2);
      assertThat(room.roomInfo().getInteger("online")).isEqualTo(2);

      p2.socket().close();
      assertThat(speaker.next("presence").getInteger("online")).isEqualTo(1);
      assertThat(room.roomInfo().getInteger("online")).isEqualTo(1);

      p1.socket().close();
      assertThat(drain(speaker, "presence", QUIET)).as("P1 is still online on another socket").isEmpty();
      assertThat(room.roomInfo().getInteger("online")).isEqualTo(1);

      p1Again.socket().close();
      assertThat(speaker.next("presence").getInteger("online")).isZero();
      assertThat(room.roomInfo().getInteger("online")).isZero();
    }
  }

  // ---- dashboard ----

  @Test
  void staffGetADashboardRightAfterWelcomeAndAfterChangesButParticipantsNever() {
    try (RoomFlow room = RoomFlow.create(server, "#dash")) {
      Member ada = room.join("Ada");
      Member watcher = room.join("Watcher");
      String first = post(ada.socket(), "first").getString("id");

      TestSocket speaker = room.staff(room.speakerKey);
      JsonObject initial = speaker.next();
      assertThat(initial.getString("type")).isEqualTo("dashboard");
      assertThat(ids(initial.getJsonArray("recent"))).containsExactly(first);
      assertThat(ids(initial.getJsonArray("top"))).containsExactly(first);
      assertThat(initial.getJsonArray("divergent")).isEmpty();
      assertThat(initial.getJsonObject("pulse").getInteger("posts")).isEqualTo(1);
      assertThat(initial.getJsonObject("pulse").getInteger("online")).isEqualTo(2);
      TestSocket moderator = room.staff(room.moderatorKey);
      assertThat(moderator.next().getString("type")).isEqualTo("dashboard");

      String second = post(ada.socket(), "second").getString("id");
      JsonObject changed = speaker.next(f -> "dashboard".equals(f.getString("type"))
          && ids(f.getJsonArray("recent")).contains(second), "a dashboard with the second post");
      assertThat(ids(changed.getJsonArray("recent"))).containsExactly(second, first);
      assertThat(changed.getJsonObject("pulse").getInteger("posts")).isEqualTo(2);

      List<JsonObject> toParticipant = watcher.socket().drain(QUIET);
      assertThat(toParticipant).as("the watcher did get the room's changes").anyMatch(f -> "posts".equals(f.getString("type")));
      assertThat(toParticipant).noneMatch(f -> "dashboard".equals(f.getString("type")));
    }
  }

  @Test
  void dashboardListsTopDivergentAndRecentByTheirRules() {
    try (RoomFlow room = RoomFlow.create(server, "#columns")) {
      Member ada = room.join("Ada");
      List<Member> raters = List.of(room.join("R1"), room.join("R2"), room.join("R3"));
      TestSocket speaker = room.staff(room.speakerKey);
      TestSocket moderator = room.staff(room.moderatorKey);
      List<String> p = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        p.add(post(ada.socket(), "post " + i).getString("id"));
      }
      rateAll(raters, p.get(0), 5, 5, 5);   // score 3.0, undivided
      rateAll(raters, p.get(1), 5, -5, 5);  // score 1.0, divided
      rateAll(raters, p.get(2), 5, -5);     // divided, but only two ratings
      rateAll(raters, p.get(3), -1);        // below the unrated posts

      JsonObject d = speaker.next(f -> "dashboard".equals(f.getString("type"))
          && f.getJsonObject("pulse").getDouble("ratingsPerMinute") == 9.0, "a dashboard with all nine ratings");
      List<String> top = ids(d.getJsonArray("top"));
      assertThat(top).hasSize(10);
      assertThat(top.subList(0, 2)).containsExactly(p.get(0), p.get(1));
      assertThat(top).doesNotContain(p.get(3));
      assertThat(scores(d.getJsonArray("top"))).isSortedAccordingTo((a, b) -> Double.compare(b, a));
      assertThat(ids(d.getJsonArray("divergent"))).as("only posts with three ratings or more")
          .containsExactly(p.get(1), p.get(0));
      assertThat(ids(d.getJsonArray("recent")))
          .containsExactly(p.get(11), p.get(10), p.get(9), p.get(8), p.get(7), p.get(6), p.get(5), p.get(4), p.get(3), p.get(2));

      mark(speaker, p.get(0), "answered");
      mark(moderator, p.get(11), "hidden");
      mark(speaker, p.get(1), "highlighted");
      JsonObject after = speaker.next(f -> "dashboard".equals(f.getString("type"))
          && !ids(f.getJsonArray("recent")).contains(p.get(11))
          && "highlighted".equals(find(f.getJsonArray("top"), p.get(1)) == null ? null
              : find(f.getJsonArray("top"), p.get(1)).getString("status")), "a dashboard after the marks");
      assertThat(ids(after.getJsonArray("top"))).as("answered and hidden posts leave top")
          .doesNotContain(p.get(0), p.get(11)).startsWith(p.get(1)).hasSize(10);
      assertThat(ids(after.getJsonArray("divergent"))).containsExactly(p.get(1));
      assertThat(ids(after.getJsonArray("recent"))).doesNotContain(p.get(11)).startsWith(p.get(10)).hasSize(10);
      assertThat(after.getJsonObject("pulse").getInteger("posts")).isEqualTo(11);
    }
  }

  @Test
  void pulseCountsRatingsPerMinuteAndTheirMood() {
    try (RoomFlow room = RoomFlow.create(server, "#pulse")) {
      Member ada = room.join("Ada");
      List<Member> raters = List.of(room.join("R1"), room.join("R2"), room.join("R3"));
      String x = post(ada.socket(), "x").getString("id");
      TestSocket speaker = room.staff(room.speakerKey);
      JsonObject calm = speaker.next("dashboard").getJsonObject("pulse");
      assertThat(calm.getDouble("ratingsPerMinute")).isEqualTo(0.0);
      assertThat(calm.getDouble("mood")).isEqualTo(0.0);

      rateAll(raters, x, 5, 5, 5);
      JsonObject pulse = speaker.next(f -> "dashboard".equals(f.getString("type"))
          && f.getJsonObject("pulse").getDouble("ratingsPerMinute") == 3.0, "a pulse with three ratings")
          .getJsonObject("pulse");
      assertThat(pulse.getDouble("mood")).as("newcomers weigh 1 each").isEqualTo(5.0);
      assertThat(pulse.getInteger("online")).isEqualTo(4);
      assertThat(pulse.getInteger("posts")).isEqualTo(1);
    }
  }

  /** Each rater gives the value at their index. */
  private static void rateAll(List<Member> raters, String postId, int... values) {
    for (int i = 0; i < values.length; i++) {
      rate(raters.get(i).socket(), postId, values[i]);
    }
  }

  private static List<Double> scores(JsonArray posts) {
    List<Double> out = new ArrayList<>();
    posts.forEach(p -> out.add(((JsonObject) p).getDouble("score")));
    return out;
  }
}
