package dev.backchannel.cluster;

import dev.backchannel.testing.TestServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A TCP proxy between the server and Redis that can stall (stop forwarding both ways, as a network
 * that drops every packet does: the connections stay open, bytes wait) and reset (close every
 * connection, as a flapping network or a failover does). Runs on the Vert.x it is given, which
 * should not be the server's.
 */
final class RedisProxy implements AutoCloseable {

  /** One proxied connection: the server's side and Redis's side, on one context. */
  private record Link(Context context, NetSocket server, NetSocket redis) {}

  private final Vertx vertx;
  private final int target;
  private final NetServer listener;
  private final NetClient client;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile boolean stalled;
  /** Everything forwarded towards Redis, as Latin-1 text, so tests can tell when a command got through. */
  private final StringBuffer towardsRedis = new StringBuffer();

  private RedisProxy(Vertx vertx, int target, NetServer listener, NetClient client) {
    this.vertx = vertx;
    this.target = target;
    this.listener = listener;
    this.client = client;
  }

  /** Listens on a free port and forwards every connection to Redis on {@code targetPort}. */
  static RedisProxy start(Vertx vertx, int targetPort) {
    NetClient client = vertx.createNetClient();
    NetServer listener = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    RedisProxy proxy = new RedisProxy(vertx, targetPort, listener, client);
    listener.connectHandler(proxy::accept);
    TestServer.await(listener.listen());
    return proxy;
  }

  String uri() {
    return "redis://127.0.0.1:" + listener.actualPort();
  }

  int connections() {
    return links.size();
  }

  private void accept(NetSocket server) {
    server.pause();
    Context context = vertx.getOrCreateContext();
    client.connect(target, "127.0.0.1").onComplete(done -> {
      if (done.failed()) {
        server.close();
        return;
      }
      NetSocket redis = done.result();
      Link link = new Link(context, server, redis);
      links.add(link);
      server.handler(buffer -> {
        towardsRedis.append(buffer.toString(StandardCharsets.ISO_8859_1));
        redis.write(buffer);
      });
      redis.handler(server::write);
      server.closeHandler(v -> {
        links.remove(link);
        redis.close();
      });
      redis.closeHandler(v -> {
        links.remove(link);
        server.close();
      });
      if (stalled) {
        redis.pause();
      } else {
        server.resume();
      }
    });
  }

  /** Whether bytes containing {@code text} (a cid, say) have been forwarded to Redis. */
  boolean forwardedToRedis(String text) {
    return towardsRedis.indexOf(text) >= 0;
  }

  /** Stops forwarding in both directions; connections stay open and new ones are accepted but stall too. */
  void stall() {
    stalled = true;
    onEveryLink(link -> {
      link.server().pause();
      link.redis().pause();
    });
  }

  /**
   * Holds back Redis's answers only: commands still reach Redis and run, their replies wait, as
   * when the return path of a network fails.
   */
  void stallReplies() {
    onEveryLink(link -> link.redis().pause());
  }

  /** Forwards again, including whatever waited meanwhile. */
  void resume() {
    stalled = false;
    onEveryLink(link -> {
      link.server().resume();
      link.redis().resume();
    });
  }

  /** Closes every connection, dropping whatever waited in them; new connections are forwarded unless stalled. */
  void reset() {
    onEveryLink(link -> {
      link.server().close();
      link.redis().close();
    });
  }

  /** Runs {@code action} on each link's own context and waits until all have run. */
  private void onEveryLink(Consumer<Link> action) {
    List<Future<Void>> done = links.stream().map(link -> {
      Promise<Void> ran = Promise.promise();
      link.context().runOnContext(v -> {
        action.accept(link);
        ran.complete();
      });
      return ran.future();
    }).toList();
    TestServer.await(Future.all(done));
  }

  @Override
  public void close() {
    reset();
    TestServer.await(listener.close());
    TestServer.await(client.close());
  }
}
