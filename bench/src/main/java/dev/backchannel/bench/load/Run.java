package dev.backchannel.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Everything one scenario run shares: the options every scenario takes, the generator's Vert.x and
 * lanes, the client for {@code --target}, the measurement window, and the server process when it
 * runs on this machine (for its CPU time, RSS and heap).
 */
final class Run implements AutoCloseable {

  final Options options;
  final Report report;
  final Vertx vertx;
  final Lanes lanes;
  final Client client;
  final String target;
  final int warmupSeconds;
  final int durationSeconds;
  final long serverPid;
  /** A store process on this machine (redis-server) whose CPU is reported too; 0 for none. */
  private final long storePid;
  private long storeCpuStart;
  private long storeCpu;
  final int connectConcurrency;
  /** Seconds waited after the window for answers still in flight. */
  final double graceSeconds;
  final Random random = new Random();

  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;
  private Map<String, Long> serverThreadsStart = Map.of();
  private Map<String, Long> serverThreads = Map.of();
  private Map<String, Long> selfThreadsStart = Map.of();
  private Map<String, Long> selfThreads = Map.of();
  private long serverCpuStart;
  private long serverSysStart;
  private long serverSys;
  private long selfSysStart;
  private long selfSys;
  private long selfCpuStart;
  private long serverCpu;
  private long selfCpu;
  private long windowNanos;
  private String firstSetupError;

