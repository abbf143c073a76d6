package dev.backchannel.store.redis;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.model.Verification;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.store.Admission;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.History;
import dev.backchannel.store.Invitation;
import dev.backchannel.store.JoinRequest;
import dev.backchannel.store.SettingsPatch;
import dev.backchannel.store.Ids;
import dev.backchannel.store.NetworkDecision;
import dev.backchannel.store.NewRoom;
import dev.backchannel.store.PostEvidence;
import dev.backchannel.store.Participant;
import dev.backchannel.store.PostOrder;
import dev.backchannel.store.RoomEvent;
import dev.backchannel.store.RoomEvents;
import dev.backchannel.store.RoomExport;
import dev.backchannel.store.RoomCursor;
import dev.backchannel.store.RoomPage;
import dev.backchannel.store.RoomState;
import dev.backchannel.store.RotatedKeys;
import dev.backchannel.store.RoomInfo;
import dev.backchannel.store.Store;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.Range;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The durable, many-node engine. Every mutation is one Lua script (seq, event, sums, karma and
 * orderings in one atomic step); the room's capped stream is the record, pub/sub only wakes nodes,
 * and {@link RoomFeeds} turns the stream into the node's room events. Lettuce's async API only:
 * results come back on the caller's Vert.x context, never on Lettuce's threads.
 */
public final class RedisStore implements Store {

  /** What the Redis engine is configured with. */
  public record Settings(ScoringRules rules, Clock clock, Ids ids, int historyLimit, Duration ackRetention,
      String uri, Duration commandTimeout, int requestQueueSize) {}

  private final Vertx vertx;
  private final Settings settings;
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> redis;
  private final RedisScripts scripts;
  private final RoomFeeds feeds;
  /** This node's name in the rooms' presence sets. */
  private final String node;

  private RedisStore(Vertx vertx, Settings settings, ClientResources resources, RedisClient client,
      StatefulRedisConnection<String, String> connection, RedisScripts scripts, RoomFeeds feeds) {
    this.vertx = vertx;
    this.resources = resources;
    this.settings = settings;
    this.client = client;
    this.connection = connection;
    this.redis = connection.async();
    this.scripts = scripts;
    this.feeds = feeds;
    this.node = settings.ids().participant();
  }

  /** Connects the shared command connection and the pub/sub connection, and loads the scripts. */
  public static Future<RedisStore> connect(Vertx vertx, RoomLoops loops, Settings settings, RoomEvents events) {
    RedisURI uri = RedisURI.create(settings.uri());
    // Reconnect attempts back off up to 2 s (Lettuce's default goes to 30 s): an event's Redis that
    // comes back should be used again at once.
    ClientResources resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(options(settings));
    RedisScripts scripts = new RedisScripts(settings.rules());
    Context caller = vertx.getOrCreateContext();
    Future<StatefulRedisConnection<String, String>> commands =
        Future.fromCompletionStage(client.connectAsync(StringCodec.UTF8, uri), caller);
    Future<StatefulRedisPubSubConnection<String, String>> pubsub =
        Future.fromCompletionStage(client.connectPubSubAsync(StringCodec.UTF8, uri), caller);
    return Future.all(commands, pubsub)
        .compose(both -> Future.fromCompletionStage(scripts.load(commands.result().async()), caller)
            .map(v -> new RedisStore(vertx, settings, resources, client, commands.result(), scripts,
                new RoomFeeds(vertx, loops, events, commands.result().async(), pubsub.result(), scripts))))
        .recover(e -> {
          client.shutdownAsync().thenCompose(v -> release(resources));
          return Future.failedFuture(new IllegalStateException("cannot reach Redis at " + safe(uri) + ": " + e.getMessage(), e));
        });
  }

