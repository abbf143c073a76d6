package dev.backchannel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.limit.ErrorWindow;
import dev.backchannel.limit.TokenBucket;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Post;
import dev.backchannel.model.Role;
import dev.backchannel.room.Subscriber;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.Participant;
import dev.backchannel.store.RoomInfo;
import dev.backchannel.wire.Command;
import dev.backchannel.wire.CommandDecoder;
import dev.backchannel.wire.Frames;
import dev.backchannel.wire.TextFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket from hello to close: authenticates the hello, then answers each command according
 * to the socket's role. Lives on the event loop that accepted the socket.
 */
final class SocketSession implements Subscriber {

  static final short UNAUTHORIZED = 4401;
  static final short BANNED = 4403;
  static final short UNKNOWN_ROOM = 4404;
  static final short NO_HELLO = 4408;
  static final short POLICY = 1008;
  static final short GOING_AWAY = 1001;
  static final short TOO_BIG = 1009;
  static final short NOT_UTF8 = 1007;
  /** Output a socket may have queued before it counts as not keeping up. */
  static final int WRITE_QUEUE_BYTES = 256 * 1024;
  /** How often a socket that is behind is checked for room in its queue. */
  static final long LAG_CHECK_MILLIS = 100;
  /** Frames that cannot be skipped (acks, errors), written while the queue is full, before closing. */
  static final int MAX_URGENT_WHILE_FULL = 64;

  private enum State { AWAITING_HELLO, JOINING, OPEN, CLOSED }

  private final ServerWebSocket ws;
  private final Context context;
  private final Gateway gateway;
  private final ErrorWindow errors;
  private final TokenBucket frames;
  private State state = State.AWAITING_HELLO;
  private long helloTimer;
  private String slug;
  /** Read by the metrics scrape from another thread. */
  private volatile Role role;
  private String participantId;
  private Future<Void> attached;
  /** The seq up to which this client has every change (its welcome, then each batch it got). */
  private long current;
  /** Skipped a batch since {@code current}; a catch-up follows once the socket drains. */
  private boolean behind;
  private long lagTimer = -1;
  private int urgentWhileFull;
  /** The bytes of the text message being received, checked as UTF-8 once it is whole. */
  private Buffer textBytes;

  SocketSession(ServerWebSocket ws, Context context, Gateway gateway) {
    this.ws = ws;
    this.context = context;
    this.gateway = gateway;
    this.errors = new ErrorWindow(gateway.config().abuseErrors(),
        TimeUnit.SECONDS.toNanos(gateway.config().abuseWindowSeconds()));
    this.frames = new TokenBucket(gateway.config().frameBurst(), gateway.config().framesPerSecond(), System.nanoTime());
  }

