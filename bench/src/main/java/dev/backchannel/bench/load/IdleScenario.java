package dev.backchannel.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code idle}: what an idle connection costs the server. Measures the server's heap after a full
 * GC (the live bytes of {@code jcmd GC.class_histogram}) and its RSS with the room empty, after N
 * participants joined over HTTP (store records only), and with their N sockets open and idle; then
 * again after they closed. Needs the server process on this machine ({@code --server-pid} or found
 * by its port).
 */
final class IdleScenario {

  private IdleScenario() {}

  static Report run(Run run) {
    Options o = run.options;
    int sockets = o.integer("sockets", 10_000);
    int settle = o.integer("settle", 5);
    int classes = o.integer("histogram", 0);
    o.requireAllRead();
    Report report = run.report;
    if (run.serverPid <= 0) {
      throw new IllegalStateException("idle needs the server's pid (--server-pid=...), on this machine");
    }
    long pid = run.serverPid;
    Client.RoomKeys room = run.room("idle");
    Run.sleepSeconds(settle);
    long heap0 = Proc.heapUsedAfterGcKib(pid);
    long rss0 = Proc.rssKib(pid);

    // The participants first, so their store records are not counted against the sockets.
    List<Client.Joined> joined = new ArrayList<>();
    for (Lanes.Lane lane : run.lanes.all()) {
      int share = sockets / run.lanes.size() + (lane.index < sockets % run.lanes.size() ? 1 : 0);
      joined.addAll(Run.await(lane.call(() -> joinMany(run, room, share)), 600));
    }
    Run.sleepSeconds(settle);
    long heap1 = Proc.heapUsedAfterGcKib(pid);
    long rss1 = Proc.rssKib(pid);
    Map<String, long[]> before = classes > 0 ? Proc.classHistogram(pid) : Map.of();

    run.startWindow();
    List<io.vertx.core.Future<BenchSocket>> opening = new ArrayList<>();
    for (int i = 0; i < joined.size(); i++) {
      Client.Joined j = joined.get(i);
      Lanes.Lane lane = run.lanes.get(i);
      int index = i;
      opening.add(lane.call(() -> {
        BenchSocket s = new BenchSocket(lane, index, j.participantId(), j.token(), null);
        s.depth = type -> Frame.Mode.STOP;
        return s.open(run.client, room.slug(), 120_000).map(w -> {
          lane.sockets.add(s);
          return s;
        });
      }));
      if (i % run.connectConcurrency == run.connectConcurrency - 1) {
        Run.await(io.vertx.core.Future.join(new ArrayList<>(opening.subList(i + 1 - run.connectConcurrency, i + 1))), 300);
      }
    }
    Run.await(io.vertx.core.Future.join(new ArrayList<>(opening)), 300);
    long open = opening.stream().filter(io.vertx.core.Future::succeeded).count();
    run.endWindow();
    Run.sleepSeconds(settle);
    long heap2 = Proc.heapUsedAfterGcKib(pid);
    long rss2 = Proc.rssKib(pid);
    Map<String, long[]> after = classes > 0 ? Proc.classHistogram(pid) : Map.of();

    run.closeSockets();
    Run.sleepSeconds(settle);
    long heap3 = Proc.heapUsedAfterGcKib(pid);
    long rss3 = Proc.rssKib(pid);

    report.value("participants joined", joined.size(), "");
    report.value("idle sockets open", open, "", "10,000 in one room", open >= 10_000);
    report.value("server heap after GC, room empty", heap0 / 1024.0, "MiB");
    report.value("server heap after GC, participants joined", heap1 / 1024.0, "MiB");
    report.value("server heap after GC, sockets open", heap2 / 1024.0, "MiB");
    report.value("server heap after GC, sockets closed", heap3 / 1024.0, "MiB");
    report.value("server RSS, room empty", rss0 / 1024.0, "MiB");
    report.value("server RSS, participants joined", rss1 / 1024.0, "MiB");
    report.value("server RSS, sockets open", rss2 / 1024.0, "MiB");
    report.value("server RSS, sockets closed", rss3 / 1024.0, "MiB");
    if (open > 0) {
      double heapPerSocket = (heap2 - heap1) * 1024.0 / open;
      report.value("heap per participant (store)", (heap1 - heap0) * 1024.0 / Math.max(1, joined.size()), "bytes");
      report.value("heap per idle socket", heapPerSocket, "bytes", "≤ 16 KiB (16,384 bytes)", heapPerSocket <= 16 * 1024);
      report.value("RSS per idle socket", (rss2 - rss1) * 1024.0 / open, "bytes");
    }
    report.value("sockets closed by the server while idle", run.lanes.merged().counters().entrySet().stream()
        .filter(e -> e.getKey().startsWith("socket.closedByServer")).mapToLong(e -> e.getValue()[0]).sum(), "");
    if (classes > 0) {
      report.note("live heap growth by class for " + open + " idle sockets (bytes per socket, instances per socket):");
      after.entrySet().stream()
          .map(e -> Map.entry(e.getKey(), new long[] {
              e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
              e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
          .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
          .limit(classes)
          .forEach(e -> report.note(String.format(Locale.ROOT, "  %8.1f B  %6.2f  %s",
              e.getValue()[1] / (double) Math.max(1, open), e.getValue()[0] / (double) Math.max(1, open), e.getKey())));
    }
    run.reportCpu(null, 0);
    return report;
  }

  private static io.vertx.core.Future<List<Client.Joined>> joinMany(Run run, Client.RoomKeys room, int n) {
    List<io.vertx.core.Future<Client.Joined>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(run.client.join(room.slug(), null));
    }
    return io.vertx.core.Future.all(all).map(c -> {
      List<Client.Joined> out = new ArrayList<>();
      for (int i = 0; i < c.size(); i++) {
        out.add(c.resultAt(i));
      }
      return out;
    });
  }
}
