package dev.backchannel.bench.load;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * {@code fanout}: N audience sockets in one room; the sockets themselves post at a given rate.
 * Measures, for every post and every socket, the delivery latency from the post's {@code ack} to
 * its arrival in a {@code posts} batch (this includes the coalescing interval), and counts
 * deliveries that never came.
 */
final class FanoutScenario {

  private FanoutScenario() {}

  /** Arrivals a lane saw: pairs of (post ordinal, arrival nanos), first arrival per socket only. */
  private static final class Arrivals {
    long[] data = new long[1 << 16];
    int size;

    void add(int ordinal, long nanos) {
      if (size + 2 > data.length) {
        data = java.util.Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = ordinal;
      data[size++] = nanos;
    }
  }

  static Report run(Run run) {
    Options o = run.options;
    int sockets = o.integer("sockets", 1_000);
    double rate = o.decimal("rate", 2);
    int postsPerWindow = o.integer("participant-posts-per-30s", 3);
    o.requireAllRead();
    Report report = run.report;
    if (sockets < rate * 30.0 / postsPerWindow * 1.2) {
      report.note("few sockets for this post rate: posters may hit the server's limit of " + postsPerWindow
          + " posts per 30 s (start the server with --posts-per-window=...)");
    }

    int capacity = (int) (rate * (run.warmupSeconds + run.durationSeconds + 30) * 2) + 100;
    AtomicLongArray sentAt = new AtomicLongArray(capacity);
    AtomicLongArray ackAt = new AtomicLongArray(capacity);
    AtomicInteger ordinals = new AtomicInteger();
    List<Arrivals> arrivals = new ArrayList<>();
    run.lanes.all().forEach(l -> arrivals.add(new Arrivals()));

    Client.RoomKeys room = run.room("fanout");
    BenchSocket.Listener listener = (s, f, now) -> {
      Metrics m = s.lane.metrics;
      switch (f.type) {
        case "ack" -> {
          s.outstanding--;
          int ordinal = ordinalOfCid(f.cid);
          if (ordinal >= 0 && ordinal < capacity) {
            ackAt.set(ordinal, now);
            if (run.inWindow(sentAt.get(ordinal))) {
              m.recordNanos("post ack", now - sentAt.get(ordinal));
            }
          }
        }
        case "error" -> {
          s.outstanding--;
          m.count("errors." + f.code);
        }
        case "posts" -> {
          if (f.posts == null) {
            return;
          }
          BitSet seen = (BitSet) s.state;
          for (Frame.PostRef p : f.posts) {
            int ordinal = ordinalOfText(p.text());
            if (ordinal >= 0 && !seen.get(ordinal)) {
              seen.set(ordinal);
              arrivals.get(s.lane.index).add(ordinal, now);
            }
          }
        }
        default -> { }
      }
    };
    Frame.Depth depth = type -> "posts".equals(type) ? Frame.Mode.DEEP : Frame.Mode.SKIP;
    List<BenchSocket> audience = run.audience(room, sockets, 0, s -> {
      s.state = new BitSet();
      s.depth = depth;
      s.listener = listener;
    });
    if (audience.isEmpty()) {
      throw new IllegalStateException("no socket could be opened: " + run.firstSetupError());
    }

    List<Pacer> pacers = new ArrayList<>();
    for (Lanes.Lane lane : run.lanes.all()) {
      List<BenchSocket> mine = audience.stream().filter(s -> s.lane == lane).toList();
      if (mine.isEmpty()) {
        continue;
      }
      double laneRate = rate * mine.size() / audience.size();
      int[] cursor = {lane.index * 7919};
      pacers.add(new Pacer(lane, t -> laneRate, () -> {
        BenchSocket s = mine.get(Math.floorMod(cursor[0]++, mine.size()));
        if (!s.open) {
          return false;
        }
        int ordinal = ordinals.getAndIncrement();
        if (ordinal >= capacity) {
          return false;
        }
        long now = System.nanoTime();
        sentAt.set(ordinal, now);
        s.outstanding++;
        s.send(Json.post("f" + ordinal + "." + Long.toString(now, 36), "fanout #" + ordinal));
        return true;
      }, 1000));
    }

    pacers.forEach(Pacer::start);
    Run.sleepSeconds(run.warmupSeconds);
    run.startWindow();
    Run.sleepSeconds(run.durationSeconds);
    run.endWindow();
    pacers.forEach(Pacer::stop);
    Run.sleepSeconds(run.graceSeconds); // the last batches
    Metrics m = run.lanes.merged();

    int posts = Math.min(ordinals.get(), capacity);
    int[] count = new int[posts];
    Histogram fromAck = Metrics.newHistogram();
    Histogram fromSend = Metrics.newHistogram();
    long beforeAck = 0;
    for (Lanes.Lane lane : run.lanes.all()) {
      Arrivals a = Run.await(lane.call(() -> io.vertx.core.Future.succeededFuture(arrivals.get(lane.index))), 30);
      for (int i = 0; i < a.size; i += 2) {
        int ordinal = (int) a.data[i];
        long at = a.data[i + 1];
        if (ordinal >= posts || !run.inWindow(sentAt.get(ordinal))) {
          continue;
        }
        count[ordinal]++;
        long acked = ackAt.get(ordinal);
        if (acked != 0) {
          if (at < acked) {
            beforeAck++;
          }
          fromAck.recordValue(Math.min(Metrics.MAX_MICROS, Math.max(0, (at - acked) / 1000)));
        }
        fromSend.recordValue(Math.min(Metrics.MAX_MICROS, Math.max(0, (at - sentAt.get(ordinal)) / 1000)));
      }
    }
    long open = audience.stream().filter(s -> s.open).count();
    long measuredPosts = 0;
    long missing = 0;
    for (int i = 0; i < posts; i++) {
      if (run.inWindow(sentAt.get(i)) && ackAt.get(i) != 0) {
        measuredPosts++;
        missing += Math.max(0, open - count[i]);
      }
    }
    report.value("sockets in the room", audience.size(), "");
    report.value("posts measured", measuredPosts, "");
    report.latency("delivery from ack", fromAck, 400.0);
    report.latency("delivery from send", fromSend, null);
    report.latency("post ack", m.histogram("post ack"), null);
    report.value("deliveries expected", measuredPosts * open, "");
    report.value("deliveries missing", missing, "", "0", missing == 0);
    if (beforeAck > 0) {
      report.value("deliveries seen before the poster's ack", beforeAck, "");
    }
    report.value("posts not sent: generator behind", m.counter("pacer.dropped"), "");
    report.counters("errors.", m.counters());
    report.counters("socket.", m.counters());
    report.counters("setup.", m.counters());
    run.reportCpu("deliveries", measuredPosts * open);
    return report;
  }

  private static int ordinalOfCid(String cid) {
    if (cid == null || !cid.startsWith("f")) {
      return -1;
    }
    int dot = cid.indexOf('.');
    try {
      return Integer.parseInt(cid.substring(1, dot < 0 ? cid.length() : dot));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int ordinalOfText(String text) {
    if (text == null || !text.startsWith("fanout #")) {
      return -1;
    }
    try {
      return Integer.parseInt(text.substring("fanout #".length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