  /**
   * Commands queue while disconnected up to a bound and time out after a few seconds (then they
   * answer {@code unavailable}); TCP keepalive and user timeout find a half-open connection.
   */
  private static ClientOptions options(Settings s) {
    SocketOptions.Builder socket = SocketOptions.builder()
        .connectTimeout(s.commandTimeout())
        .keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
            .idle(Duration.ofSeconds(5)).interval(Duration.ofSeconds(2)).count(3).build());
    if (EpollProvider.isAvailable()) { // TCP_USER_TIMEOUT needs the native transport (Linux)
      socket.tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder().enable()
          .tcpUserTimeout(Duration.ofSeconds(10)).build());
    }
    return ClientOptions.builder()
        .autoReconnect(true)
        .maintNotificationsConfig(MaintNotificationsConfig.disabled()) // a managed-cloud feature; plain Redis only logs it away
        .requestQueueSize(s.requestQueueSize())
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
        .timeoutOptions(TimeoutOptions.builder().timeoutSource(new LibraryLoadTimeout(s.commandTimeout())).build())
        .socketOptions(socket.build())
        .build();
  }

  /**
   * Every command times out after the configured command timeout, except loading the Functions
   * library: Redis compiles every script of it in one go, which on a busy machine takes longer
   * than any one command should, and a timed-out load would fail the start or a recovery.
   */
  private static final class LibraryLoadTimeout extends TimeoutOptions.TimeoutSource {

    private static final long LOAD_MILLIS = 30_000;
    private final long commandMillis;

    LibraryLoadTimeout(Duration commandTimeout) {
      this.commandMillis = commandTimeout.toMillis();
    }

    @Override
    public long getTimeout(io.lettuce.core.protocol.RedisCommand<?, ?, ?> command) {
      return command.getType() == io.lettuce.core.protocol.CommandType.FUNCTION
          ? Math.max(commandMillis, LOAD_MILLIS) : commandMillis;
    }

    @Override
    public java.util.concurrent.TimeUnit getTimeUnit() {
      return java.util.concurrent.TimeUnit.MILLISECONDS;
    }
  }

  /** Seconds a node's presence set outlives its last refresh (refreshed every second or so). */
  private static final String PRESENCE_TTL = "15";

  /** Every room's slug by its creation time (milliseconds): the organizer's list of rooms. */
  static final String ROOM_INDEX = "bc:{_rooms}:index";

  static String prefix(String slug) {
    return "bc:{" + slug + "}";
  }

  @Override
  public Future<RoomInfo> createRoom(NewRoom room) {
    Instant now = settings.clock().instant();
    return run(room.slug(), Script.CREATE_ROOM, r -> (Object) r,
        room.hashtag(), room.title(), now.toString(),
        Base64.getEncoder().encodeToString(room.speakerKeyHash()),
        Base64.getEncoder().encodeToString(room.moderatorKeyHash()), Integer.toString(settings.historyLimit()),
        settings.ids().secret())
        .compose(ok -> onCaller(redis.zadd(ROOM_INDEX, (double) now.toEpochMilli(), room.slug()))
            .recover(e -> Future.failedFuture(translate(e))))
        .compose(added -> room(room.slug()));
  }

  @Override
  public Future<RoomInfo> room(String slug) {
    return run(slug, Script.ROOM, (List<Object> flat) -> RedisRecords.room(slug, RedisRecords.hash(flat)));
  }

  @Override
  public Future<Admission> join(String slug, JoinRequest r) {
    String id = settings.ids().participant();
    return run(slug, Script.JOIN, (List<Object> out) -> out, id, r.nick() == null ? "" : r.nick(), r.network(),
        Long.toString(settings.clock().millis()), orEmpty(r.codeHash()), orEmpty(r.inviteHash()), orEmpty(r.signin()))
        .compose(out -> ((Long) out.get(1)) == 1L
            ? Future.succeededFuture(new Admission(new Participant(id, r.nick(), 0.0, false,
                Verification.parse((String) out.get(2))), true))
            : participant(slug, (String) out.get(0)).map(p -> new Admission(p, false)));
  }

  @Override
  public Future<RoomInfo> configure(String slug, SettingsPatch patch) {
    List<String> args = new ArrayList<>();
    patch.fields().forEach((name, value) -> {
      args.add(name);
      args.add(name.equals("title") ? value.textValue() : value.toString());
    });
    return run(slug, Script.CONFIGURE, (List<Object> out) -> {
      if (out.get(1) != null) {
        feeds.offer(slug, (String) out.get(1));
      }
      return RedisRecords.room(slug, RedisRecords.hash((List<?>) out.get(0)));
    }, args.toArray(String[]::new));
  }

  @Override
  public Future<Integer> invite(String slug, List<Invitation> invitations) {
    List<String> args = new ArrayList<>();
    args.add(Integer.toString(Invitation.LIMIT));
    invitations.forEach(i -> {
      args.add(i.hash());
      args.add(i.sealed());
    });
    return run(slug, Script.INVITE, (Long count) -> count.intValue(), args.toArray(String[]::new));
  }

  @Override
  public Future<List<Invitation>> invitations(String slug) {
    return run(slug, Script.INVITATIONS, (List<Object> flat) -> {
      List<Invitation> out = new ArrayList<>(flat.size() / 3);
      for (int i = 0; i + 2 < flat.size(); i += 3) {
        String participant = (String) flat.get(i + 2);
        out.add(new Invitation((String) flat.get(i), (String) flat.get(i + 1), participant.isEmpty() ? null : participant));
      }
      return out;
    });
  }

  @Override
  public Future<Void> audit(String slug, AuditEntry entry) {
    return run(slug, Script.AUDIT, (String ok) -> (Void) null, RedisRecords.json(entry),
        Integer.toString(AuditEntry.LIMIT));
  }

  @Override
  public Future<List<AuditEntry>> auditLog(String slug) {
    return run(slug, Script.AUDIT_LOG,
        (List<Object> out) -> out.stream().map(o -> RedisRecords.auditEntry((String) o)).toList());
  }

  @Override
  public Future<Post> decide(String slug, String network, String postId, NetworkDecision decision) {
    return run(slug, Script.DECIDE, (List<Object> out) -> {
      if (out.get(1) != null) {
        feeds.offer(slug, (String) out.get(1));
      }
      return out.get(0) == null ? null : RedisRecords.post((String) out.get(0));
    }, network, postId == null ? "" : postId, decision.wire());
  }

  @Override
  public Future<Void> sweep(String slug) {
    return run(slug, Script.SWEEP, (String event) -> {
      if (event != null) {
        feeds.offer(slug, event);
      }
      return (Void) null;
    });
  }

  @Override
  public Future<PostEvidence> evidence(String slug, String postId) {
    return run(slug, Script.EVIDENCE, RedisRecords::evidence, postId);
  }

  @Override
  public Future<List<PostEvidence>> heldEvidence(String slug) {
    return run(slug, Script.HELD_EVIDENCE,
        (List<Object> out) -> out.stream().map(o -> RedisRecords.evidence((String) o)).toList());
  }

  @Override
  public Future<Participant> participant(String slug, String participantId) {
    return run(slug, Script.PARTICIPANT, (List<Object> flat) -> {
      Map<String, String> h = RedisRecords.hash(flat);
      return RedisRecords.participant(participantId, h, settings.rules().karma(Long.parseLong(h.get("k"))));
    }, participantId);
  }

  @Override
  public Future<Post> answered(String slug, String participantId, String cid) {
    return run(slug, Script.ANSWERED, (String json) -> json == null ? null : RedisRecords.post(json), participantId, cid);
  }

  @Override
  public Future<Post> post(String slug, String participantId, String cid, String text, String replyTo) {
    return changing(slug, Script.POST, participantId, cid, text, replyTo == null ? "" : replyTo,
        settings.clock().instant().toString(), ttl());
  }

  @Override
  public Future<Post> rate(String slug, String participantId, String cid, String postId, Integer value) {
    return changing(slug, Script.RATE, participantId, cid, postId, value == null ? "" : value.toString(),
        Long.toString(settings.clock().millis()), ttl());
  }

  @Override
  public Future<Post> mark(String slug, String postId, Mark mark, boolean moderator) {
    return changing(slug, Script.MARK, postId, mark.wire(), moderator ? "1" : "0");
  }

  @Override
  public Future<Void> ban(String slug, String participantId) {
    return run(slug, Script.BAN, (String event) -> {
      feeds.offer(slug, event);
      return (Void) null;
    }, participantId);
  }

  @Override
  public Future<Void> close(String slug) {
    return run(slug, Script.CLOSE, (String event) -> {
      feeds.offer(slug, event);
      return (Void) null;
    }, settings.clock().instant().toString());
  }

  @Override
  public Future<RoomInfo> reopen(String slug) {
    return run(slug, Script.REOPEN, (List<Object> out) -> roomAndEvent(slug, out));
  }

  @Override
  public Future<RoomInfo> rotateKeys(String slug, RotatedKeys keys) {
    return run(slug, Script.ROTATE_KEYS, (List<Object> out) -> roomAndEvent(slug, out),
        base64(keys.speakerHash()), orEmpty(keys.speakerSealed()), base64(keys.moderatorHash()),
        orEmpty(keys.moderatorSealed()));
  }

  /** Marks the room deleted (one script), then removes every key of its hash tag and its place in the index. */
  @Override
  public Future<Void> delete(String slug) {
    return run(slug, Script.DELETE, (String ok) -> ok)
        .compose(ok -> onCaller(redis.zrem(ROOM_INDEX, slug)))
        .compose(removed -> removeKeys(prefix(slug) + ":*", ScanCursor.INITIAL));
  }

  /** UNLINKs the keys matching {@code pattern}, one SCAN page at a time (never one long blocking command). */
  private Future<Void> removeKeys(String pattern, ScanCursor cursor) {
    return onCaller(redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(500)))
        .compose(page -> (page.getKeys().isEmpty() ? Future.succeededFuture(0L)
                : onCaller(redis.unlink(page.getKeys().toArray(String[]::new))))
            .compose(n -> page.isFinished() ? Future.<Void>succeededFuture() : removeKeys(pattern, page)))
        .recover(e -> Future.failedFuture(translate(e)));
  }

  @Override
  public Future<RoomPage> rooms(int limit, String cursor) {
    RoomCursor after;
    try {
      after = cursor == null ? null : RoomCursor.decode(cursor);
    } catch (dev.backchannel.model.Failure bad) {
      return Future.failedFuture(bad);
    }
    // Rooms created in the same millisecond share a score: read them all, then order as the other engines do.
    Future<Long> sameMillisecond = after == null ? Future.succeededFuture(0L)
        : onCaller(redis.zcount(ROOM_INDEX, Range.create(after.createdAtMillis(), after.createdAtMillis())));
    return sameMillisecond.compose(tied -> onCaller(redis.zrevrangebyscoreWithScores(ROOM_INDEX,
            Range.create(Double.NEGATIVE_INFINITY, after == null ? Double.POSITIVE_INFINITY : after.createdAtMillis()),
            io.lettuce.core.Limit.create(0, limit + 1 + tied))))
        .recover(e -> Future.failedFuture(translate(e)))
        .compose(scored -> {
          List<RoomCursor> order = scored.stream()
              .map(s -> new RoomCursor((long) s.getScore(), s.getValue()))
              .filter(c -> after == null || after.before(c))
              .sorted(RoomCursor.NEWEST_FIRST)
              .limit(limit + 1L)
              .toList();
          List<RoomCursor> page = order.subList(0, Math.min(limit, order.size()));
          List<Future<RoomPage.Summary>> summaries = page.stream().map(c -> run(c.slug(), Script.SUMMARY,
              (List<Object> out) -> new RoomPage.Summary(RedisRecords.room(c.slug(), RedisRecords.hash((List<?>) out.get(0))),
                  ((Long) out.get(1)).intValue(), RedisRecords.closedAt(RedisRecords.hash((List<?>) out.get(0)))))
              .otherwise((RoomPage.Summary) null)).toList();
          return Future.all(summaries).map(all -> new RoomPage(
              summaries.stream().map(Future::result).filter(java.util.Objects::nonNull).toList(),
              order.size() > limit ? page.get(page.size() - 1).encode() : null));
        });
  }

  private RoomInfo roomAndEvent(String slug, List<Object> out) {
    if (out.get(1) != null) {
      feeds.offer(slug, (String) out.get(1));
    }
    return RedisRecords.room(slug, RedisRecords.hash((List<?>) out.get(0)));
  }

  private static String base64(byte[] bytes) {
    return bytes == null ? "" : Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public Future<RoomState> load(String slug) {
    return run(slug, Script.LOAD, (List<Object> out) -> {
      RoomInfo room = RedisRecords.room(slug, RedisRecords.hash((List<?>) out.get(0)));
      List<Post> posts = new ArrayList<>(out.size() - 2);
      for (int i = 2; i < out.size(); i++) {
        posts.add(RedisRecords.post((String) out.get(i)));
      }
      return new RoomState(room, Long.parseLong(String.valueOf(out.get(1))), posts);
    });
  }

  @Override
  public Future<History> history(String slug, long since) {
    return run(slug, Script.HISTORY, (List<Object> out) -> {
      boolean resumed = ((Number) out.get(0)).longValue() == 1;
      long seq = ((Number) out.get(1)).longValue();
      List<RoomEvent> events = new ArrayList<>(out.size() - 2);
      for (int i = 2; i < out.size(); i++) {
        events.add(RedisRecords.event(slug, (String) out.get(i)));
      }
      return new History(resumed, seq, events);
    }, Long.toString(since));
  }

  @Override
  public Future<Map<String, Integer>> ratingsOf(String slug, String participantId) {
    return run(slug, Script.RATINGS_OF, (List<Object> flat) -> {
      Map<String, Integer> out = new HashMap<>();
      RedisRecords.hash(flat).forEach((post, raw) -> out.put(post, Integer.parseInt(raw.substring(0, raw.indexOf(':')))));
      return out;
    }, participantId);
  }

  @Override
  public Future<List<Post>> list(String slug, PostOrder order, int limit) {
    return run(slug, Script.LIST, (List<Object> out) -> out.stream().map(o -> RedisRecords.post((String) o)).toList(),
        order.name().toLowerCase(Locale.ROOT), Integer.toString(limit));
  }

  @Override
  public Future<RoomExport> export(String slug) {
    return run(slug, Script.EXPORT, (List<Object> out) -> {
      RoomInfo room = RedisRecords.room(slug, RedisRecords.hash((List<?>) out.get(0)));
      List<Post> posts = ((List<?>) out.get(1)).stream().map(o -> RedisRecords.post((String) o)).toList();
      List<RoomExport.ExportedRating> ratings = ((List<?>) out.get(2)).stream().map(o -> {
        String[] f = ((String) o).split(":");
        return new RoomExport.ExportedRating(f[0], f[1], Integer.parseInt(f[2]),
            (double) Long.parseLong(f[3]) / ScoringRules.UNITS, Instant.ofEpochMilli(Long.parseLong(f[4])));
      }).toList();
      List<Participant> people = ((List<?>) out.get(3)).stream().map(o -> RedisRecords.participant((String) o)).toList();
      return new RoomExport(room, posts, ratings, people);
    });
  }

  @Override
  public void present(String slug, String participantId, boolean online) {
    scripts.run(redis, Script.PRESENT, prefix(slug), node, participantId, online ? "1" : "0", PRESENCE_TTL);
  }

  @Override
  public Future<Integer> online(String slug, int local) {
    return run(slug, Script.ONLINE, (Long count) -> count.intValue(), node, PRESENCE_TTL);
  }

  @Override
  public Future<String> tokenSecret(String proposed) {
    return onCaller(scripts.run(redis, Script.SECRET, "bc:{secret}", proposed));
  }

  /** Fails at once while disconnected (a queued PING would only answer after the reconnect). */
  @Override
  public Future<Void> ping() {
    if (!connection.isOpen()) {
      return Future.failedFuture(ErrorCode.UNAVAILABLE.failure("Redis is not connected"));
    }
    return onCaller(redis.ping()).mapEmpty();
  }

  @Override
  public Future<Void> follow(String slug) {
    return onCaller(feeds.follow(slug).toCompletionStage());
  }

  @Override
  public void unfollow(String slug) {
    feeds.unfollow(slug);
  }

  @Override
  public Future<Void> close() {
    feeds.close();
    return onCaller(client.shutdownAsync().thenCompose(v -> release(resources))).mapEmpty();
  }

  /** Stops the client's event loops (they are ours, built for the reconnect back-off). */
  private static CompletableFuture<Void> release(ClientResources resources) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    resources.shutdown(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
    return done;
  }

  private String ttl() {
    return Long.toString(settings.ackRetention().toSeconds());
  }

  /** A command that may change the room: its answer is a post, its event goes to this node's feed at once. */
  private Future<Post> changing(String slug, Script script, String... args) {
    return run(slug, script, (List<Object> out) -> {
      if (out.get(1) != null) {
        feeds.offer(slug, (String) out.get(1));
      }
      return RedisRecords.post((String) out.get(0));
    }, args);
  }

  /**
   * Runs a script for a room and maps its answer on the caller's context. Script errors carry a
   * protocol code as their first word; anything else (timeouts, lost connections) is {@code unavailable}.
   */
  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private <R, T> Future<T> run(String slug, Script script, Function<R, T> map, String... args) {
    Future<R> answer = onCaller(scripts.run(redis, script, prefix(slug), args));
    return answer.recover(e -> Future.failedFuture(translate(e))).map(map::apply);
  }

  private static <T> Future<T> onCaller(CompletionStage<T> stage) {
    Context caller = Vertx.currentContext();
    return caller == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, caller);
  }

  private static Throwable translate(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof RedisCommandExecutionException ex && ex.getMessage() != null) {
      String message = ex.getMessage();
      int space = message.indexOf(' ');
      String word = space < 0 ? message : message.substring(0, space);
      for (ErrorCode code : ErrorCode.values()) {
        if (code.wire().equals(word)) {
          return code.failure(space < 0 ? word : message.substring(space + 1));
        }
      }
    }
    return e instanceof Failure ? e : ErrorCode.UNAVAILABLE.failure("the store is unavailable; try again");
  }

  /** The URI without its password, for messages. */
  private static String safe(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }
}
