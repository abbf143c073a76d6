package dev.backchannel.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ratings}: N sockets in one room rate a few posts at a given total rate (open loop, spread
 * evenly so each participant stays within the server's per-participant limit). Measures the ack
 * latency, acked ratings per second, dashboard staleness on a speaker socket, and checks that every
 * socket of the room keeps receiving the coalesced {@code posts} batches.
 */
final class RatingsScenario {

  /** What one rating socket remembers: its last value per post (so each rating changes something). */
  private static final class Rater {
    final byte[] last;
    int next;
    long framesInWindow;

    Rater(int posts, int phase) {
      last = new byte[posts];
      for (int i = 0; i < posts; i++) {
        last[i] = (byte) (((phase + i) % 11) - 5);
      }
      next = phase;
    }
  }

  private RatingsScenario() {}

  static Report run(Run run) {
    Options o = run.options;
    int sockets = o.integer("sockets", 10_000);
    double rate = o.decimal("rate", 25_000);
    int postCount = o.integer("posts", 10);
    // Each probe participant rates each post once (a first rating is what a dashboard visibly
    // counts): 200 probers x 10 posts at 4 in flight last about 100 s of warm-up and window.
    int probes = Math.min(o.integer("probes", 200), Math.max(1, sockets / 5));
    int probeSlots = o.integer("probe-slots", 4);
    int maxOutstanding = o.integer("max-outstanding", 16);
    int dashboardMs = o.integer("dashboard-interval-ms", 200);
    int perParticipantLimit = o.integer("participant-rate-limit", 10);
    o.requireAllRead();
    Report report = run.report;
    int raters = sockets - probes;
    if (rate / raters > perParticipantLimit * 0.8) {
      report.note(String.format(java.util.Locale.ROOT, "%.1f ratings/s per participant is close to the server's limit of %d/s:"
          + " expect rate_limited errors; use more --sockets or start the server with --ratings-per-second/--rating-burst",
          rate / raters, perParticipantLimit));
    }

    Client.RoomKeys room = run.room("ratings");
    Lanes.Lane probeLane = run.lanes.get(0);
    List<String> postIds = new ArrayList<>();
    StalenessProbe probe = new StalenessProbe(run, probeLane, probeSlots, dashboardMs, id -> true);
    run.staff(room, room.speakerKey(), 0, s -> {
      s.depth = type -> "dashboard".equals(type) ? Frame.Mode.DEEP : Frame.Mode.STOP;
      s.listener = probe;
    });

    BenchSocket.Listener listener = (s, f, now) -> {
      Metrics m = s.lane.metrics;
      switch (f.type) {
        case "ack" -> {
          s.outstanding--;
          long sent = BenchSocket.sentAt(f.cid);
          if (run.inWindow(sent)) {
            m.recordNanos("rating ack", now - sent);
          }
          if (run.inWindow(now)) {
            m.count("ratings.acked");
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
            ((Rater) s.state).framesInWindow++;
            m.count("audience.postsFrames");
          }
        }
        default -> { }
      }
    };
    // Only the type of a batch is read, and only the cid of an ack: the generator must stay cheap.
    Frame.Depth depth = type -> "posts".equals(type) ? Frame.Mode.STOP : Frame.Mode.SKIP;
    List<BenchSocket> load = run.audience(room, raters, 0, s -> {
      s.state = new Rater(postCount, (int) (Math.random() * 11));
      s.depth = depth;
      s.listener = listener;
    });
    List<BenchSocket> probeSockets = run.audienceOn(probeLane, room, probes, raters, s -> {
      s.state = new Rater(postCount, 0);
      probe.enlist(s);
    });
    if (load.isEmpty()) {
      throw new IllegalStateException("no socket could be opened: " + run.firstSetupError());
    }

    // The posts everyone rates: three per author (the server's default post limit per 30 s).
    List<String> authors = new ArrayList<>();
    for (int i = 0; i < postCount; i++) {
      BenchSocket author = load.get(i / 3);
      Frame ack = Run.await(author.lane.call(() -> author.request('c', cid -> Json.post(cid, "What about question "
          + postIds.size() + "?"))), 30);
      postIds.add(ack.post.id());
      authors.add(author.participantId);
    }
    String[] ids = postIds.toArray(new String[0]);
    String[] by = authors.toArray(new String[0]);

    List<Pacer> pacers = new ArrayList<>();
    for (Lanes.Lane lane : run.lanes.all()) {
      List<BenchSocket> mine = new ArrayList<>();
      for (BenchSocket s : load) {
        if (s.lane == lane) {
          mine.add(s);
        }
      }
      if (mine.isEmpty()) {
        continue;
      }
      double laneRate = rate * mine.size() / load.size();
      int[] cursor = {0};
      pacers.add(new Pacer(lane, t -> laneRate, () -> {
        for (int tries = 0; tries < mine.size(); tries++) {
          BenchSocket s = mine.get(cursor[0]++ % mine.size());
          if (!s.open || s.outstanding >= maxOutstanding) {
            continue;
          }
          Rater r = (Rater) s.state;
          int i = r.next++ % ids.length;
          if (by[i].equals(s.participantId)) {
            i = (i + 1) % ids.length;
            if (by[i].equals(s.participantId)) {
              continue;
            }
          }
          int value = r.last[i] >= 5 ? -5 : r.last[i] + 1;
          r.last[i] = (byte) value;
          long now = System.nanoTime();
          s.outstanding++;
          s.send(Json.rate(s.nextCid('r', now), ids[i], value));
          return true;
        }
        return false;
      }, 100));
    }

    pacers.forEach(Pacer::start);
    probe.start();
    Run.sleepSeconds(run.warmupSeconds);
    run.startWindow();
    Run.sleepSeconds(run.durationSeconds);
    run.endWindow();
    pacers.forEach(Pacer::stop);
    probe.stop();
    Run.sleepSeconds(run.graceSeconds); // answers still in flight
    Metrics m = run.lanes.merged();

    long unanswered = 0;
    long minFrames = Long.MAX_VALUE;
    long sumFrames = 0;
    int counted = 0;
    for (BenchSocket s : run.lanes.sockets()) {
      unanswered += Math.max(0, s.outstanding);
    }
    for (BenchSocket s : load) {
      if (s.state instanceof Rater r && s.open) {
        minFrames = Math.min(minFrames, r.framesInWindow);
        sumFrames += r.framesInWindow;
        counted++;
      }
    }
    double window = run.windowSeconds();
    double acked = m.counter("ratings.acked") / window;
    report.value("sockets in the room", load.size() + probeSockets.size() + 1, "", null, null);
    report.value("offered ratings/s", rate, "");
    report.value("acked ratings/s", acked, "", "≥ 25,000/s", acked >= 25_000);
    report.latency("rating ack", m.histogram("rating ack"), 50.0);
    report.latency(StalenessProbe.METRIC, m.histogram(StalenessProbe.METRIC), 400.0);
    if (counted > 0) {
      report.value("posts frames/s per audience socket (min)", minFrames / window, "", "every socket > 0", minFrames > 0);
      report.value("posts frames/s per audience socket (mean)", sumFrames / (double) counted / window, "");
    }
    report.value("dashboard frames/s", m.counter("dashboard.frames") / window, "");
    report.value("ratings unanswered at the end", unanswered, "");
    report.value("ratings not sent: generator behind", m.counter("pacer.dropped"), "");
    report.value("ratings not sent: all sockets at --max-outstanding", m.counter("pacer.refused"), "");
    report.counters("errors.", m.counters());
    report.counters("probe.", m.counters());
    report.counters("socket.", m.counters());
    report.counters("setup.", m.counters());
    run.reportCpu("acked ratings", m.counter("ratings.acked"));
    return report;
  }
}
