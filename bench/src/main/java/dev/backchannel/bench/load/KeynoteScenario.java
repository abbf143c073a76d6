package dev.backchannel.bench.load;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code keynote}: a conference keynote. The audience arrives over a ramp, then posts questions
 * now and then and rates recent posts at a base rate, with bursts (the speaker asks the room to
 * rate); the speaker watches the dashboard and marks posts answered or highlighted; a moderator
 * watches. Measures the ack latencies (base and burst), post delivery to a sample of the audience,
 * dashboard staleness, the joins of the ramp, and errors.
 */
final class KeynoteScenario {

  private static final int RECENT = 20;

  /** A post the audience may rate. */
  private record Target(String id, String author) {}

  private KeynoteScenario() {}

  static Report run(Run run) {
    Options o = run.options;
    int sockets = o.integer("sockets", 10_000);
    double ramp = o.decimal("ramp", 30);
    double baseRate = o.decimal("rate", 2_000);
    double burstRate = o.decimal("burst-rate", 20_000);
    double burstEvery = o.decimal("burst-every", 20);
    double burstLength = o.decimal("burst-length", 4);
    double postRate = o.decimal("post-rate", 1);
    int probes = Math.min(o.integer("probes", 50), Math.max(1, sockets / 20));
    int probeSlots = o.integer("probe-slots", 4);
    int sample = o.integer("delivery-sample", 10);
    int markEvery = o.integer("mark-every", 10);
    int maxOutstanding = o.integer("max-outstanding", 16);
    int dashboardMs = o.integer("dashboard-interval-ms", 200);
    o.requireAllRead();
    Report report = run.report;
    long windowOffset = (long) (run.warmupSeconds * 1e9);

    Client.RoomKeys room = run.room("keynote");
    Lanes.Lane probeLane = run.lanes.get(0);
    StalenessProbe probe = new StalenessProbe(run, probeLane, probeSlots, dashboardMs, id -> true);
    AtomicReference<Frame> dashboard = new AtomicReference<>();
    BenchSocket speaker = run.staff(room, room.speakerKey(), 0, s -> {
      s.depth = type -> "dashboard".equals(type) ? Frame.Mode.DEEP : Frame.Mode.STOP;
      s.listener = (sock, f, now) -> {
        if ("dashboard".equals(f.type)) {
          dashboard.set(f);
        }
        probe.onFrame(sock, f, now);
      };
    });
    run.staff(room, room.moderatorKey(), 1, s -> s.depth = type -> Frame.Mode.STOP);
    run.audienceOn(probeLane, room, probes, sockets, probe::enlist);

    int capacity = (int) (postRate * (run.warmupSeconds + run.durationSeconds + 60) * 2) + 100;
    AtomicLongArray sentAt = new AtomicLongArray(capacity);
    AtomicLongArray ackAt = new AtomicLongArray(capacity);
    AtomicInteger ordinals = new AtomicInteger();
    AtomicReference<Target[]> recent = new AtomicReference<>(new Target[0]);
    long[] phaseStart = {Long.MAX_VALUE};

    BenchSocket.Listener listener = (s, f, now) -> {
      Metrics m = s.lane.metrics;
      switch (f.type) {
        case "ack" -> {
          s.outstanding--;
          long sent = BenchSocket.sentAt(f.cid);
          if (f.cid.startsWith("k")) {
            int ordinal = ordinalOf(f.cid);
            if (ordinal >= 0 && ordinal < capacity) {
              ackAt.set(ordinal, now);
            }
            if (f.post != null) {
              addRecent(recent, new Target(f.post.id(), s.participantId));
            }
            if (run.inWindow(sent)) {
              m.recordNanos("post ack", now - sent);
            }
          } else if (run.inWindow(sent)) {
            m.recordNanos("rating ack", now - sent);
            m.recordNanos(inBurst(sent - phaseStart[0], burstEvery, burstLength) ? "rating ack (bursts)" : "rating ack (base)",
                now - sent);
          }
          if (run.inWindow(now) && f.cid.startsWith("r")) {
            m.count(inBurst(now - phaseStart[0], burstEvery, burstLength) ? "ratings.acked.burst" : "ratings.acked.base");
          }
        }
        case "error" -> {
          s.outstanding--;
          if (run.inWindow(now)) {
            m.count("errors." + f.code);
          }
        }
        case "posts" -> {
          if (run.inWindow(now)) {
            m.count("audience.postsFrames");
          }
          if (f.posts != null) {
            BitSet seen = (BitSet) s.state;
            for (Frame.PostRef p : f.posts) {
              int ordinal = ordinalOfText(p.text());
              if (ordinal >= 0 && ordinal < capacity && !seen.get(ordinal)) {
                seen.set(ordinal);
                long acked = ackAt.get(ordinal);
                if (run.inWindow(sentAt.get(ordinal)) && acked != 0) {
                  m.recordNanos("post delivery from ack (sampled sockets)", now - acked);
                }
              }
            }
          }
        }
        default -> { }
      }
    };
    // Acks of posts are read whole (the new post's id); a sample of the audience reads batches whole.
    Frame.Depth sampled = type -> "posts".equals(type) || "ack".equals(type) ? Frame.Mode.DEEP : Frame.Mode.SKIP;
    Frame.Depth light = type -> "posts".equals(type) ? Frame.Mode.STOP : "ack".equals(type) ? Frame.Mode.DEEP : Frame.Mode.SKIP;
    JoinsScenario.Joined joined = JoinsScenario.join(run, room, sockets, ramp, s -> {
      s.state = new BitSet();
      s.depth = s.index % sample == 0 ? sampled : light;
      s.listener = listener;
    });
    List<BenchSocket> audience = joined.sockets();
    if (audience.size() < 3) {
      throw new IllegalStateException("too few sockets could be opened: " + run.firstSetupError());
    }
    Metrics rampMetrics = run.lanes.merged();

    List<Pacer> pacers = new ArrayList<>();
    for (Lanes.Lane lane : run.lanes.all()) {
      List<BenchSocket> mine = audience.stream().filter(s -> s.lane == lane).toList();
      if (mine.isEmpty()) {
        continue;
      }
      double share = mine.size() / (double) audience.size();
      int[] cursor = {0};
      pacers.add(new Pacer(lane, t -> share * (inBurst(t, burstEvery, burstLength) ? burstRate : baseRate), () -> {
        Target[] posts = recent.get();
        if (posts.length == 0) {
          return false;
        }
        for (int tries = 0; tries < mine.size(); tries++) {
          BenchSocket s = mine.get(cursor[0]++ % mine.size());
          if (!s.open || s.outstanding >= maxOutstanding) {
            continue;
          }
          Target t = posts[ThreadLocalRandom.current().nextInt(posts.length)];
          if (t.author().equals(s.participantId)) {
            continue;
          }
          int value = ThreadLocalRandom.current().nextInt(-2, 6);
          long now = System.nanoTime();
          s.outstanding++;
          s.send(Json.rate(s.nextCid('r', now), t.id(), value));
          return true;
        }
        return false;
      }, 100));
      pacers.add(new Pacer(lane, t -> share * postRate, () -> {
        BenchSocket s = mine.get(ThreadLocalRandom.current().nextInt(mine.size()));
        int ordinal = ordinals.getAndIncrement();
        if (!s.open || ordinal >= capacity) {
          return false;
        }
        long now = System.nanoTime();
        sentAt.set(ordinal, now);
        s.outstanding++;
        s.send(Json.post("k" + Long.toString(now, 36) + "." + ordinal, "keynote #" + ordinal + ": what about this?"));
        return true;
      }, 1000));
    }

    // A few questions before the talk starts, so there is something to rate.
    for (int i = 0; i < 5; i++) {
      BenchSocket author = audience.get(i);
      Frame ack = Run.await(author.lane.call(() -> author.request('c', cid -> Json.post(cid, "Opening question " + author.index))), 30);
      addRecent(recent, new Target(ack.post.id(), author.participantId));
    }

    phaseStart[0] = System.nanoTime();
    pacers.forEach(Pacer::start);
    probe.start();
    long marks = speaker.lane.vertx().setPeriodic(markEvery * 1000L, id -> speaker.lane.context.runOnContext(v -> {
      Frame d = dashboard.get();
      if (d == null || d.top == null || d.top.isEmpty()) {
        return;
      }
      Frame.PostRef p = d.top.get(ThreadLocalRandom.current().nextInt(d.top.size()));
      String status = ThreadLocalRandom.current().nextBoolean() ? "answered" : "highlighted";
      long sent = System.nanoTime();
      speaker.request('m', cid -> Json.mark(cid, p.id(), status)).onComplete(r -> {
        if (r.succeeded() && run.inWindow(sent)) {
          speaker.lane.metrics.recordNanos("mark ack", System.nanoTime() - sent);
        } else if (r.failed()) {
          speaker.lane.metrics.count("errors.mark");
        }
      });
    }));
    Run.sleepSeconds(windowOffset / 1e9);
    run.startWindow();
    Run.sleepSeconds(run.durationSeconds);
    run.endWindow();
    pacers.forEach(Pacer::stop);
    probe.stop();
    speaker.lane.vertx().cancelTimer(marks);
    Run.sleepSeconds(run.graceSeconds);
    Metrics m = run.lanes.merged();

    double window = run.windowSeconds();
    double burstShare = burstShare(window, (run.warmupSeconds), burstEvery, burstLength);
    long acked = m.counter("ratings.acked.base") + m.counter("ratings.acked.burst");
    report.value("sockets in the room", audience.size() + probes + 2, "", "10,000 in one room", audience.size() + probes + 2 >= 10_000);
    report.value("ramp: joins/s achieved", joined.seconds() > 0 ? audience.size() / joined.seconds() : 0, "joins/s");
    report.latency("ramp: " + JoinsScenario.TOTAL, rampMetrics.histogram(JoinsScenario.TOTAL), null);
    report.value("offered ratings/s (base / burst)", baseRate, "/ " + Report.fmt(burstRate));
    report.value("acked ratings/s (mean over the window)", acked / window, "");
    if (burstShare > 0 && burstShare < 1) {
      report.value("acked ratings/s during bursts", m.counter("ratings.acked.burst") / (window * burstShare), "");
      report.value("acked ratings/s between bursts", m.counter("ratings.acked.base") / (window * (1 - burstShare)), "");
    }
    report.latency("rating ack", m.histogram("rating ack"), 50.0);
    report.latency("rating ack (bursts)", m.histogram("rating ack (bursts)"), 50.0);
    report.latency("rating ack (base)", m.histogram("rating ack (base)"), 50.0);
    report.latency("post ack", m.histogram("post ack"), null);
    report.latency("post delivery from ack (sampled sockets)", m.histogram("post delivery from ack (sampled sockets)"), 400.0);
    report.latency(StalenessProbe.METRIC, m.histogram(StalenessProbe.METRIC), 400.0);
    report.latency("mark ack", m.histogram("mark ack"), null);
    report.value("posts frames/s per audience socket (mean)", m.counter("audience.postsFrames") / (double) audience.size() / window, "");
    report.value("ratings not sent: generator behind", m.counter("pacer.dropped"), "");
    report.value("ratings not sent: sockets at --max-outstanding", m.counter("pacer.refused"), "");
    report.counters("errors.", m.counters());
    report.counters("probe.", m.counters());
    report.counters("socket.", m.counters());
    report.counters("failures.", m.counters());
    report.note(String.format(Locale.ROOT, "delivery is measured on 1 socket in %d (every socket receives the batches)", sample));
    run.reportCpu("acked ratings", acked);
    return report;
  }

