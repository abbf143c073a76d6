package dev.backchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.RedisServer;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, fault 2: redis-server dies with SIGKILL and comes back on the same AOF directory
 * ({@code appendfsync always}) while two nodes serve one room. During the outage commands answer
 * {@code unavailable} on sockets that stay open; afterwards every acknowledged change is there,
 * retries with the same cids are acknowledged without counting twice, and both nodes hear the
 * room's wake-ups again.
 */
class RedisCrashTest {

  private RedisServer redis;
  private Vertx vertxA;
  private Vertx vertxB;
  private TestServer nodeA;
  private TestServer nodeB;
  private final List<Phone> phones = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    String[] flags = {"--store=redis", "--redis-uri=" + redis.uri(), "--broadcast-interval-ms=20",
        "--dashboard-interval-ms=20", "--ratings-per-second=1000", "--rating-burst=1000", "--posts-per-window=100",
        "--loops=2", "--gateways=2"};
    nodeA = TestServer.start(vertxA, flags);
    nodeB = TestServer.start(vertxB, flags);
  }

  @AfterEach
  void stop() {
    phones.forEach(Phone::close);
    nodeA.close();
    nodeB.close();
    TestServer.await(vertxA.close());
    TestServer.await(vertxB.close());
    redis.close();
  }

  @Test
  void aRedisCrashAndRestartLosesNoAcknowledgedChangeAndCountsNoRetryTwice() {
    JsonObject room = nodeA.createRoom("#redis-crash");
    String slug = room.getString("slug");
    String moderatorKey = room.getString("moderatorKey");
    Phone author = phone(slug, "author", nodeA);
    Phone r1 = phone(slug, "r1", nodeA);
    Phone r2 = phone(slug, "r2", nodeB);
    Phone r3 = phone(slug, "r3", nodeB);
    // Nobody rates the writer's posts: its karma stays 0, so their prior is 0 as the recomputation assumes.
    Phone writer = phone(slug, "writer", nodeA);
    List<Phone> raters = List.of(r1, r2, r3);

    List<String> posts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Phone.Sent sent = author.post("before the crash " + i);
      assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).isTrue();
      posts.add(sent.ack.getJsonObject("post").getString("id"));
    }
    for (int i = 0; i < raters.size(); i++) {
      for (int j = 0; j < posts.size(); j++) {
        raters.get(i).rate(posts.get(j), (i + j) % 2 == 0 ? 4 : -3);
      }
    }
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).as("ratings before the crash").isTrue();
    Phone.Sent ackedBeforeCrash = r1.log.get(0);
    JsonObject before = Ledger.export(nodeA, slug, moderatorKey);

    redis.kill();
    long killedAt = System.nanoTime();
    int sent = 0;
    for (int i = 0; i < raters.size(); i++) {
      // Two commands on one post: a retry counted twice would flip the value and show.
      raters.get(i).rate(posts.get(i), 5);
      raters.get(i).rate(posts.get(i), -5);
      sent += 2;
    }
    writer.post("during the outage");
    sent++;
    CompletableFuture<Integer> healthOfB = CompletableFuture.supplyAsync(() -> health(nodeB));
    int healthA = health(nodeA);
    int healthB = healthOfB.join();
    Ledger.settle(phones, TestServer.TIMEOUT);
    long refusedAfter = millis(killedAt);
    int refused = phones.stream().mapToInt(p -> p.unavailable).sum();
    boolean open = phones.stream().allMatch(p -> !p.isClosed() && p.pingPong());

    redis.restart();
    long restartedAt = System.nanoTime();
    long outageMillis = (restartedAt - killedAt) / 1_000_000;
    int rounds = 0;
    while (phones.stream().anyMatch(p -> !p.pending.isEmpty()) && millis(restartedAt) < TestServer.TIMEOUT.toMillis()) {
      phones.forEach(Phone::retryRefused);
      Ledger.settle(phones, Duration.ofSeconds(5));
      rounds++;
    }
    long recoveredAfter = millis(restartedAt);
    int refusedInAll = phones.stream().mapToInt(p -> p.unavailable).sum();

    // A cid acknowledged before the crash, sent again: the same answer, nothing changes.
    JsonObject firstAck = ackedBeforeCrash.ack.copy();
    r1.resend(ackedBeforeCrash);
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).isTrue();

    long subscribers;
    try (Ledger.Probe probe = new Ledger.Probe(redis.uri())) {
      Ledger.waitFor(TestServer.TIMEOUT, () -> probe.wakeSubscribers(slug) >= 2);
      subscribers = probe.wakeSubscribers(slug);
    }
    long postedAt = System.nanoTime();
    Phone.Sent after = writer.post("after the restart");
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).isTrue();
    String afterId = after.ack.getJsonObject("post").getString("id");
    boolean reachedB = Ledger.waitFor(TestServer.TIMEOUT, () -> {
      r2.pump(Duration.ofMillis(10));
      return r2.view.containsKey(afterId);
    });
    long reachedBMillis = millis(postedAt);

    System.out.printf("[fault: redis kill -9 + restart] %d acked before the crash; %d commands sent into the outage, "
            + "%d answered unavailable after %d ms; /health A %d, B %d; sockets open: %s; Redis down %d ms; after the "
            + "restart the retries (same cids) were all acked %d ms later, in %d rounds, %d unavailable answers in all; "
            + "%d nodes subscribed to the room's wake-ups again; a post through A reached B's phone after %d ms: %s%n",
        before.getJsonArray("ratings").size() + before.getJsonArray("posts").size(), sent, refused, refusedAfter,
        healthA, healthB, open, outageMillis, recoveredAfter, rounds, refusedInAll, subscribers, reachedBMillis, reachedB);

    assertThat(refused).as("every command sent into the outage answers unavailable").isEqualTo(sent);
    assertThat(open).as("sockets stay open through the outage and still answer ping").isTrue();
    assertThat(healthA).as("/health on A while Redis is down").isEqualTo(503);
    assertThat(healthB).as("/health on B while Redis is down").isEqualTo(503);
    assertThat(phones.stream().allMatch(p -> p.pending.isEmpty())).as("every retry acknowledged").isTrue();
    phones.forEach(p -> assertThat(p.otherErrors).as("errors %s got", p.name).isEmpty());
    assertThat(ackedBeforeCrash.ack).as("the answer to a cid acked before the crash, asked again").isEqualTo(firstAck);

    JsonObject export = Ledger.export(nodeB, slug, moderatorKey);
    Ledger.assertRatingsAreTheAcknowledgedOnes(export, phones);
    Ledger.assertEqualsRecomputation(export);
    assertThat(export.getJsonArray("posts").stream().map(p -> ((JsonObject) p).getString("text")).toList())
        .as("each acknowledged post once").containsExactly("before the crash 0", "before the crash 1",
            "before the crash 2", "during the outage", "after the restart");
    assertThat(Ledger.seq(nodeA, slug, moderatorKey)).as("seq: one per change, none for a retried cid")
        .isEqualTo(Ledger.expectedSeq(phones));
    assertThat(subscribers).as("both nodes subscribed to the room's wake-ups after the restart").isEqualTo(2);
    assertThat(reachedB).as("a post made through A after the restart reaches a socket on B").isTrue();
  }

  private Phone phone(String slug, String name, TestServer node) {
    Phone phone = new Phone(node.vertx(), name, slug, node.join(slug, name));
    phones.add(phone);
    phone.connect(node.port());
    return phone;
  }

  private static int health(TestServer node) {
    return node.request(HttpMethod.GET, "/health", null, null).status();
  }

  private static long millis(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1_000_000;
  }
}
