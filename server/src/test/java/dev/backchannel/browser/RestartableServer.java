package dev.backchannel.browser;

import dev.backchannel.config.ConfigLoader;
import dev.backchannel.gateway.Backchannel;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real server that a test can stop and start again on the same port, as an operator restarts
 * one: pages keep their address and must find the new server by themselves. ({@link TestServer}
 * always takes a new free port.)
 */
final class RestartableServer implements AutoCloseable {

  private final Vertx vertx;
  private final List<String> flags;
  private Backchannel app;
  private int port;

  private RestartableServer(Vertx vertx, List<String> flags) {
    this.vertx = vertx;
    this.flags = flags;
  }

  /** Starts on a free port with the test organizer key and the given flags. */
  static RestartableServer start(Vertx vertx, String... flags) {
    List<String> all = new ArrayList<>(List.of("--host=127.0.0.1", "--organizer-key=test-organizer-key-0123"));
    all.addAll(List.of(flags));
    RestartableServer server = new RestartableServer(vertx, all);
    server.startOn(0);
    return server;
  }

  int port() {
    return port;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** Closes every socket with 1001 and stops listening, as a shutdown does. */
  void stop() {
    if (app != null) {
      TestServer.await(app.stop());
      app = null;
    }
  }

  /** Starts a new server (with a new, empty memory store) on the port of the old one. */
  void restart() {
    stop();
    startOn(port);
  }

  private void startOn(int wanted) {
    List<String> all = new ArrayList<>(flags);
    all.add("--port=" + wanted);
    app = TestServer.await(Backchannel.start(vertx, new ConfigLoader().load(all, Map.of())));
    port = app.port();
  }

  @Override
  public void close() {
    stop();
  }
}
