package dev.backchannel.gateway;

import dev.backchannel.config.Config;
import dev.backchannel.loop.RoomLoops;
import dev.backchannel.metrics.ServerMetrics;
import dev.backchannel.metrics.TimedStore;
import dev.backchannel.model.Role;
import dev.backchannel.room.Rooms;
import dev.backchannel.room.ViewSettings;
import dev.backchannel.store.Store;
import dev.backchannel.store.StoreEngines;
import dev.backchannel.wire.Codec;
import dev.backchannel.wire.CommandDecoder;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running server: owner loops, the configured store, this node's rooms and one gateway
 * instance per core, all on one port. Tests start it on port 0; {@code Main} starts it from config.
 */
public final class Backchannel {

  private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();

  private final Vertx vertx;
  private final RoomLoops loops;
  private final Gateway gateway;
  private final int port;
  private final String organizerKey;
  private final boolean generatedKey;
  private final String deployment;
  /** The retention check's timer, or -1 when every room is kept. */
  private final long retention;

  private Backchannel(Vertx vertx, RoomLoops loops, Gateway gateway, int port, String organizerKey, boolean generatedKey,
      String deployment, long retention) {
    this.retention = retention;
    this.vertx = vertx;
    this.loops = loops;
    this.gateway = gateway;
    this.port = port;
    this.organizerKey = organizerKey;
    this.generatedKey = generatedKey;
    this.deployment = deployment;
  }

  public static Future<Backchannel> start(Vertx vertx, Config config) {
    return start(vertx, config, ServerMetrics.standalone(), EventLog.stdout(config.logFormat()));
  }

  /** Starts with the given meters (Main shares them with Vert.x's own metrics) and event log. */
  public static Future<Backchannel> start(Vertx vertx, Config config, ServerMetrics metrics, EventLog log) {
    boolean generated = config.organizerKey() == null;
    String organizerKey = generated ? Secrets.newKey() : config.organizerKey();
    Clock clock = Clock.systemUTC();
    Codec codec = new Codec();
    ViewSettings view = new ViewSettings(config.broadcastIntervalMs(), config.dashboardIntervalMs(),
        config.socketsPerParticipant(), config.snapshotLimit(), config.scoring().divergentMinRatings(),
        config.postsPerWindow(), config.postWindowSeconds(), config.ratingsPerSecond(), config.ratingBurst());
    return RoomLoops.start(vertx, config.loopCount()).compose(loops -> {
      Rooms rooms = new Rooms(vertx, loops, codec, clock, view, config.scoring(), metrics);
      return StoreEngines.create(vertx, config, loops, rooms, clock)
          .map(engine -> (Store) new TimedStore(engine, metrics))
          .compose(store -> sharedSecret(store, config)
              .compose(secret -> serve(vertx, config, loops, rooms, store, codec, organizerKey, generated, secret,
                  metrics, log))
              .recover(e -> store.close().transform(v -> Future.failedFuture(e))))
          .recover(e -> loops.stop().transform(v -> Future.failedFuture(e)));
    });
  }

  /**
   * The configured token secret, or else one shared through the store, so that a token issued by
   * one node is valid on every other (and, with Redis, after restarts).
   */
  private static Future<String> sharedSecret(Store store, Config config) {
    return config.tokenSecret() != null ? Future.succeededFuture(config.tokenSecret())
        : store.tokenSecret(Secrets.newKey());
  }

  private static Future<Backchannel> serve(Vertx vertx, Config config, RoomLoops loops, Rooms rooms, Store store,
      Codec codec, String organizerKey, boolean generated, String secret, ServerMetrics metrics, EventLog log) {
    rooms.use(store);
    Gateway gateway = new Gateway(config, codec, new CommandDecoder(codec), new Tokens(secret, config.previousTokenSecrets()),
        new Sealer(secret, config.previousTokenSecrets()), new OidcProviders(vertx, config.oidc()),
        Secrets.hash(organizerKey), store, rooms, new JoinLimiter(config.joinsPerMinute()), new WrongGuesses(),
        ConcurrentHashMap.newKeySet(), metrics, log);
    for (Role role : Role.values()) {
      metrics.gauge("backchannel.sockets", "Open sockets by role", () -> countSockets(gateway, role),
          "role", role.wire());
    }
    metrics.gauge("backchannel.sockets", "Open sockets by role", () -> countSockets(gateway, null), "role", "pending");
    metrics.gauge("backchannel.rooms", "Rooms with sockets on this node", rooms::count);
    // Port 0 means "any free port". Vert.x shares a random port between the instances that ask
    // for the same negative number, so each server started in this JVM gets its own.
    int listen = config.port() == 0 ? RANDOM_PORT_KEYS.decrementAndGet() : config.port();
    List<GatewayVerticle> instances = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      GatewayVerticle g = new GatewayVerticle(gateway, listen);
      instances.add(g);
      return g;
    }, new DeploymentOptions().setInstances(config.gatewayCount()))
        .map(id -> {
          log.event("server.started", "port", Integer.toString(instances.get(0).actualPort()), "store", config.store(),
              "gateways", Integer.toString(config.gatewayCount()), "loops", Integer.toString(config.loopCount()));
          long retention = config.roomRetentionDays() == 0 ? -1
              : new RoomRetention(gateway.store(), log, Clock.systemUTC(), config.roomRetentionDays()).start(vertx);
          return new Backchannel(vertx, loops, gateway, instances.get(0).actualPort(), organizerKey, generated, id,
              retention);
        });
  }

  /** Sockets with this role now (null: still before their welcome). */
  private static long countSockets(Gateway gateway, Role role) {
    return gateway.sessions().stream().filter(s -> s.role() == role).count();
  }

  public int port() {
    return port;
  }

  public String organizerKey() {
    return organizerKey;
  }

  /** The store this server uses, wrapped in its timings ({@link dev.backchannel.metrics.TimedStore}). */
  public Store store() {
    return gateway.store();
  }

  /** Whether the organizer key was generated at start (and so must be printed once). */
  public boolean generatedKey() {
    return generatedKey;
  }

  /**
   * Closes every socket with 1001 (clients reconnect with {@code since}), stops listening and
   * releases the store; the Vert.x instance stays the caller's.
   */
  public Future<Void> stop() {
    if (retention >= 0) {
      vertx.cancelTimer(retention);
    }
    gateway.log().event("server.stopping", "sockets", Integer.toString(gateway.sessions().size()));
    Future<?> closed = Future.join(gateway.sessions().stream().map(SocketSession::shutdown).toList());
    return closed.transform(v -> vertx.undeploy(deployment))
        .<Void>mapEmpty()
        .eventually(() -> gateway.store().close())
        .eventually(loops::stop);
  }
}
