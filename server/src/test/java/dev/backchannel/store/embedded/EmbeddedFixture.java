package dev.backchannel.store.embedded;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.model.Failure;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.store.Ids;
import dev.backchannel.store.NewRoom;
import dev.backchannel.store.RoomEvent;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Opens embedded stores on a directory of a test's own, as the server would, and reads their answers. */
final class EmbeddedFixture implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final RoomLoops loops = TestServer.await(RoomLoops.start(vertx, 2));
  /** Every event the stores of this fixture delivered to the node. */
  final List<RoomEvent> events = new CopyOnWriteArrayList<>();

  EmbeddedStore open(Path dir, EmbeddedStore.Durability durability) {
    return TestServer.await(opening(dir, durability));
  }

  /** Opens a store without waiting for it: replaying a large journal can take longer than a test's timeout. */
  Future<EmbeddedStore> opening(Path dir, EmbeddedStore.Durability durability) {
    return EmbeddedStore.open(vertx, loops, new EmbeddedStore.Settings(ScoringRules.defaults(), Clock.systemUTC(),
        new Ids(), 10_000, Duration.ofMinutes(10), dir, durability, 1000), events::add);
  }

  /** The failure a future ends with, or null when it succeeded. */
  static Failure refusal(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(TestServer.TIMEOUT.toMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Failure f) {
        return f;
      }
      throw new AssertionError("failed without a protocol error code", e.getCause());
    } catch (Exception e) {
      throw new AssertionError("did not complete", e);
    }
  }

  static NewRoom room(String slug) {
    return new NewRoom(slug, "#" + slug, "Room " + slug, sha256("speaker-" + slug), sha256("moderator-" + slug));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    TestServer.await(vertx.close());
  }
}
