package dev.backchannel.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One generator socket: a participant (token) or staff (key) on {@code /ws}. It reassembles
 * fragmented messages, parses frames (only as deep as its {@link Frame.Depth} asks) and hands them
 * to its listener. Lives on its lane's loop.
 */
final class BenchSocket {

  /** Receives a socket's frames after its welcome, on its lane, with the arrival time. */
  interface Listener {
    void onFrame(BenchSocket socket, Frame frame, long nanos);

    default void onClosed(BenchSocket socket, int code) {}

    Listener NONE = (s, f, t) -> {};
  }

  final Lanes.Lane lane;
  final int index;
  final String participantId;
  final String token;
  final String key;
  Listener listener = Listener.NONE;
  Frame.Depth depth = Frame.Depth.ALL;
  /** Commands sent and not answered yet. */
  int outstanding;
  /** Free for the scenario: e.g. a per-post state of what this socket rated. */
  Object state;
  long framesIn;
  long bytesIn;
  long welcomeSeq = -1;
  int closeCode = -1;
  boolean open;

  private WebSocket ws;
  private Buffer partial;
  private Map<String, Promise<Frame>> pending;
  private Promise<Frame> welcome;
  private long cids;

  BenchSocket(Lanes.Lane lane, int index, String participantId, String token, String key) {
    this.lane = lane;
    this.index = index;
    this.participantId = participantId;
    this.token = token;
    this.key = key;
  }

  /** Connects and says hello (must run on the lane); completes with the welcome. */
  Future<Frame> open(Client client, String room, long timeoutMillis) {
    welcome = Promise.promise();
    long timer = lane.vertx().setTimer(timeoutMillis, id -> {
      if (welcome.tryFail("no welcome within " + timeoutMillis + " ms")) {
        close();
      }
    });
    return client.connect().compose(socket -> {
      ws = socket;
      open = true;
      socket.frameHandler(this::onWsFrame);
      socket.closeHandler(v -> onClose());
      socket.exceptionHandler(e -> lane.metrics.count("socket.exception"));
      socket.writeTextMessage(token != null ? Json.helloToken(room, token) : Json.helloKey(room, key));
      return welcome.future();
    }).andThen(r -> lane.vertx().cancelTimer(timer));
  }

  String nextCid(char kind, long nanos) {
    // The send time travels in the cid and comes back in the ack: no per-command map is needed.
    return kind + Long.toString(nanos, 36) + "." + Long.toString(++cids, 36);
  }

  /** The send time encoded by {@link #nextCid}, or 0 when the cid is not one of ours. */
  static long sentAt(String cid) {
    if (cid == null || cid.length() < 2) {
      return 0;
    }
    int dot = cid.indexOf('.');
    try {
      return dot < 0 ? 0 : Long.parseLong(cid.substring(1, dot), 36);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Sends a command built from a fresh cid and completes with its {@code ack} (fails on its
   * {@code error}); for the few commands of a setup, not the hot path.
   */
  Future<Frame> request(char kind, Function<String, String> command) {
    if (pending == null) {
      pending = new HashMap<>();
    }
    String cid = nextCid(kind, System.nanoTime());
    Promise<Frame> answer = Promise.promise();
    pending.put(cid, answer);
    send(command.apply(cid));
    return answer.future();
  }

  void send(String text) {
    if (open) {
      ws.writeTextMessage(text);
    }
  }

  Future<Void> close() {
    if (ws == null || ws.isClosed()) {
      open = false;
      return Future.succeededFuture();
    }
    open = false;
    return ws.close();
  }

  private void onWsFrame(WebSocketFrame frame) {
    if (!(frame.isText() || frame.isBinary() || frame.isContinuation())) {
      return;
    }
    long now = System.nanoTime();
    if (!frame.isFinal()) {
      partial = partial == null ? frame.binaryData().copy() : partial.appendBuffer(frame.binaryData());
      return;
    }
    byte[] bytes;
    if (partial != null) {
      bytes = partial.appendBuffer(frame.binaryData()).getBytes();
      partial = null;
    } else {
      bytes = frame.binaryData().getBytes();
    }
    framesIn++;
    bytesIn += bytes.length;
    Frame f;
    boolean setup = (welcome != null && !welcome.future().isComplete()) || (pending != null && !pending.isEmpty());
    try {
      f = Frame.parse(bytes, setup ? Frame.Depth.ALL : depth);
    } catch (RuntimeException e) {
      lane.metrics.count("frames.unreadable");
      return;
    }
    if (welcome != null && !welcome.future().isComplete()) {
      if ("welcome".equals(f.type)) {
        welcomeSeq = f.seq;
        welcome.tryComplete(f);
      } else if ("error".equals(f.type)) {
        welcome.tryFail("hello refused: " + f.code + " " + f.message);
      }
      return;
    }
    if (f.cid != null && pending != null) {
      Promise<Frame> answer = pending.remove(f.cid);
      if (answer != null) {
        if ("error".equals(f.type)) {
          answer.fail(f.code + ": " + f.message);
        } else {
          answer.complete(f);
        }
        return;
      }
    }
    listener.onFrame(this, f, now);
  }

  private void onClose() {
    boolean expected = !open;
    open = false;
    closeCode = ws.closeStatusCode() == null ? -1 : ws.closeStatusCode();
    if (welcome != null) {
      welcome.tryFail("closed before welcome with " + closeCode + " " + ws.closeReason());
    }
    if (!expected) {
      lane.metrics.count("socket.closedByServer." + closeCode);
    }
    listener.onClosed(this, closeCode);
  }
}
