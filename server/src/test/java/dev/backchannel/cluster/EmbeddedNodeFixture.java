package dev.backchannel.cluster;

import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on the embedded store in a JVM of its own (so it can be killed with SIGKILL), the flags to
 * start it again on the same data directory, and the phones of a test; everything closed after it.
 */
abstract class EmbeddedNodeFixture {

  static final String ORGANIZER_KEY = "test-organizer-key-0123";

  @TempDir
  Path dataDir;
  Vertx vertx;
  ServerProcess node;
  TestServer restarted;
  String[] flags;
  final List<Phone> phones = new ArrayList<>();

  /** {@code always} or {@code batch}. */
  abstract String durability();

  @BeforeEach
  void start() {
    // No token secret: the store keeps the one it generated, so tokens outlive the restart.
    flags = new String[] {"--store=embedded", "--data-dir=" + dataDir, "--durability=" + durability(),
        "--organizer-key=" + ORGANIZER_KEY, "--broadcast-interval-ms=20", "--dashboard-interval-ms=20",
        "--ratings-per-second=1000", "--rating-burst=1000", "--posts-per-window=100", "--loops=2", "--gateways=2"};
    vertx = Vertx.vertx();
    node = ServerProcess.start(flags);
  }

  @AfterEach
  void stop() {
    phones.forEach(Phone::close);
    if (node != null) {
      node.close();
    }
    if (restarted != null) {
      restarted.close();
    }
    TestServer.await(vertx.close());
  }
}
