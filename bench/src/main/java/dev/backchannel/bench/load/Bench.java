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
        stuffing  can scripted identities outvote an honest room? Per seed and attack, a fresh room:
                  --people join (--venue-share of them from --venue-addresses venue NAT addresses
                  in 198.51.100-102.x over --venue-networks /24s, the others each from a /24 of
                  their own, 10.a.b.c), write --posts posts (1 troll, 1 good target, 7.5 % good,
                  10 % divisive, the rest mediocre and bad) and rate them (--min-raters to
                  --max-raters honest ratings a post); measured, then attacked by N sybils from M
                  /24s (100.64.m.x): naive (troll +5), mimic (--mimic-posts posts rated as the room
                  does, then troll +5) or brigade (good target -5); measured again. Reports the
                  post's rank in top, top-10 and divergent-10 precision without and with the
                  attack, and the networks held (moderator `held` frames; n/a when none come)
                  --people=300 --posts=120 --venue-share=0.4 --venue-addresses=3 --venue-networks=1
                  --min-raters=30 --max-raters=40 --sybils=200,1000 --networks=1,30
                  --modes=naive,mimic,brigade --mimic-posts=5
                  --seed=1 --seeds=3 (seeds 1..3, a fresh room per seed and attack; means over seeds)
                  --settle=1 (seconds for the server's orderings and held frames after the last ack)
                  --rating-pause-ms=110 (each participant waits this long after each answer: under
                  the default 10 ratings/s; 0 with a server started with higher limits)
                  --label=v1|v2 (only copied into the output: the generator measures the server
                  it talks to). Addresses are X-Forwarded-For values, so the server must trust
                  this machine as a proxy:
                    scripts/bench server --trusted-proxies=127.0.0.1                        (v2)
                    scripts/bench server --trusted-proxies=127.0.0.1 --network-weighting=false (v1)
                    scripts/bench stuffing --label=v2 --seeds=3 --json=stuffing-v2.json

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
      case "stuffing" -> new Run(scenario, options, 0, 0);
      default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "'");
    }) {
      report = switch (scenario) {
        case "fanout" -> FanoutScenario.run(run);
        case "ratings" -> RatingsScenario.run(run);
        case "joins" -> JoinsScenario.run(run);
        case "keynote" -> KeynoteScenario.run(run);
        case "stuffing" -> StuffingScenario.run(run);
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
