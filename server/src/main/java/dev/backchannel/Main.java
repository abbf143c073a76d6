package dev.backchannel;

import dev.backchannel.config.Config;
import dev.backchannel.config.ConfigLoader;
import dev.backchannel.gateway.Backchannel;
import dev.backchannel.gateway.EventLog;
import dev.backchannel.metrics.ServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Starts the server: configuration in, a running {@link Backchannel} out, and where to find it. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    Config config;
    try {
      config = new ConfigLoader().load(List.of(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("backchannel: " + e.getMessage());
      System.exit(2);
      return;
    }
    // One registry for Vert.x's own meters (HTTP, event loops, JVM) and the server's: /metrics shows both.
    ServerMetrics metrics = new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    Vertx vertx = Vertx.builder()
        // Native epoll where the platform has it: fewer copies and allocations per socket than NIO.
        .with(new VertxOptions().setPreferNativeTransport(true)
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .build();
    Backchannel.start(vertx, config, metrics, EventLog.stdout(config.logFormat()))
        .onSuccess(app -> {
          System.out.println(banner(config, app, vertx.isNativeTransportEnabled()));
          Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, app), "backchannel-shutdown"));
        })
        .onFailure(e -> {
          System.err.println("backchannel: cannot start: " + e.getMessage());
          vertx.close();
          System.exit(1);
        });
  }

  private static String banner(Config config, Backchannel app, boolean nativeTransport) {
    String base = "http://" + ("0.0.0.0".equals(config.host()) ? "localhost" : config.host()) + ":" + app.port();
    String key = app.generatedKey()
        ? app.organizerKey() + "   (generated for this run; set BACKCHANNEL_ORGANIZER_KEY to keep one)"
        : "(from configuration)";
    return String.join("\n",
        "Backchannel is running (" + config.store() + " store, " + (nativeTransport ? "epoll" : "NIO")
            + " transport) on " + base,
        "  Organizer page:  " + base + "/organize",
        "  Organizer key:   " + key,
        "  Audience pages:  " + base + "/r/<room>   (create a room first)",
        "  Create a room:   curl -X POST " + base + "/api/rooms -H 'Authorization: Bearer <organizer key>'"
            + " -H 'Content-Type: application/json' -d '{\"hashtag\":\"#devconf\",\"title\":\"Keynote\"}'");
  }

  /** On SIGTERM/SIGINT: sockets get 1001 so clients resume elsewhere, then Vert.x stops. */
  private static void stop(Vertx vertx, Backchannel app) {
    CountDownLatch done = new CountDownLatch(1);
    app.stop().eventually(vertx::close).onComplete(v -> done.countDown());
    try {
      done.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
