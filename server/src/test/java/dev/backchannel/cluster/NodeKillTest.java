package dev.backchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.RedisServer;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, fault 1: a server node dies with SIGKILL while participants rate through it and through
 * another node. Its phones reconnect to the survivor with {@code since} and retry what was never
 * acknowledged with the same cids; nothing acknowledged may be lost and nothing may count twice.
 */
class NodeKillTest {

  private static final String SECRET = "fault-test-token-secret-0123456789";
  private static final String ORGANIZER_KEY = "--organizer-key=test-organizer-key-0123";

  private RedisServer redis;
  private Vertx vertx;
  private TestServer nodeA;
  private ServerProcess nodeB;
  private final List<Phone> phones = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    String[] flags = {"--store=redis", "--redis-uri=" + redis.uri(), "--token-secret=" + SECRET,
        "--broadcast-interval-ms=20", "--dashboard-interval-ms=20", "--ratings-per-second=1000", "--rating-burst=1000",
        "--posts-per-window=100", "--loops=2", "--gateways=2"};
    vertx = Vertx.vertx();
    nodeA = TestServer.start(vertx, flags);
    List<String> processFlags = new ArrayList<>(List.of(flags));
    processFlags.add(ORGANIZER_KEY);
    nodeB = ServerProcess.start(processFlags.toArray(String[]::new));
  }

  @AfterEach
  void stop() {
    phones.forEach(Phone::close);
    if (nodeB != null) {
      nodeB.close();
    }
    nodeA.close();
    TestServer.await(vertx.close());
    redis.close();
  }

  @Test
  void killingANodeMidStreamLosesNoAcknowledgedRatingAndCountsNoneTwice() {
    JsonObject room = nodeA.createRoom("#node-kill");
    String slug = room.getString("slug");
    String moderatorKey = room.getString("moderatorKey");
    List<Phone> onA = new ArrayList<>();
    List<Phone> onB = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Phone phone = new Phone(vertx, "p" + i, slug, nodeA.join(slug, "P" + i));
      phones.add(phone);
      (i % 2 == 0 ? onA : onB).add(phone);
      phone.connect(i % 2 == 0 ? nodeA.port() : nodeB.port());
    }

    // Every post exists before any rating, so every author's prior is 0 in the recomputation.
    List<String> posts = new ArrayList<>();
    for (Phone phone : phones) {
      posts.add(ackOf(phone, phone.post("question from " + phone.name)).getJsonObject("post").getString("id"));
    }
    assertThat(Ledger.waitFor(Duration.ofSeconds(5), () -> {
      phones.forEach(p -> p.pump(Duration.ofMillis(10)));
      return phones.stream().allMatch(p -> p.view.keySet().containsAll(posts));
    })).as("every phone sees every post before the ratings start").isTrue();

    // Round 1: everyone rates everyone else's post, through both nodes, all acknowledged.
    for (int k = 1; k < phones.size(); k++) {
      for (int i = 0; i < phones.size(); i++) {
        phones.get(i).rate(posts.get((i + k) % phones.size()), value(i, k, 0));
      }
      phones.forEach(p -> p.pump(Duration.ofMillis(5)));
    }
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).as("round 1 acknowledged").isTrue();
    int ackedBeforeKill = phones.stream().mapToInt(p -> p.acks).sum();

    // Round 2: a burst of changes and withdrawals, two per post, and node B dies under it. Two
    // commands on one post make a retry that counted again visible: it would flip the value back
    // and forth and advance seq.
    for (int k = 1; k < phones.size(); k++) {
      for (int i = 0; i < phones.size(); i++) {
        String post = posts.get((i + k) % phones.size());
        phones.get(i).rate(post, value(i, k, 1));
        phones.get(i).rate(post, k % 3 == 0 ? null : value(i, k, 2));
      }
    }
    long killedAt = System.nanoTime();
    nodeB.kill();
    long killMillis = millisSince(killedAt);
    onA.forEach(p -> p.pump(Duration.ZERO));
    onB.forEach(p -> p.pump(Duration.ZERO));
    int sentToB = onB.size() * 2 * (phones.size() - 1);
    int ackedByBInRound2 = onB.stream().mapToInt(p -> 2 * (phones.size() - 1) - p.pending.size()).sum();

    assertThat(Ledger.waitFor(TestServer.TIMEOUT, () -> onB.stream().allMatch(Phone::isClosed)))
        .as("B's phones notice that B is gone").isTrue();
    long noticedMillis = millisSince(killedAt);

    int unansweredOnB = onB.stream().mapToInt(p -> p.pending.size()).sum();
    int appliedButUnanswered;
    try (Ledger.Probe probe = new Ledger.Probe(redis.uri())) {
      appliedButUnanswered = (int) onB.stream().flatMap(p -> p.pending.values().stream().map(s -> probe.applied(slug, p.id, s.cid)))
          .filter(Boolean::booleanValue).count();
    }

    // B's phones move to A, resume from what they saw and retry every unacknowledged command.
    long movedAt = System.nanoTime();
    List<Boolean> resumed = new ArrayList<>();
    for (Phone phone : onB) {
      resumed.add(phone.connect(nodeA.port()).getBoolean("resumed"));
    }
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).as("retries acknowledged").isTrue();
    long retriedMillis = millisSince(movedAt);

    // Round 3: the moved phones keep rating through A.
    for (int i = 0; i < phones.size(); i++) {
      phones.get(i).rate(posts.get((i + 1) % phones.size()), value(i, 1, 3));
    }
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).as("round 3 acknowledged").isTrue();

    int commands = phones.stream().mapToInt(p -> p.log.size()).sum();
    int acked = (int) phones.stream().flatMap(p -> p.log.stream()).filter(s -> s.ack != null).count();
    System.out.printf("[fault: node kill] %d commands (%d posts), %d acked before round 2; round 2 sent %d to B, "
            + "B acked %d before SIGKILL (kill took %d ms); B's phones saw their sockets close %d ms after the kill; "
            + "%d commands were unanswered, of which Redis had applied %d; after moving to A (resumed=%s) every retry "
            + "was acked within %d ms; %d commands acked in the end%n",
        commands, posts.size(), ackedBeforeKill, sentToB, ackedByBInRound2, killMillis, noticedMillis,
        unansweredOnB, appliedButUnanswered, resumed, retriedMillis, acked);

    assertThat(resumed).as("B's phones resume on A from their last seq").containsOnly(true);
    phones.forEach(p -> assertThat(p.otherErrors).as("errors %s got", p.name).isEmpty());
    assertThat(acked).isEqualTo(commands);

    JsonObject export = Ledger.export(nodeA, slug, moderatorKey);
    Ledger.assertRatingsAreTheAcknowledgedOnes(export, phones);
    Ledger.assertEqualsRecomputation(export);
    assertThat(export.getJsonArray("posts")).hasSize(posts.size());
    assertThat(Ledger.seq(nodeA, slug, moderatorKey)).as("seq: one per change, none for a retried cid")
        .isEqualTo(Ledger.expectedSeq(phones));
    boolean converged = Ledger.viewsConverge(export, phones);
    phones.forEach(p -> assertThat(Ledger.viewDifferences(export, p))
        .as("what %s's welcome and posts frames show (converged=%s)", p.name, converged).isEmpty());
  }

  private JsonObject ackOf(Phone phone, Phone.Sent sent) {
    assertThat(Ledger.waitFor(TestServer.TIMEOUT, () -> {
      phone.pump(Duration.ofMillis(10));
      return sent.ack != null;
    })).as("ack of %s", sent.cid).isTrue();
    return sent.ack;
  }

  /** A spread of values in -5..5 that differs between rounds, so changes really change something. */
  private static int value(int phone, int k, int round) {
    return Math.floorMod(phone * 3 + k * 5 + round * 7, 11) - 5;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
