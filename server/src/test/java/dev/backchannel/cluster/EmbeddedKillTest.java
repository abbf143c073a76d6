package dev.backchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, fault: a single node on the embedded store (durability {@code always}) dies with
 * SIGKILL in the middle of a rating burst and is started again on the same data directory. Every
 * acknowledged command is there, the phones resume with {@code since} and their old tokens, their
 * retries with the same cids count once, and the room equals a recomputation from its ratings.
 */
class EmbeddedKillTest extends EmbeddedNodeFixture {


  @Override
  String durability() {
    return "always";
  }

  @Test
  void killingTheNodeMidBurstLosesNoAcknowledgedCommandAndCountsNoRetryTwice() {
    JsonObject room = node.request("POST", "/api/rooms", ORGANIZER_KEY, new JsonObject().put("hashtag", "#kill-nine"), 201);
    String slug = room.getString("slug");
    for (int i = 0; i < 6; i++) {
      Phone phone = new Phone(vertx, "p" + i, slug,
          node.request("POST", "/api/rooms/" + slug + "/participants", null, new JsonObject().put("nick", "P" + i), 201));
      phones.add(phone);
      phone.connect(node.port());
    }
    List<String> posts = new ArrayList<>();
    for (Phone phone : phones) {
      Phone.Sent sent = phone.post("question from " + phone.name);
      assertThat(Ledger.waitFor(TestServer.TIMEOUT, () -> {
        phone.pump(Duration.ofMillis(10));
        return sent.ack != null;
      })).as("ack of %s's post", phone.name).isTrue();
      posts.add(sent.ack.getJsonObject("post").getString("id"));
    }

    // Round 1, acknowledged; round 2, a burst of changes and withdrawals (two per post, so a retry
    // that counted again would show in seq), and SIGKILL under it.
    for (int k = 1; k < phones.size(); k++) {
      for (int i = 0; i < phones.size(); i++) {
        phones.get(i).rate(posts.get((i + k) % phones.size()), value(i, k, 0));
      }
    }
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).as("round 1 acknowledged").isTrue();
    for (int k = 1; k < phones.size(); k++) {
      for (int i = 0; i < phones.size(); i++) {
        String post = posts.get((i + k) % phones.size());
        phones.get(i).rate(post, value(i, k, 1));
        phones.get(i).rate(post, k % 3 == 0 ? null : value(i, k, 2));
      }
    }
    phones.forEach(p -> p.pump(Duration.ofMillis(5)));
    node.kill();
    phones.forEach(p -> p.pump(Duration.ZERO));
    int acked = phones.stream().mapToInt(p -> p.acks).sum();
    int unanswered = phones.stream().mapToInt(p -> p.pending.size()).sum();
    assertThat(Ledger.waitFor(TestServer.TIMEOUT, () -> phones.stream().allMatch(Phone::isClosed)))
        .as("the phones notice the node is gone").isTrue();

    // The node comes back on the same directory; the phones resume and retry what was never answered.
    long restartedAt = System.nanoTime();
    restarted = TestServer.start(vertx, flags);
    long restartMillis = (System.nanoTime() - restartedAt) / 1_000_000;
    List<Boolean> resumed = new ArrayList<>();
    for (Phone phone : phones) {
      resumed.add(phone.connect(restarted.port()).getBoolean("resumed"));
    }
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).as("retries acknowledged").isTrue();
    for (int i = 0; i < phones.size(); i++) {
      phones.get(i).rate(posts.get((i + 1) % phones.size()), value(i, 1, 3));
    }
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).as("round 3 acknowledged").isTrue();
    System.out.printf("[fault: embedded kill -9] %d acks before SIGKILL, %d commands unanswered; restart took %d ms;"
        + " resumed=%s%n", acked, unanswered, restartMillis, resumed);

    assertThat(resumed).as("every phone resumes from its last seq").containsOnly(true);
    phones.forEach(p -> assertThat(p.otherErrors).as("errors %s got", p.name).isEmpty());
    JsonObject export = Ledger.export(restarted, slug, room.getString("moderatorKey"));
    Ledger.assertRatingsAreTheAcknowledgedOnes(export, phones);
    Ledger.assertEqualsRecomputation(export);
    assertThat(export.getJsonArray("posts")).hasSize(posts.size());
    assertThat(Ledger.seq(restarted, slug, room.getString("moderatorKey")))
        .as("seq: one per change, none for a retried cid").isEqualTo(Ledger.expectedSeq(phones));
  }

  /** A spread of values in -5..5 that differs between rounds, so changes really change something. */
  private static int value(int phone, int k, int round) {
    return Math.floorMod(phone * 3 + k * 5 + round * 7, 11) - 5;
  }
}
