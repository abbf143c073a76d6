package dev.backchannel.metrics;

import dev.backchannel.model.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The server's own meters, scraped at {@code /metrics} in Prometheus format: commands by type and
 * outcome, errors by code, store latency, batch sizes and fan-out frames, plus gauges for sockets
 * by role and rooms. Safe from any thread; meters are looked up once and cached.
 */
public final class ServerMetrics {

  private final PrometheusMeterRegistry registry;
  private final Map<String, Counter> commands = new ConcurrentHashMap<>();
  private final Map<ErrorCode, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, Timer> store = new ConcurrentHashMap<>();
  private final DistributionSummary batchPosts;
  private final Counter fanoutFrames;

  public ServerMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.batchPosts = DistributionSummary.builder("backchannel.batch.posts")
        .description("Posts in one coalesced posts frame").publishPercentileHistogram().register(registry);
    this.fanoutFrames = Counter.builder("backchannel.fanout.frames")
        .description("Frames written to sockets by room broadcasts").register(registry);
  }

  /** A registry of its own, for a server started without one (tests). */
  public static ServerMetrics standalone() {
    return new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** A command answered: {@code outcome} is "ack" or the error code. */
  public void command(String type, String outcome) {
    commands.computeIfAbsent(type + '\n' + outcome, k -> Counter.builder("backchannel.commands")
        .description("Client commands answered").tag("type", type).tag("outcome", outcome).register(registry))
        .increment();
  }

  public void error(ErrorCode code) {
    errors.computeIfAbsent(code, c -> Counter.builder("backchannel.errors")
        .description("Error frames and responses sent").tag("code", c.wire()).register(registry)).increment();
  }

  /** The timer of one store operation. */
  public Timer store(String operation) {
    return store.computeIfAbsent(operation, op -> Timer.builder("backchannel.store")
        .description("Store operation latency").tag("op", op).publishPercentileHistogram().register(registry));
  }

  /** One broadcast: a batch of {@code posts} written as {@code frames} socket frames. */
  public void broadcast(int posts, int frames) {
    batchPosts.record(posts);
    fanoutFrames.increment(frames);
  }

  /** A gauge read at scrape time. */
  public void gauge(String name, String description, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value).description(description).tags(tags).register(registry);
  }
}
