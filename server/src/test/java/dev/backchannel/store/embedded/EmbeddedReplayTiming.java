package dev.backchannel.store.embedded;

import static dev.backchannel.testing.TestServer.await;

import dev.backchannel.store.embedded.EmbeddedStore.Durability;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, start-up time: how long the embedded store takes to replay a room of 100,000 ratings
 * (1,000 raters, each rating 100 posts). A measurement, not a test: it prints figures and asserts
 * nothing, and its name keeps it out of the build's test runs (surefire takes *Test and
 * *Properties). Run it with {@code mvn -pl server -am test-compile surefire:test
 * -Dtest=EmbeddedReplayTiming -Dsurefire.failIfNoSpecifiedTests=false}. With
 * {@code -Dbackchannel.replayDir=DIR} the journal is kept there and reused by the next run, whose
 * first start is then a cold one, as a server's is.
 */
class EmbeddedReplayTiming {

  private static final int POSTS = 100;
  private static final int RATERS = 1000;
  /** Commands in flight at once while the room is built: below the fixture's journal queue of 1,000. */
  private static final int WAVE = 500;

  @TempDir
  Path temp;

  @Test
  void replayARoomOf100000Ratings() throws Exception {
    String kept = System.getProperty("backchannel.replayDir");
    Path dir = kept == null ? temp : Path.of(kept);
    try (EmbeddedFixture fixture = new EmbeddedFixture()) {
      if (!Files.exists(dir.resolve(Journal.FILE))) {
        long built = System.nanoTime();
        build(fixture.open(dir, Durability.ALWAYS));
        System.out.printf("[replay timing] built %d ratings in %d ms%n", POSTS * RATERS, millisSince(built));
      }
      System.out.printf("[replay timing] journal %d MB (%s)%n", Files.size(dir.resolve(Journal.FILE)) >> 20, dir);
      // Building the room here warms the memory engine's code: quote the first start of a run that
      // found the journal kept (a cold JIT, as at a server's start).
      for (int i = 1; i <= 3; i++) {
        long opened = System.nanoTime();
        EmbeddedStore store = fixture.opening(dir, Durability.ALWAYS).toCompletionStage().toCompletableFuture()
            .get(5, TimeUnit.MINUTES);
        long millis = millisSince(opened);
        System.out.printf("[replay timing] start %d: %d ms, seq %d%n", i, millis, await(store.load("timing")).seq());
        await(store.close());
      }
    }
  }

  /** One room: POSTS authors write a post each, then RATERS participants rate every post. */
  private static void build(EmbeddedStore store) {
    await(store.createRoom(EmbeddedFixture.room("timing")));
    List<String> posts = new ArrayList<>();
    for (int a = 0; a < POSTS; a++) {
      String author = await(store.join("timing", "author" + a, network(a))).id();
      posts.add(await(store.post("timing", author, "p", "question " + a, null)).id());
    }
    List<Future<?>> wave = new ArrayList<>();
    for (int r = 0; r < RATERS; r++) {
      String rater = await(store.join("timing", "rater" + r, network(POSTS + r))).id();
      for (int p = 0; p < POSTS; p++) {
        // 1..5: no post collapses, so every rating counts.
        wave.add(store.rate("timing", rater, "r" + p, posts.get(p), 1 + (r + p) % 5));
        if (wave.size() == WAVE) {
          await(Future.all(wave));
          wave.clear();
        }
      }
    }
    await(Future.all(wave));
    await(store.close());
  }

  /**
   * A venue's mix: four in five behind the Wi-Fi's three NAT addresses, the rest on 200 mobile
   * networks. The network rule weighs each rating over its post's networks, so spreading all
   * raters over 250 networks instead makes the replay about twice as slow.
   */
  private static String network(int participant) {
    return participant % 5 == 0 ? "10.1." + (participant % 200) + ".0/24" : "10.0." + (participant % 3) + ".0/24";
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