  Run(String scenario, Options options, int defaultWarmup, int defaultDuration) {
    this.options = options;
    this.target = options.string("target", "http://127.0.0.1:8080");
    String key = options.string("organizer-key", System.getenv("BACKCHANNEL_ORGANIZER_KEY"));
    int loops = options.integer("loops", Runtime.getRuntime().availableProcessors());
    this.warmupSeconds = options.integer("warmup", defaultWarmup);
    this.durationSeconds = options.integer("duration", defaultDuration);
    this.connectConcurrency = options.integer("connect-concurrency", 256);
    this.graceSeconds = options.decimal("grace", 3);
    long pid = options.number("server-pid", -1);
    long store = options.number("store-pid", 0);
    this.report = new Report(scenario, options.used());
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true)
        // A generator under full load may hold its loop for a while; that is measured, not logged.
        .setBlockedThreadCheckInterval(TimeUnit.HOURS.toMillis(1)));
    this.lanes = Lanes.start(vertx, loops);
    this.client = new Client(vertx, target, key);
    if (pid < 0 && isLocal(client.host())) {
      OptionalLong found = Proc.listener(client.port());
      pid = found.orElse(0);
    }
    this.serverPid = pid > 0 && Proc.exists(pid) ? pid : 0;
    if (store > 0 && !Proc.exists(store)) {
      throw new IllegalArgumentException("--store-pid=" + store + ": no such process");
    }
    this.storePid = store;
    report.environment("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    report.environment("machine", Runtime.getRuntime().availableProcessors() + " cores (nproc), "
        + (Proc.memTotalKib() / 1024) + " MiB memory, " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
    report.environment("generator", "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
        + "), " + loops + " event loops, " + (vertx.isNativeTransportEnabled() ? "epoll" : "NIO") + " transport, pid "
        + Proc.self());
    report.environment("target", target + (serverPid > 0 ? " (server pid " + serverPid + ", " + Proc.javaVersion(serverPid) + ")"
        : " (server process not on this machine or not found: no server CPU/memory figures)"));
    report.environment("load average before", Proc.loadAverage());
  }

  static boolean isLocal(String host) {
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress() || a.isAnyLocalAddress() || java.net.NetworkInterface.getByInetAddress(a) != null;
    } catch (Exception e) {
      return false;
    }
  }

  /** A fresh room for this run (hashtags are unique per server). */
  Client.RoomKeys room(String kind) {
    String tag = "#bench-" + kind + "-" + Long.toString(System.currentTimeMillis(), 36) + random.nextInt(1000);
    return await(client.createRoom(tag, "Benchmark " + kind), 30);
  }

  /**
   * Joins {@code n} participants over HTTP and opens their sockets, spread over the lanes;
   * {@code setup} runs on each socket's lane before its hello. Returns the sockets that got a welcome.
   */
  List<BenchSocket> audience(Client.RoomKeys room, int n, int firstIndex, Consumer<BenchSocket> setup) {
    return audience(room, n, firstIndex, setup, index -> null);
  }

  /**
   * Like {@link #audience(Client.RoomKeys, int, int, Consumer)}, each participant joining as a proxy
   * forwards it from {@code addressOf(index)} (see {@link Client#join(String, String, String)}).
   */
  List<BenchSocket> audience(Client.RoomKeys room, int n, int firstIndex, Consumer<BenchSocket> setup,
      IntFunction<String> addressOf) {
    int perLane = Math.max(1, connectConcurrency / lanes.size());
    List<Future<List<BenchSocket>>> opened = new ArrayList<>();
    for (Lanes.Lane lane : lanes.all()) {
      List<Integer> mine = new ArrayList<>();
      for (int i = lane.index; i < n; i += lanes.size()) {
        mine.add(firstIndex + i);
      }
      opened.add(lane.call(() -> openMany(lane, room, mine, perLane, setup, addressOf)));
    }
    List<BenchSocket> all = new ArrayList<>();
    opened.forEach(f -> all.addAll(await(f, 600)));
    if (all.size() < n) {
      report.note((n - all.size()) + " of " + n + " sockets could not be opened; first error: " + firstSetupError);
    }
    return all;
  }

  /** Like {@link #audience} with every socket on one lane (for sockets that share state with a staff socket). */
  List<BenchSocket> audienceOn(Lanes.Lane lane, Client.RoomKeys room, int n, int firstIndex, Consumer<BenchSocket> setup) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      indices.add(firstIndex + i);
    }
    List<BenchSocket> all = await(lane.call(() -> openMany(lane, room, indices, connectConcurrency, setup, index -> null)),
        600);
    if (all.size() < n) {
      report.note((n - all.size()) + " of " + n + " sockets could not be opened; first error: " + firstSetupError);
    }
    return all;
  }

  /**
   * One participant: HTTP join (forwarded from {@code address} when not null), then the socket's
   * hello and welcome. Runs on {@code lane}.
   */
  Future<BenchSocket> participant(Lanes.Lane lane, Client.RoomKeys room, int index, Consumer<BenchSocket> setup,
      String address) {
    return client.join(room.slug(), null, address)
        .recover(e -> {
          lane.metrics.count("setup.joinFailed." + (e instanceof Client.HttpFailure h ? h.status : "io"));
          return Future.failedFuture(e);
        })
        .compose(joined -> {
          BenchSocket s = new BenchSocket(lane, index, joined.participantId(), joined.token(), null);
          setup.accept(s);
          return s.open(client, room.slug(), 60_000)
              .recover(e -> {
                lane.metrics.count("setup.socketFailed");
                return Future.failedFuture(e);
              })
              .map(w -> {
                lane.sockets.add(s);
                return s;
              });
        });
  }

  /** A speaker or moderator socket on lane {@code laneIndex}. */
  BenchSocket staff(Client.RoomKeys room, String key, int laneIndex, Consumer<BenchSocket> setup) {
    Lanes.Lane lane = lanes.get(laneIndex);
    return await(lane.call(() -> {
      BenchSocket s = new BenchSocket(lane, -1, null, null, key);
      setup.accept(s);
      return s.open(client, room.slug(), 60_000).map(w -> {
        lane.sockets.add(s);
        return s;
      });
    }), 90);
  }

  private Future<List<BenchSocket>> openMany(Lanes.Lane lane, Client.RoomKeys room, List<Integer> indices, int limit,
      Consumer<BenchSocket> setup, IntFunction<String> addressOf) {
    Promise<List<BenchSocket>> done = Promise.promise();
    List<BenchSocket> opened = new ArrayList<>();
    if (indices.isEmpty()) {
      return Future.succeededFuture(opened);
    }
    int[] next = {0};
    int[] inFlight = {0};
    int[] finished = {0};
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      while (inFlight[0] < limit && next[0] < indices.size()) {
        int index = indices.get(next[0]++);
        inFlight[0]++;
        participant(lane, room, index, setup, addressOf.apply(index)).onComplete(r -> {
          inFlight[0]--;
          finished[0]++;
          if (r.succeeded()) {
            opened.add(r.result());
          } else if (firstSetupError == null) {
            firstSetupError = r.cause().getMessage();
          }
          if (finished[0] == indices.size()) {
            done.complete(opened);
          } else {
            launch[0].run();
          }
        });
      }
    };
    launch[0].run();
    return done.future();
  }

  String firstSetupError() {
    return firstSetupError;
  }

  /** Starts the measurement window (and the server's and the generator's CPU clocks). */
  void startWindow() {
    report.environment("load average at start of measurement", Proc.loadAverage());
    if (serverPid > 0) {
      serverCpuStart = Proc.cpuNanos(serverPid);
      serverSysStart = Proc.systemCpuNanos(serverPid);
      serverThreadsStart = Proc.threadCpuNanos(serverPid);
    }
    if (storePid > 0) {
      storeCpuStart = Proc.cpuNanos(storePid);
    }
    selfCpuStart = Proc.cpuNanos(Proc.self());
    selfSysStart = Proc.systemCpuNanos(Proc.self());
    selfThreadsStart = Proc.threadCpuNanos(Proc.self());
    windowStart = System.nanoTime();
  }

  void endWindow() {
    windowEnd = System.nanoTime();
    windowNanos = windowEnd - windowStart;
    selfCpu = Proc.cpuNanos(Proc.self()) - selfCpuStart;
    selfSys = Proc.systemCpuNanos(Proc.self()) - selfSysStart;
    selfThreads = delta(selfThreadsStart, Proc.threadCpuNanos(Proc.self()));
    if (serverPid > 0) {
      serverCpu = Proc.cpuNanos(serverPid) - serverCpuStart;
      serverSys = Proc.systemCpuNanos(serverPid) - serverSysStart;
      serverThreads = delta(serverThreadsStart, Proc.threadCpuNanos(serverPid));
    }
    if (storePid > 0) {
      storeCpu = Proc.cpuNanos(storePid) - storeCpuStart;
    }
    report.environment("load average at end of measurement", Proc.loadAverage());
  }

  boolean inWindow(long nanos) {
    return nanos >= windowStart && nanos < windowEnd;
  }

  double windowSeconds() {
    return windowNanos / 1e9;
  }

  /** Server and generator CPU over the window; {@code perUnit} names what the server's CPU is divided by. */
  void reportCpu(String perUnit, double units) {
    double wall = windowNanos;
    if (serverPid > 0) {
      report.value("server CPU", serverCpu / wall, "cores (of " + Runtime.getRuntime().availableProcessors() + ")");
      report.value("server CPU in the kernel", serverCpu > 0 ? 100.0 * serverSys / serverCpu : 0, "%");
      if (perUnit != null && units > 0) {
        report.value("server CPU per 1,000 " + perUnit, serverCpu / 1e6 / (units / 1000.0), "ms");
      }
      // One room is owned by one loop: its thread's CPU shows whether that loop is the limit.
      report.environment("busiest server threads (cores: tid name)", busiest(serverThreads, wall));
    }
    if (storePid > 0) {
      report.value("store process CPU", storeCpu / wall, "cores");
      if (perUnit != null && units > 0) {
        report.value("store process CPU per 1,000 " + perUnit, storeCpu / 1e6 / (units / 1000.0), "ms");
      }
    }
    report.value("generator CPU", selfCpu / wall, "cores");
    report.value("generator CPU in the kernel", selfCpu > 0 ? 100.0 * selfSys / selfCpu : 0, "%");
    report.environment("busiest generator threads (cores: tid name)", busiest(selfThreads, wall));
    if (serverPid > 0 && serverCpu + selfCpu > 0) {
      report.value("generator share of CPU used", 100.0 * selfCpu / (serverCpu + storeCpu + selfCpu), "%");
    }
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> used = new HashMap<>();
    after.forEach((t, n) -> used.put(t, n - before.getOrDefault(t, 0L)));
    return used;
  }

  private static String busiest(Map<String, Long> threads, double wallNanos) {
    StringBuilder b = new StringBuilder();
    threads.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(5)
        .forEach(e -> b.append(b.length() == 0 ? "" : ", ")
            .append(String.format(Locale.ROOT, "%.2f %s", e.getValue() / wallNanos, e.getKey())));
    return b.toString();
  }

  /** Closes every socket of the run and forgets them, so a scenario can go on with new ones. */
  void closeSockets() {
    List<Future<?>> closing = new ArrayList<>();
    for (Lanes.Lane lane : lanes.all()) {
      closing.add(lane.call(() -> {
        List<Future<Void>> closed = lane.sockets.stream().map(BenchSocket::close).toList();
        lane.sockets.clear();
        return Future.join(closed).mapEmpty();
      }));
    }
    try {
      await(Future.join(new ArrayList<>(closing)), 60);
    } catch (RuntimeException e) {
      // closing is best effort: the process exits next
    }
  }

  @Override
  public void close() {
    closeSockets();
    try {
      client.close();
    } catch (RuntimeException e) {
      // best effort
    }
    await(vertx.close(), 30);
  }

  static void sleepSeconds(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static <T> T await(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", v);
  }
}