  static boolean inBurst(long sinceStartNanos, double every, double length) {
    if (sinceStartNanos < 0 || every <= 0 || length <= 0) {
      return false;
    }
    double s = sinceStartNanos / 1e9;
    return s % every >= every - length; // each period ends with its burst: the first comes after a calm start
  }

  private static double burstShare(double window, double offset, double every, double length) {
    if (every <= 0 || length <= 0) {
      return 0;
    }
    int steps = 10_000;
    int in = 0;
    for (int i = 0; i < steps; i++) {
      if (inBurst((long) ((offset + window * i / steps) * 1e9), every, length)) {
        in++;
      }
    }
    return in / (double) steps;
  }

  private static void addRecent(AtomicReference<Target[]> recent, Target t) {
    recent.updateAndGet(old -> {
      int keep = Math.min(old.length, RECENT - 1);
      Target[] next = new Target[keep + 1];
      System.arraycopy(old, old.length - keep, next, 0, keep);
      next[keep] = t;
      return next;
    });
  }

  private static int ordinalOf(String cid) {
    int dot = cid.indexOf('.');
    try {
      return dot < 0 ? -1 : Integer.parseInt(cid.substring(dot + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int ordinalOfText(String text) {
    if (text == null || !text.startsWith("keynote #")) {
      return -1;
    }
    int colon = text.indexOf(':');
    try {
      return Integer.parseInt(text.substring("keynote #".length(), colon < 0 ? text.length() : colon));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
