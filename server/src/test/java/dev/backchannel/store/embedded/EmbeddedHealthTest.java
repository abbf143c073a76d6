package dev.backchannel.store.embedded;

import static dev.backchannel.testing.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.metrics.TimedStore;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, a full disk as a load balancer and an operator see it: with the embedded store, a
 * commit that fails makes {@code GET /health} (and {@code /health/ready}) answer 503 while
 * {@code /health/live} stays 200 (the process is fine; restarting it would not make room), the
 * refused command answers 503 {@code unavailable} and leaves nothing behind, and once a commit
 * succeeds again {@code /health} answers 200. The disk fills as in {@link EmbeddedDiskFaultTest}:
 * SQLite's {@code max_page_count} at the file's current size.
 */
class EmbeddedHealthTest {

  /** The longest title a room may have: a few rooms fill a page. */
  private static final String TITLE = "t".repeat(200);

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    await(vertx.close());
  }

  @Test
  void aFullDiskFailsReadinessNotLivenessUntilACommitSucceedsAgain() {
    server = TestServer.start(vertx, "--store=embedded", "--data-dir=" + dir);
    EmbeddedStore store = (EmbeddedStore) ((TimedStore) server.store()).engine();
    assertThat(status("/health")).isEqualTo(200);
    store.limitPages(await(store.withJournal(Journal::pages)));

    int created = 0;
    TestServer.Response refused = null;
    while (refused == null && created < 200) {
      TestServer.Response r = createRoom("full" + created);
      if (r.status() == 201) {
        created++;
      } else {
        refused = r;
      }
    }
    assertThat(refused).as("the disk filled up").isNotNull();
    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
    assertThat(refused.json().getJsonObject("error").getString("code")).isEqualTo("unavailable");
    assertThat(status("/health")).isEqualTo(503);
    assertThat(status("/health/ready")).isEqualTo(503);
    assertThat(status("/health/live")).isEqualTo(200);
    assertThat(status("/api/rooms/full" + created)).as("the refused room").isEqualTo(404);

    store.limitPages(1_000_000);
    // Healthy again with no command at all: a node out of the load balancer gets none to try.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (status("/health") != 200 && System.nanoTime() < deadline) {
      TestServer.await(server.vertx().timer(50));
    }
    assertThat(status("/health")).as("healthy once a write would succeed").isEqualTo(200);
    assertThat(createRoom("full" + created).status()).as("the same room, retried").isEqualTo(201);
    assertThat(status("/health")).isEqualTo(200);
    assertThat(status("/health/ready")).isEqualTo(200);
  }

  private int status(String path) {
    return server.request(HttpMethod.GET, path, null, null).status();
  }

  private TestServer.Response createRoom(String hashtag) {
    return server.request(HttpMethod.POST, "/api/rooms", server.organizerKey(),
        new JsonObject().put("hashtag", hashtag).put("title", TITLE).encode());
  }
}
