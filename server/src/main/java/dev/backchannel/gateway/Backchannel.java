package dev.backchannel.gateway;

import dev.backchannel.config.Config;
import dev.backchannel.loop.RoomLoops;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A running server: owner loops, the configured store, this node's rooms and one gateway
 * instance per core, all on one port. Tests start it on port 0; {@code Main} starts it from config.
 */
public final class Backchannel {

  private final Vertx vertx;
  private final Gateway gateway;
  private final int port;
  private final String organizerKey;
  private final boolean generatedKey;
  private final Set<String> deployments;

  private Backchannel(Vertx vertx, Gateway gateway, int port, String organizerKey, boolean generatedKey, Set<String> deployments) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.port = port;
    this.organizerKey = organizerKey;
    this.generatedKey = generatedKey;
    this.deployments = deployments;
  }

  public static Future<Backchannel> start(Vertx vertx, Config config) {
    boolean generated = config.organizerKey() == null;
    String organizerKey = generated ? Secrets.newKey() : config.organizerKey();
    String secret = config.tokenSecret() != null ? config.tokenSecret() : Secrets.newKey();
    Clock clock = Clock.systemUTC();
    Codec codec = new Codec();
    ViewSettings view = new ViewSettings(config.broadcastIntervalMs(), config.dashboardIntervalMs(),
        config.socketsPerParticipant(), config.snapshotLimit(), config.scoring().divergentMinRatings(),
        config.postsPerWindow(), config.postWindowSeconds(), config.ratingsPerSecond(), config.ratingBurst());
    return RoomLoops.start(vertx, config.loopCount()).compose(loops -> {
      Rooms rooms = new Rooms(vertx, loops, codec, clock, view);
      Store store = StoreEngines.create(config, loops, rooms, clock);
      rooms.use(store);
      Gateway gateway = new Gateway(config, codec, new CommandDecoder(codec), new Tokens(secret),
          Secrets.hash(organizerKey), store, rooms, new JoinLimiter(config.joinsPerMinute()),
          ConcurrentHashMap.newKeySet());
      // The first instance settles the port (port 0 picks a free one); the others share it.
      GatewayVerticle first = new GatewayVerticle(gateway, config.port());
      return vertx.deployVerticle(first).compose(id -> {
        int port = first.actualPort();
        int more = config.gatewayCount() - 1;
        Future<String> rest = more == 0 ? Future.succeededFuture(id)
            : vertx.deployVerticle(() -> new GatewayVerticle(gateway, port), new DeploymentOptions().setInstances(more));
        return rest.map(restId -> new Backchannel(vertx, gateway, port, organizerKey, generated,
            new HashSet<>(List.of(id, restId))));
      });
    });
  }

  public int port() {
    return port;
  }

  public String organizerKey() {
    return organizerKey;
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
    Future<?> closed = Future.join(gateway.sessions().stream().map(SocketSession::shutdown).toList());
    return closed.transform(v -> Future.join(deployments.stream().map(vertx::undeploy).toList()))
        .<Void>mapEmpty()
        .eventually(() -> gateway.store().close());
  }
}
