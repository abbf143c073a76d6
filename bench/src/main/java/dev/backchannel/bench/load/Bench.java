package dev.backchannel.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The load generator's command line: {@code bench <scenario> [--name=value ...]}. It speaks the
 * wire contract (PROTOCOL.md) to any {@code --target}, prints a summary table and, with
 * {@code --json=out.json}, writes the same numbers as JSON.
 */
public final class Bench {

  static final String USAGE = """
      usage: scripts/bench <scenario> [--name=value ...]

      scenarios
        fanout    N sockets in one room, the audience posts at --rate posts/s;
                  delivery latency from each post's ack to its arrival at every socket
                  --sockets=1000 --rate=2
        ratings   N sockets rate --posts posts at a total --rate ratings/s; ack latency, acked/s,
                  dashboard staleness (speaker socket), batches reaching every socket
                  --sockets=10000 --rate=25000 --posts=10 --probes=200 --max-outstanding=16
        joins     N sockets join within T seconds (HTTP join, upgrade, hello, welcome)
                  --sockets=1000 --within=10
        keynote   a keynote: ramp of joins, posts, ratings with bursts, speaker marks, moderator
                  --sockets=10000 --ramp=30 --rate=2000 --burst-rate=20000 --burst-every=20
                  --burst-length=4 --post-rate=1 --delivery-sample=10
        idle      heap and RSS per idle socket (server on this machine; runs jcmd GC.class_histogram)
                  --sockets=10000 --histogram=0 (top classes of live-heap growth)

      every scenario
        --target=http://127.0.0.1:8080   the server (memory or Redis store, one node or a balancer)
        --organizer-key=...              default: $BACKCHANNEL_ORGANIZER_KEY
        --warmup=S --duration=S          seconds before measuring, seconds measured
        --loops=N                        generator event loops (default: cores)
        --server-pid=PID                 the server's process for CPU/RSS/heap (default: the local
                                         listener of the target's port, if any)
        --store-pid=PID                  a store process on this machine (redis-server) whose CPU
                                         is reported too
        --connect-concurrency=256        sockets being opened at once
        --grace=3                        seconds to wait after the window for answers in flight
        --json=out.json                  also write the results as JSON
      """;

  private Bench() {}

  public static void main(String[] args) {
    if (args.length == 0 || List.of("help", "--help", "-h").contains(args[0])) {
      System.out.print(USAGE);
      return;
    }
    try {
      Report report = run(args[0], Arrays.asList(args).subList(1, args.length));
      System.out.print(report.table());
      System.exit(0);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
    } catch (RuntimeException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs one scenario and returns its report (written as JSON too when asked). */
  public static Report run(String scenario, List<String> args) {
    Options options = new Options(args);
    String json = options.string("json", null);
    Report report;
    try (Run run = switch (scenario) {
      case "fanout" -> new Run(scenario, options, 5, 30);
      case "ratings" -> new Run(scenario, options, 10, 30);
      case "joins" -> new Run(scenario, options, 0, 0);
      case "keynote" -> new Run(scenario, options, 5, 60);
      case "idle" -> new Run(scenario, options, 0, 0);
      default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "'");
    }) {
      report = switch (scenario) {
        case "fanout" -> FanoutScenario.run(run);
        case "ratings" -> RatingsScenario.run(run);
        case "joins" -> JoinsScenario.run(run);
        case "keynote" -> KeynoteScenario.run(run);
        default -> IdleScenario.run(run);
      };
    }
    if (json != null) {
      try {
        Files.writeString(Path.of(json), report.json().encodePrettily() + "\n");
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + json + ": " + e.getMessage(), e);
      }
    }
    return report;
  }
}
