package dev.backchannel.room;

import static dev.backchannel.room.RoomFlow.drain;
import static dev.backchannel.room.RoomFlow.errorCode;
import static dev.backchannel.room.RoomFlow.find;
import static dev.backchannel.room.RoomFlow.ids;
import static dev.backchannel.room.RoomFlow.mark;
import static dev.backchannel.room.RoomFlow.nextPosts;
import static dev.backchannel.room.RoomFlow.post;
import static dev.backchannel.room.RoomFlow.rate;
import static dev.backchannel.room.RoomFlow.tryMark;
import static dev.backchannel.room.RoomFlow.tryPost;
import static dev.backchannel.room.RoomFlow.tryRate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.room.RoomFlow.Member;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What every socket of a room sees when the room changes, over real WebSockets: the Post object of
 * broadcasts and acks, seq numbering, coalescing, text rules, replies, hidden / collapsed /
 * highlighted posts and closing a room.
 */
class RoomBroadcastTest {

  private static final int INTERVAL_MS = 50;
  /** Long enough for any pending broadcast to go out: a few broadcast intervals. */
  private static final Duration QUIET = Duration.ofMillis(6 * INTERVAL_MS);

  private static Vertx vertx;
  private static TestServer server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    // The post allowance is raised so tests can post freely; its own limit is tested elsewhere.
    server = TestServer.start(vertx, "--broadcast-interval-ms=" + INTERVAL_MS, "--posts-per-window=1000");
  }

  @AfterAll
  static void stop() {
    server.close();
    TestServer.await(vertx.close());
  }

  @Test
  void postReachesOthersAsFullPostWithoutMineAndRatingAckCarriesMine() {
    try (RoomFlow room = RoomFlow.create(server, "#shape")) {
      Member ada = room.join("Ada");
      Member bob = room.join("Bob");

      JsonObject acked = post(ada.socket(), "How does karma decay?");
      String id = acked.getString("id");
      assertThat(id).isNotBlank();
      assertThat(acked.getJsonObject("author").getMap())
          .containsEntry("id", ada.id()).containsEntry("nick", "Ada").containsKey("karma");
      assertThat(acked.getJsonObject("author").getDouble("karma")).isEqualTo(0.0);
      assertThat(acked.getString("text")).isEqualTo("How does karma decay?");
      assertThat(acked.containsKey("replyTo")).as("replyTo is present, as null").isTrue();
      assertThat(acked.getValue("replyTo")).isNull();
      assertThat(acked.getString("createdAt")).endsWith("Z");
      assertThat(Instant.parse(acked.getString("createdAt"))).isBeforeOrEqualTo(Instant.now());
      assertThat(acked.getDouble("score")).isEqualTo(0.0);
      assertThat(acked.getDouble("divergence")).isEqualTo(0.0);
      assertThat(acked.getInteger("ratings")).isZero();
      assertThat(acked.getString("status")).isEqualTo("visible");
      assertThat(acked.containsKey("mine")).isFalse();

      JsonObject seen = find(nextPosts(bob.socket(), id, p -> true, "appears").getJsonArray("posts"), id);
      assertThat(seen).as("the broadcast shows the same post as the author's ack").isEqualTo(acked);

      JsonObject rated = rate(bob.socket(), id, 4);
      assertThat(rated.getInteger("mine")).isEqualTo(4);
      assertThat(rated.getInteger("ratings")).isEqualTo(1);
      assertThat(rated.getDouble("score")).isEqualTo(1.33);

      // The author's copy of the rating's broadcast is shared bytes: never anyone's own rating.
      JsonObject broadcast = find(nextPosts(ada.socket(), id, p -> p.getInteger("ratings") == 1, "is rated")
          .getJsonArray("posts"), id);
      assertThat(broadcast.containsKey("mine")).isFalse();
      assertThat(broadcast.getDouble("score")).isEqualTo(1.33);
      assertThat(broadcast.getJsonObject("author").getDouble("karma")).isEqualTo(0.8);
    }
  }

  @Test
  void seqAdvancesByExactlyOnePerChangeAndNotForNoOps() {
    try (RoomFlow room = RoomFlow.create(server, "#seq")) {
      Member ada = room.join("Ada");
      Member bob = room.join("Bob");
      Member listener = room.join("Lis");
      TestSocket speaker = room.staff(room.speakerKey);
      long start = listener.welcome().getLong("seq");

      String id = post(ada.socket(), "first").getString("id");
      assertThat(nextPosts(listener.socket(), id, p -> true, "appears").getLong("seq")).isEqualTo(start + 1);

      rate(bob.socket(), id, 3);
      assertThat(nextPosts(listener.socket(), id, p -> p.getInteger("ratings") == 1, "is rated")
          .getLong("seq")).isEqualTo(start + 2);

      mark(speaker, id, "answered");
      assertThat(nextPosts(listener.socket(), id, p -> "answered".equals(p.getString("status")), "is answered")
          .getLong("seq")).isEqualTo(start + 3);

      // The same rating and the same mark again are acknowledged but change nothing.
      JsonObject same = rate(bob.socket(), id, 3);
      assertThat(same.getInteger("mine")).isEqualTo(3);
      assertThat(same.getInteger("ratings")).isEqualTo(1);
      assertThat(mark(speaker, id, "answered").getString("status")).isEqualTo("answered");
      assertThat(drain(listener.socket(), "posts", QUIET)).as("no broadcast for a no-op").isEmpty();

      assertThat(rate(bob.socket(), id, null).containsKey("mine")).as("a withdrawn rating is no one's").isFalse();
      assertThat(nextPosts(listener.socket(), id, p -> p.getInteger("ratings") == 0, "loses its rating")
          .getLong("seq")).as("withdrawing is the next change").isEqualTo(start + 4);

      String second = post(ada.socket(), "second").getString("id");
      assertThat(nextPosts(listener.socket(), second, p -> true, "appears").getLong("seq")).isEqualTo(start + 5);
      assertThat(room.reconnect(listener, null).welcome().getLong("seq")).isEqualTo(start + 5);
    }
  }

  @Test
  void aSocketLetInBeforeAPendingBatchGoesOutDoesNotGetItsChangesTwice() {
    int interval = 1000; // long enough that the join below lands while the batch is still pending
    try (TestServer slow = TestServer.start(vertx, "--broadcast-interval-ms=" + interval);
        RoomFlow room = RoomFlow.create(slow, "#nodupes")) {
      Member author = room.join("Author");
      Member early = room.join("Early");
      String id = post(author.socket(), "fresh").getString("id");
      Member late = room.join("Late");
      assertThat(ids(late.welcome().getJsonArray("posts"))).containsExactly(id);

      nextPosts(early.socket(), id, p -> true, "appears"); // the pending batch has gone out now
      assertThat(drain(late.socket(), "posts", Duration.ofMillis(interval)))
          .as("the welcome already held the batch's change").isEmpty();

      String second = post(author.socket(), "second").getString("id");
      assertThat(ids(nextPosts(late.socket(), second, p -> true, "appears").getJsonArray("posts")))
          .containsExactly(second);
    }
  }

  @Test
  void manyQuickRatingsAreCoalescedIntoFewFramesEndingInTheFinalState() {
    int interval = 200;
    int raters = 30;
    try (TestServer slow = TestServer.start(vertx, "--broadcast-interval-ms=" + interval);
        RoomFlow room = RoomFlow.create(slow, "#coalesce")) {
      Member author = room.join("Author");
      Member listener = room.join("Listener");
      List<Member> crowd = new ArrayList<>();
      for (int i = 0; i < raters; i++) {
        crowd.add(room.join("r" + i));
      }
      String id = post(author.socket(), "rate me").getString("id");
      nextPosts(listener.socket(), id, p -> true, "appears");

      long t0 = System.nanoTime();
      List<String> cids = new ArrayList<>();
      for (int i = 0; i < raters; i++) {
        String cid = "quick-" + i;
        cids.add(cid);
        crowd.get(i).socket().send(new JsonObject().put("type", "rate").put("cid", cid).put("post", id).put("value", 5));
      }
      for (int i = 0; i < raters; i++) {
        String cid = cids.get(i);
        JsonObject ack = crowd.get(i).socket().next(f -> cid.equals(f.getString("cid")), "the answer to " + cid);
        assertThat(ack.getString("type")).as("answer %s", ack).isEqualTo("ack");
      }
      List<JsonObject> frames = new ArrayList<>();
      JsonObject last;
      do {
        last = listener.socket().next("posts");
        frames.add(last);
      } while (find(last.getJsonArray("posts"), id).getInteger("ratings") < raters);
      List<JsonObject> late = drain(listener.socket(), "posts", Duration.ofMillis(3L * interval));
      frames.addAll(late);
      double elapsedMs = (System.nanoTime() - t0) / 1e6;

      assertThat(late).as("nothing follows the final state").isEmpty();
      assertThat((double) frames.size())
          .as("%d posts frames in %.0f ms at one per %d ms", frames.size(), elapsedMs, interval)
          .isLessThanOrEqualTo(elapsedMs / interval + 2);
      JsonObject finalState = find(frames.get(frames.size() - 1).getJsonArray("posts"), id);
      assertThat(finalState.getInteger("ratings")).isEqualTo(raters);
      // thirty +5s from one network (every test socket joins from 127.0.0.1) count as twelve
      // newcomers' (DESIGN.md v2): (12·5) / (2 + 12), where v1 gave (30·5) / (2 + 30) = 4.69
      assertThat(finalState.getDouble("score")).isEqualTo(4.29);
      assertThat(frames.get(frames.size() - 1).getLong("seq"))
          .isEqualTo(listener.welcome().getLong("seq") + 1 + raters);
    }
  }

  @Test
  void textIsNormalisedTrimmedAndStrippedOfControlCharacters() {
    try (RoomFlow room = RoomFlow.create(server, "#text")) {
      Member ada = room.join("Ada");
      Member bob = room.join("Bob");

      JsonObject cleaned = post(ada.socket(), "  Cafe\u0301\u0007 line\r\nnext\t\u0000  ");
      assertThat(cleaned.getString("text")).isEqualTo("Caf\u00e9 line\nnext");
      assertThat(find(nextPosts(bob.socket(), cleaned.getString("id"), p -> true, "appears").getJsonArray("posts"),
          cleaned.getString("id")).getString("text")).isEqualTo("Caf\u00e9 line\nnext");

      assertThat(post(ada.socket(), "a".repeat(500)).getString("text")).hasSize(500);
      assertThat(errorCode(tryPost(ada.socket(), "a".repeat(501), null))).isEqualTo("invalid");
      // Limits count what is left after trimming and NFC: 500 decomposed é are 500 characters.
      assertThat(post(ada.socket(), "   " + "b".repeat(500) + "   ").getString("text")).isEqualTo("b".repeat(500));
      assertThat(post(ada.socket(), "e\u0301".repeat(500)).getString("text")).isEqualTo("\u00e9".repeat(500));
      assertThat(errorCode(tryPost(ada.socket(), " \u0001\u0007\t ", null))).as("nothing left").isEqualTo("invalid");
    }
  }

  @Test
  void markupIsReturnedVerbatimEverywhere() {
    String markup = "<b>bold</b> & <script>alert('x')</script> &amp; <img src=x onerror=alert(1)>";
    try (RoomFlow room = RoomFlow.create(server, "#markup")) {
      Member ada = room.join("Ada");
      Member bob = room.join("Bob");
      JsonObject acked = post(ada.socket(), markup);
      assertThat(acked.getString("text")).isEqualTo(markup);
      String id = acked.getString("id");
      assertThat(find(nextPosts(bob.socket(), id, p -> true, "appears").getJsonArray("posts"), id)
          .getString("text")).isEqualTo(markup);
      assertThat(find(room.listing("new"), id).getString("text")).isEqualTo(markup);
    }
  }

  @Test
  void repliesNameAnExistingPostOnly() {
    try (RoomFlow room = RoomFlow.create(server, "#replies")) {
      Member ada = room.join("Ada");
      Member bob = room.join("Bob");
      String parent = post(ada.socket(), "question").getString("id");

      JsonObject answer = tryPost(bob.socket(), "answer", parent);
      JsonObject reply = answer.getJsonObject("post");
      assertThat(reply).as("answer %s", answer).isNotNull();
      assertThat(reply.getString("replyTo")).isEqualTo(parent);
      assertThat(find(nextPosts(ada.socket(), reply.getString("id"), p -> true, "appears").getJsonArray("posts"),
          reply.getString("id")).getString("replyTo")).isEqualTo(parent);

      JsonObject orphan = tryPost(bob.socket(), "to nowhere", "no-such-post");
      assertThat(errorCode(orphan)).isEqualTo("not_found");
      assertThat(orphan.getString("cid")).isNotBlank();
      assertThat(ids(room.listing("new"))).containsExactly(reply.getString("id"), parent);
    }
  }

  @Test
  void hiddenPostsReachParticipantsOnceWithoutTextAndStayWithModerators() {
    try (RoomFlow room = RoomFlow.create(server, "#hidden")) {
      Member ada = room.join("Ada");
      Member bob = room.join("Bob");
      Member listener = room.join("Lis");
      TestSocket moderator = room.staff(room.moderatorKey);
      TestSocket watchingModerator = room.staff(room.moderatorKey);
      String kept = post(ada.socket(), "fine").getString("id");
      String id = post(ada.socket(), "secret text").getString("id");
      nextPosts(listener.socket(), id, p -> true, "appears");

      JsonObject hidden = mark(moderator, id, "hidden");
      assertThat(hidden.getString("status")).isEqualTo("hidden");
      assertThat(hidden.getString("text")).isEqualTo("secret text");

      JsonObject toAudience = find(nextPosts(listener.socket(), id, p -> "hidden".equals(p.getString("status")),
          "is hidden").getJsonArray("posts"), id);
      assertThat(toAudience.getString("text")).isEmpty();
      JsonObject toModerator = find(nextPosts(watchingModerator, id, p -> "hidden".equals(p.getString("status")),
          "is hidden").getJsonArray("posts"), id);
      assertThat(toModerator.getString("text")).isEqualTo("secret text");

      // Once: later broadcasts never carry the hidden post again.
      String later = post(bob.socket(), "later").getString("id");
      JsonObject next = nextPosts(listener.socket(), later, p -> true, "appears");
      assertThat(find(next.getJsonArray("posts"), id)).isNull();

      for (String sort : List.of("new", "top", "divergent")) {
        assertThat(ids(room.listing(sort))).as(sort).doesNotContain(id);
      }
      assertThat(ids(room.listing("new"))).containsExactly(later, kept);
      assertThat(room.roomInfo().getInteger("posts")).isEqualTo(2);

      assertThat(ids(room.reconnect(bob, null).welcome().getJsonArray("posts"))).containsExactly(later, kept);
      room.staff(room.moderatorKey);
      JsonObject modWelcome = room.lastWelcome;
      assertThat(ids(modWelcome.getJsonArray("posts"))).containsExactly(later, id, kept);
      assertThat(find(modWelcome.getJsonArray("posts"), id).getString("text")).isEqualTo("secret text");

      assertThat(errorCode(tryRate(bob.socket(), id, 1))).isEqualTo("not_found");
      assertThat(errorCode(tryPost(bob.socket(), "reply to hidden", id))).isEqualTo("not_found");
    }
  }

  @Test
  void fiveDownratingsCollapseAPostThatIsStillSentWhole() {
    try (RoomFlow room = RoomFlow.create(server, "#collapse")) {
      Member ada = room.join("Ada");
      Member listener = room.join("Lis");
      String id = post(ada.socket(), "a bad take").getString("id");
      JsonObject last = null;
      for (int i = 0; i < 5; i++) {
        last = rate(room.join("down" + i).socket(), id, -5);
        assertThat(last.getString("status")).as("after %d ratings", i + 1).isEqualTo(i < 4 ? "visible" : "collapsed");
      }
      assertThat(last.getDouble("score")).isEqualTo(-3.57);

      JsonObject seen = find(nextPosts(listener.socket(), id, p -> "collapsed".equals(p.getString("status")),
          "is collapsed").getJsonArray("posts"), id);
      assertThat(seen.getString("text")).isEqualTo("a bad take");
      assertThat(seen.getInteger("ratings")).isEqualTo(5);
    }
  }

  @Test
  void highlightingAnotherPostTurnsThePreviousOneBackToVisible() {
    try (RoomFlow room = RoomFlow.create(server, "#highlight")) {
      Member ada = room.join("Ada");
      Member listener = room.join("Lis");
      TestSocket speaker = room.staff(room.speakerKey);
      String a = post(ada.socket(), "A").getString("id");
      String b = post(ada.socket(), "B").getString("id");

      assertThat(mark(speaker, a, "highlighted").getString("status")).isEqualTo("highlighted");
      nextPosts(listener.socket(), a, p -> "highlighted".equals(p.getString("status")), "is highlighted");
      assertThat(mark(speaker, b, "highlighted").getString("status")).isEqualTo("highlighted");

      JsonObject frame = nextPosts(listener.socket(), b, p -> "highlighted".equals(p.getString("status")), "is highlighted");
      JsonObject previous = find(frame.getJsonArray("posts"), a);
      if (previous == null) {
        previous = find(nextPosts(listener.socket(), a, p -> true, "changes").getJsonArray("posts"), a);
      }
      assertThat(previous.getString("status")).isEqualTo("visible");
      assertThat(room.listing("new").stream().map(p -> ((JsonObject) p).getString("status")))
          .containsExactlyInAnyOrder("highlighted", "visible");
    }
  }

  @Test
  void closingARoomTellsEverySocketAndRefusesPostsAndRatingsButNotMarks() {
    try (RoomFlow room = RoomFlow.create(server, "#closing")) {
      Member ada = room.join("Ada");
      Member bob = room.join("Bob");
      TestSocket speaker = room.staff(room.speakerKey);
      TestSocket moderator = room.staff(room.moderatorKey);
      String id = post(ada.socket(), "before the end").getString("id");

      TestServer.Response closed = server.request(HttpMethod.POST, "/api/rooms/" + room.slug + "/close", room.moderatorKey, null);
      assertThat(closed.status()).isEqualTo(200);
      for (TestSocket s : List.of(ada.socket(), bob.socket(), speaker, moderator)) {
        JsonObject change = s.next("room");
        assertThat(change.getMap()).containsEntry("status", "closed");
      }

      assertThat(errorCode(tryPost(ada.socket(), "after the end", null))).isEqualTo("room_closed");
      assertThat(errorCode(tryRate(bob.socket(), id, 5))).isEqualTo("room_closed");
      assertThat(mark(speaker, id, "answered").getString("status")).isEqualTo("answered");
      assertThat(tryMark(moderator, id, "hidden").getString("type")).isEqualTo("ack");
      assertThat(room.roomInfo().getString("status")).isEqualTo("closed");
      assertThat(room.reconnect(bob, null).welcome().getJsonObject("room").getString("status")).isEqualTo("closed");
    }
  }
}
