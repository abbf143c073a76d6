package dev.backchannel.bench.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Dashboard staleness: the time from a rating's {@code ack} until a {@code dashboard} frame on a
 * speaker socket reflects it. A few probe participants, on the speaker socket's lane, each give a
 * first rating to a post the dashboard shows. A first rating raises the post's {@code ratings}
 * count, which only ever grows while nobody withdraws a rating (the scenarios never do), so a
 * dashboard showing the post with at least the count of the ack reflects that rating, exactly.
 * Probes start at a random phase of the dashboard interval so the samples cover all of it.
 */
final class StalenessProbe implements BenchSocket.Listener {

  static final String METRIC = "dashboard staleness";
  private static final long LOST_AFTER_MILLIS = 10_000;

  /** One probe in flight. */
  private static final class Slot {
    BenchSocket socket;
    String post;
    String cid;
    long sentAt;
    long ackAt;
    int ratings = -1;
    long timer = -1;
  }

  private final Run run;
  private final Lanes.Lane lane;
  private final int dashboardIntervalMillis;
  private final Predicate<String> eligible;
  private final Random random = new Random();
  private final List<BenchSocket> probers = new ArrayList<>();
  private final Set<String> used = new HashSet<>();
  private final List<Slot> slots = new ArrayList<>();
  private Map<String, Frame.PostRef> board = Map.of();
  private List<String> boardOrder = List.of();
  private long boardAt;
  private int rotation;
  private boolean running;

  /** {@code eligible} says which post ids probes may rate (e.g. not the load's own targets). */
  StalenessProbe(Run run, Lanes.Lane lane, int slots, int dashboardIntervalMillis, Predicate<String> eligible) {
    this.run = run;
    this.lane = lane;
    this.dashboardIntervalMillis = dashboardIntervalMillis;
    this.eligible = eligible;
    for (int i = 0; i < slots; i++) {
      this.slots.add(new Slot());
    }
  }

  /** Makes a socket one of the probe participants (call before it opens, on the probe's lane). */
  void enlist(BenchSocket s) {
    s.depth = type -> "ack".equals(type) ? Frame.Mode.DEEP : Frame.Mode.STOP;
    s.listener = this::onProbeFrame;
    probers.add(s);
  }

  /** The speaker socket's frames (this is its listener). */
  @Override
  public void onFrame(BenchSocket speaker, Frame f, long now) {
    if (!"dashboard".equals(f.type)) {
      return;
    }
    Map<String, Frame.PostRef> posts = new HashMap<>();
    List<String> order = new ArrayList<>();
    for (List<Frame.PostRef> column : new ArrayList<>(java.util.Arrays.asList(f.recent, f.top, f.divergent))) {
      if (column != null) {
        for (Frame.PostRef p : column) {
          if (posts.putIfAbsent(p.id(), p) == null) {
            order.add(p.id());
          }
        }
      }
    }
    board = posts;
    boardOrder = order;
    boardAt = now;
    if (run.inWindow(now)) {
      lane.metrics.count("dashboard.frames");
    }
    for (Slot slot : slots) {
      if (slot.ackAt != 0) {
        check(slot);
      }
    }
  }

  void start() {
    lane.context.runOnContext(v -> {
      running = true;
      slots.forEach(this::schedule);
    });
  }

  void stop() {
    lane.context.runOnContext(v -> running = false);
  }

  private void onProbeFrame(BenchSocket s, Frame f, long now) {
    if (!"ack".equals(f.type) && !"error".equals(f.type)) {
      return;
    }
    for (Slot slot : slots) {
      if (slot.socket == s && f.cid != null && f.cid.equals(slot.cid)) {
        s.outstanding--;
        if ("error".equals(f.type) || f.post == null) {
          lane.metrics.count("probe.error." + f.code);
          release(slot);
          return;
        }
        slot.ackAt = now;
        slot.ratings = f.post.ratings();
        if (boardAt >= slot.sentAt) {
          check(slot); // a dashboard between send and ack may already show it: staleness 0
        }
        return;
      }
    }
  }

  private void check(Slot slot) {
    Frame.PostRef shown = board.get(slot.post);
    if (shown != null && shown.ratings() >= slot.ratings) {
      if (run.inWindow(slot.ackAt)) {
        lane.metrics.recordNanos(METRIC, boardAt - slot.ackAt);
      }
      release(slot);
    }
  }

  private void release(Slot slot) {
    if (slot.timer >= 0) {
      lane.vertx().cancelTimer(slot.timer);
    }
    slot.socket = null;
    slot.post = null;
    slot.cid = null;
    slot.ackAt = 0;
    slot.timer = -1;
    schedule(slot);
  }

  private void schedule(Slot slot) {
    if (!running) {
      return;
    }
    lane.vertx().setTimer(1 + random.nextInt(Math.max(1, dashboardIntervalMillis)), id -> fire(slot));
  }

  private void fire(Slot slot) {
    if (!running) {
      return;
    }
    for (int i = 0; i < probers.size(); i++) {
      BenchSocket s = probers.get(Math.floorMod(rotation++, probers.size()));
      if (!s.open || busy(s)) {
        continue;
      }
      for (String postId : boardOrder) {
        Frame.PostRef p = board.get(postId);
        String pair = s.participantId + "/" + postId;
        if (p.authorId() != null && p.authorId().equals(s.participantId) || !eligible.test(postId)
            || "hidden".equals(p.status()) || used.contains(pair)) {
          continue;
        }
        used.add(pair);
        long now = System.nanoTime();
        slot.socket = s;
        slot.post = postId;
        slot.cid = s.nextCid('s', now);
        slot.sentAt = now;
        slot.ackAt = 0;
        s.outstanding++;
        s.send(Json.rate(slot.cid, postId, 3));
        slot.timer = lane.vertx().setTimer(LOST_AFTER_MILLIS, id -> {
          slot.timer = -1;
          if (run.inWindow(slot.sentAt)) {
            lane.metrics.count("probe.lost");
          }
          release(slot);
        });
        return;
      }
    }
    lane.metrics.count("probe.noPostToRate");
    lane.vertx().setTimer(100, id -> fire(slot));
  }

  private boolean busy(BenchSocket s) {
    for (Slot slot : slots) {
      if (slot.socket == s) {
        return true;
      }
    }
    return false;
  }
}