  void start() {
    gateway.sessions().add(this);
    ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    ws.frameHandler(this::checkUtf8);
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(this::onBinary);
    ws.closeHandler(v -> onClosed());
    ws.exceptionHandler(this::onException);
    helloTimer = context.owner().setTimer(gateway.config().helloTimeoutMs(), id -> {
      if (state == State.AWAITING_HELLO || state == State.JOINING) {
        close(NO_HELLO, "no hello");
      }
    });
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public Role role() {
    return role;
  }

  @Override
  public String participantId() {
    return participantId;
  }

  @Override
  public void welcome(TextFrame frame, long seq) {
    current = seq;
    send(frame);
  }

  @Override
  public void send(TextFrame frame) {
    if (state == State.CLOSED || ws.isClosed()) {
      return; // the peer's close frame may be in before our close handler has run
    }
    if (ws.writeQueueFull() && ++urgentWhileFull > MAX_URGENT_WHILE_FULL) {
      close(POLICY, "client is not reading");
      return;
    }
    write(frame);
  }

  @Override
  public void sendBatch(TextFrame frame, long seq) {
    if (state == State.CLOSED || ws.isClosed()) {
      return;
    }
    if (behind || ws.writeQueueFull()) {
      fallBehind(); // skipped; once the socket drains it is caught up from `current`
      return;
    }
    write(frame);
    current = seq;
  }

  @Override
  public void sendLatest(TextFrame frame) {
    if (state == State.CLOSED || ws.isClosed()) {
      return;
    }
    if (ws.writeQueueFull()) {
      fallBehind(); // the next presence or dashboard frame carries the whole state again
      return;
    }
    write(frame);
  }

  private void write(TextFrame frame) {
    TextWrites.write(ws, frame, gateway.config().maxFrameBytes());
  }

  /**
   * The client stopped reading for now: batches are skipped until its queue has room again (checked
   * every {@link #LAG_CHECK_MILLIS}), then it is caught up from the last batch it got; still stuck
   * after the stall limit, it is closed.
   */
  private void fallBehind() {
    if (lagTimer >= 0) {
      return;
    }
    behind = true;
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(gateway.config().stallSeconds());
    lagTimer = context.owner().setPeriodic(LAG_CHECK_MILLIS, id -> {
      if (state == State.CLOSED) {
        stopLagCheck();
      } else if (!ws.writeQueueFull()) {
        stopLagCheck();
        urgentWhileFull = 0;
        behind = false;
        gateway.rooms().catchUp(this, slug, current);
      } else if (System.nanoTime() > giveUp) {
        stopLagCheck();
        close(POLICY, "client is not keeping up");
      }
    });
  }

  private void stopLagCheck() {
    if (lagTimer >= 0) {
      context.owner().cancelTimer(lagTimer);
      lagTimer = -1;
    }
  }

  @Override
  public void close(short code, String reason) {
    closing(code, reason);
  }

  /** Closes with 1001 on the socket's own loop, so clients know to reconnect with {@code since}. */
  Future<Void> shutdown() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> closing(GOING_AWAY, "server shutting down").onComplete(done));
    return done.future();
  }

  private Future<Void> closing(short code, String reason) {
    if (state == State.CLOSED) {
      return Future.succeededFuture();
    }
    if (code == POLICY || code == TOO_BIG || code == NOT_UTF8) { // the server's own decision about a client: worth a line
      gateway.log().event("socket.closed", "room", slug, "role", role == null ? "pending" : role.wire(),
          "participant", participantId, "code", Short.toString(code), "reason", reason);
    }
    onClosed();
    return ws.close(code, reason);
  }

  private void onClosed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    gateway.sessions().remove(this);
    context.owner().cancelTimer(helloTimer);
    stopLagCheck();
    if (attached != null) {
      String room = slug;
      attached.onSuccess(v -> gateway.rooms().detach(this, room));
    }
  }

  /**
   * Vert.x reports an oversize frame (Netty's decoder, with its close status) or an oversize
   * fragmented message (an IllegalStateException from its aggregation) here instead of closing;
   * both get 1009. A peer that resets shows up as a close, so everything else is left to that.
   */
  private void onException(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException corrupted) {
      close((short) corrupted.closeStatus().code(), "frame rejected");
    } else if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("max message size")) {
      close(TOO_BIG, "message over " + gateway.config().maxFrameBytes() + " bytes");
    }
  }

  /**
   * RFC 6455 8.1: a text message that is not UTF-8 fails the connection with 1007. Vert.x would
   * decode it with replacement characters; this sees each frame before Vert.x joins them.
   */
  private void checkUtf8(WebSocketFrame frame) {
    if (frame.isText() && frame.isFinal()) {
      // The usual message, one frame: checked where it lies, nothing copied.
      textBytes = null;
      requireUtf8(((BufferInternal) frame.binaryData()).getByteBuf());
      return;
    }
    if (frame.isText()) {
      textBytes = Buffer.buffer();
    } else if (!frame.isContinuation() || textBytes == null) {
      return;
    }
    textBytes.appendBuffer(frame.binaryData());
    if (frame.isFinal()) {
      ByteBuf whole = ((BufferInternal) textBytes).getByteBuf();
      textBytes = null;
      requireUtf8(whole); // a character may be split across fragments: only the whole is checked
    }
  }

  private void requireUtf8(ByteBuf text) {
    if (!ByteBufUtil.isText(text, StandardCharsets.UTF_8)) {
      close(NOT_UTF8, "text is not UTF-8");
    }
  }


  private void onBinary(Buffer b) {
    if (withinFrameRate()) {
      refuse(null, ErrorCode.BAD_JSON.failure("frames must be text (JSON)"));
    }
  }

  private void onText(String text) {
    if (state == State.CLOSED || !withinFrameRate()) {
      return;
    }
    JsonNode frame = null;
    try {
      frame = gateway.decoder().parse(text);
      handle(gateway.decoder().decode(frame));
    } catch (Failure f) {
      refuse(CommandDecoder.cidOf(frame), f);
    }
  }

  /** A flood of frames is refused unread; kept up, its errors close the socket with 1008. */
  private boolean withinFrameRate() {
    if (frames.tryTake(System.nanoTime())) {
      return true;
    }
    refuse(null, ErrorCode.RATE_LIMITED.failure("too many frames; slow down"));
    return false;
  }

  private void handle(Command command) {
    if (command instanceof Command.Ping) {
      reply(new Frames.Pong());
      return;
    }
    if (state != State.OPEN) {
      if (command instanceof Command.Hello hello) {
        hello(hello);
        return;
      }
      throw ErrorCode.INVALID.failure("send hello first");
    }
    if (command instanceof Command.NewPost p) {
      answer("post", p.cid(), requireParticipant()
          .compose(id -> gateway.rooms().post(slug, id, p.cid(), p.text(), p.replyTo())));
    } else if (command instanceof Command.Rate r) {
      answer("rate", r.cid(), requireParticipant()
          .compose(id -> gateway.rooms().rate(slug, id, r.cid(), r.post(), r.value())));
    } else if (command instanceof Command.SetMark m) {
      answer("mark", m.cid(), requireStaff().compose(v -> gateway.rooms().mark(slug, role, m.post(), m.status()))
          .compose(p -> m.status() == Mark.HIDDEN ? audit("hide", p.id(), null).map(p) : Future.succeededFuture(p)));
    } else if (command instanceof Command.Ban b) {
      answer("ban", b.cid(), requireModerator().compose(v -> gateway.store().ban(slug, b.participant()))
          .compose(v -> audit("ban", null, b.participant())).map(v -> {
            gateway.log().event("participant.banned", "room", slug, "participant", b.participant());
            return (Post) null;
          }));
    } else if (command instanceof Command.DecideNetwork d) {
      answer("network", d.cid(), requireModerator()
          .compose(v -> gateway.store().decide(slug, d.network(), d.post(), d.decision()))
          .onSuccess(p -> gateway.log().event("network.decided", "room", slug, "network", d.network(),
              "post", d.post(), "decision", d.decision().wire())));
    } else {
      throw ErrorCode.INVALID.failure("already joined");
    }
  }

  /** A staff action of this socket in the room's audit log. */
  private Future<Void> audit(String action, String post, String participant) {
    return gateway.store().audit(slug, new AuditEntry(Instant.now(), role.wire(), action, post, participant, null));
  }

  private void hello(Command.Hello hello) {
    state = State.JOINING;
    ws.pause(); // commands sent right after hello wait until the welcome is out
    String room = hello.room().toLowerCase(Locale.ROOT).replaceFirst("^#", "");
    gateway.store().room(room)
        .compose(info -> authenticate(info, hello))
        .compose(you -> {
          if (state == State.CLOSED) {
            return Future.succeededFuture();
          }
          slug = room;
          attached = gateway.rooms().attach(this, room, you, hello.since());
          return attached;
        })
        .onComplete(done -> {
          if (state == State.CLOSED) {
            return;
          }
          if (done.succeeded()) {
            state = State.OPEN;
            context.owner().cancelTimer(helloTimer);
            ws.resume();
            return;
          }
          Throwable cause = done.cause();
          ErrorCode code = cause instanceof Failure f ? f.code() : ErrorCode.UNAVAILABLE;
          switch (code) {
            case NOT_FOUND -> close(UNKNOWN_ROOM, "unknown room");
            case UNAUTHORIZED -> close(UNAUTHORIZED, "bad token or key");
            case FORBIDDEN -> close(BANNED, "banned");
            default -> {
              state = State.AWAITING_HELLO;
              attached = null;
              ws.resume();
              refuse(null, cause instanceof Failure f ? f : ErrorCode.UNAVAILABLE.failure("try again shortly"));
            }
          }
        });
  }

  /** Decides the socket's role; the participant for a token, null for staff. */
  private Future<Participant> authenticate(RoomInfo room, Command.Hello hello) {
    if (hello.key() != null) {
      if (Secrets.matches(hello.key(), room.moderatorKeyHash())) {
        role = Role.MODERATOR;
      } else if (Secrets.matches(hello.key(), room.speakerKeyHash())) {
        role = Role.SPEAKER;
      } else {
        return Future.failedFuture(ErrorCode.UNAUTHORIZED.failure("bad key"));
      }
      return Future.succeededFuture();
    }
    Optional<String> id = gateway.tokens().verify(hello.token(), room.slug());
    if (id.isEmpty()) {
      return Future.failedFuture(ErrorCode.UNAUTHORIZED.failure("bad token"));
    }
    return gateway.store().participant(room.slug(), id.get())
        .recover(e -> Future.failedFuture(e instanceof Failure f && f.code() == ErrorCode.NOT_FOUND
            ? ErrorCode.UNAUTHORIZED.failure("bad token") : e))
        .compose(p -> {
          if (p.banned()) {
            return Future.failedFuture(ErrorCode.FORBIDDEN.failure("banned"));
          }
          role = Role.PARTICIPANT;
          participantId = p.id();
          return Future.succeededFuture(p);
        });
  }

  private Future<String> requireParticipant() {
    return role == Role.PARTICIPANT ? Future.succeededFuture(participantId)
        : Future.failedFuture(ErrorCode.FORBIDDEN.failure("only participants post and rate"));
  }

  private Future<Void> requireStaff() {
    return role.staff() ? Future.succeededFuture()
        : Future.failedFuture(ErrorCode.FORBIDDEN.failure("only the speaker and moderators mark posts"));
  }

  private Future<Void> requireModerator() {
    return role == Role.MODERATOR ? Future.succeededFuture()
        : Future.failedFuture(ErrorCode.FORBIDDEN.failure("only moderators ban or decide about networks"));
  }

  private void answer(String type, String cid, Future<Post> result) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        gateway.metrics().command(type, "ack");
        reply(new Frames.Ack(cid, done.result()));
      } else {
        Failure f = done.cause() instanceof Failure failure ? failure : ErrorCode.UNAVAILABLE.failure("the store did not answer");
        if (f.code() == ErrorCode.UNAVAILABLE) {
          gateway.log().event("store.unavailable", "room", slug, "command", type);
        }
        gateway.metrics().command(type, f.code().wire());
        refuse(cid, f);
      }
    });
  }

  private void reply(Object frame) {
    send(gateway.codec().frame(frame));
  }

  /** Sends an error; too many of them from one socket within the window close it with 1008. */
  private void refuse(String cid, Failure f) {
    gateway.metrics().error(f.code());
    reply(new Frames.Error(cid, f.code(), f.getMessage()));
    if (f.code() != ErrorCode.UNAVAILABLE && errors.record(System.nanoTime())) {
      close(POLICY, "too many errors");
    }
  }
}
