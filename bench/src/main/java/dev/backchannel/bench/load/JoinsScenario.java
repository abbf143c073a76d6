package dev.backchannel.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code joins}: N phones join one room within T seconds, evenly paced: each does the HTTP join,
 * opens its socket, says hello and waits for its welcome. Measures each step's latency, the
 * achieved joins per second and the failures (with the join limit per address, expect
 * {@code 429} unless the server runs with {@code --joins-per-minute=1000000}).
 */
final class JoinsScenario {

  static final String HTTP = "join (HTTP)";
  static final String WELCOME = "hello to welcome (incl. WebSocket upgrade)";
  static final String TOTAL = "join total";

  private JoinsScenario() {}

  /** What a paced join produced. */
  record Joined(List<BenchSocket> sockets, long startNanos, long lastWelcomeNanos) {
    double seconds() {
      return (lastWelcomeNanos - startNanos) / 1e9;
    }
  }

  static Report run(Run run) {
    Options o = run.options;
    int sockets = o.integer("sockets", 1_000);
    double within = o.decimal("within", 10);
    o.requireAllRead();
    Report report = run.report;
    Client.RoomKeys room = run.room("joins");

    run.startWindow();
    Joined joined = join(run, room, sockets, within, s -> s.depth = type -> Frame.Mode.STOP);
    run.endWindow();
    Run.sleepSeconds(run.graceSeconds);
    Metrics m = run.lanes.merged();
    int ok = joined.sockets().size();
    report.value("joins asked", sockets, "");
    report.value("joined (welcome received)", ok, "", "all", ok == sockets);
    report.value("asked rate", sockets / within, "joins/s");
    report.value("achieved rate", joined.seconds() > 0 ? ok / joined.seconds() : 0, "joins/s");
    report.value("time to last welcome", joined.seconds(), "s");
    reportLatencies(report, m);
    report.counters("socket.", m.counters());
    run.reportCpu("joins", ok);
    return report;
  }

  static void reportLatencies(Report report, Metrics m) {
    report.latency(HTTP, m.histogram(HTTP), null);
    report.latency(WELCOME, m.histogram(WELCOME), null);
    report.latency(TOTAL, m.histogram(TOTAL), null);
    report.counters("failures.", m.counters());
    if (m.counter("failures.join.429") > 0) {
      report.note("429 = the server's join limit per address: start it with --joins-per-minute=1000000 for benchmarks");
    }
  }

  /**
   * Joins {@code n} participants evenly over {@code within} seconds (open loop, all lanes), each
   * socket set up by {@code setup} on its lane before its hello; waits until all are done.
   */
  static Joined join(Run run, Client.RoomKeys room, int n, double within, Consumer<BenchSocket> setup) {
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicLong lastWelcome = new AtomicLong();
    List<Pacer> pacers = new ArrayList<>();
    for (Lanes.Lane lane : run.lanes.all()) {
      pacers.add(new Pacer(lane, t -> n / within / run.lanes.size(), () -> {
        int index = issued.getAndIncrement();
        if (index >= n) {
          return true;
        }
        long start = System.nanoTime();
        long[] joinedAt = {0};
        run.client.join(room.slug(), null)
            .compose(joined -> {
              joinedAt[0] = System.nanoTime();
              lane.metrics.recordNanos(HTTP, joinedAt[0] - start);
              BenchSocket s = new BenchSocket(lane, index, joined.participantId(), joined.token(), null);
              setup.accept(s);
              return s.open(run.client, room.slug(), 60_000).map(w -> s);
            })
            .onComplete(r -> {
              long now = System.nanoTime();
              if (r.succeeded()) {
                lane.sockets.add(r.result());
                lane.metrics.recordNanos(WELCOME, now - joinedAt[0]);
                lane.metrics.recordNanos(TOTAL, now - start);
                lastWelcome.accumulateAndGet(now, Math::max);
              } else if (joinedAt[0] == 0) {
                lane.metrics.count("failures.join." + (r.cause() instanceof Client.HttpFailure h ? h.status : "io"));
              } else {
                lane.metrics.count("failures.socket");
              }
              finished.incrementAndGet();
            });
        return true;
      }, 1000));
    }
    long start = System.nanoTime();
    pacers.forEach(Pacer::start);
    long deadline = start + (long) ((within + 120) * 1e9);
    while (finished.get() < n && System.nanoTime() < deadline) {
      Run.sleepSeconds(0.05);
    }
    pacers.forEach(Pacer::stop);
    List<BenchSocket> sockets = new ArrayList<>();
    for (BenchSocket s : run.lanes.sockets()) {
      if (s.participantId != null && s.index >= 0 && s.index < n) {
        sockets.add(s);
      }
    }
    return new Joined(sockets, start, lastWelcome.get());
  }
}
