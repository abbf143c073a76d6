package dev.backchannel.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;

/**
 * Sends one participant's ratings over its socket one after another, each a pause after the
 * previous answer, so that the participant stays within the server's per-participant rating limit
 * (10/s, burst 20 by default); a rating refused as {@code rate_limited} is sent again a little
 * later. The socket's listener; lives on its lane.
 */
final class PacedRater implements BenchSocket.Listener {

  /** A rating to send: a post id and a value in -5..5. */
  record Rating(String post, int value) {}

  /** Acks and errors are read as scalars (cid, code), everything else only as far as its type. */
  static final Frame.Depth DEPTH = type -> "ack".equals(type) || "error".equals(type) ? Frame.Mode.SKIP : Frame.Mode.STOP;

  private static final int RETRIES = 5;
  private static final long RETRY_MILLIS = 500;

  private final BenchSocket socket;
  private final long pauseMillis;
  private List<Rating> ratings = List.of();
  private Promise<Integer> done;
  private String cid;
  private int next;
  private int retries;
  private int acked;

  PacedRater(BenchSocket socket, long pauseMillis) {
    this.socket = socket;
    this.pauseMillis = pauseMillis;
  }

  /** Sends {@code ratings} in order (call on the socket's lane); completes with how many were acked. */
  Future<Integer> start(List<Rating> ratings) {
    this.ratings = ratings;
    done = Promise.promise();
    sendNext();
    return done.future();
  }

  @Override
  public void onFrame(BenchSocket s, Frame f, long nanos) {
    if (cid == null || !cid.equals(f.cid)) {
      return;
    }
    cid = null;
    if ("ack".equals(f.type)) {
      acked++;
      advance();
    } else if ("rate_limited".equals(f.code) && retries < RETRIES) {
      retries++;
      s.lane.metrics.count("retries.rate_limited");
      later(RETRY_MILLIS);
    } else {
      s.lane.metrics.count("errors.rating." + f.code);
      advance();
    }
  }

  @Override
  public void onClosed(BenchSocket s, int code) {
    if (done != null && done.tryComplete(acked) && next < ratings.size()) {
      s.lane.metrics.count("errors.rating.socketClosed." + code, ratings.size() - next);
    }
  }

  private void advance() {
    next++;
    retries = 0;
    later(pauseMillis);
  }

  private void later(long millis) {
    if (millis <= 0) {
      socket.lane.context.runOnContext(v -> sendNext());
    } else {
      socket.lane.vertx().setTimer(millis, id -> socket.lane.context.runOnContext(v -> sendNext()));
    }
  }

  private void sendNext() {
    if (next >= ratings.size() || !socket.open) {
      done.tryComplete(acked);
      return;
    }
    Rating r = ratings.get(next);
    cid = socket.nextCid('r', System.nanoTime());
    socket.send(Json.rate(cid, r.post(), r.value()));
  }
}
