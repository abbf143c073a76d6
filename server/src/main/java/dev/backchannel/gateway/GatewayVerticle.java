package dev.backchannel.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * One gateway instance (one per core): the HTTP API, the WebSocket endpoint and the web client's
 * pages on one port. Instances share the port; Vert.x spreads connections across them.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final int CLOSING_TIMEOUT_SECONDS = 3;
  private static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";
  private static final String SAME_ORIGIN_FRAMES = "'self'";
  private static final String ANY_FRAMES = "*";

  private final Gateway gateway;
  private final int port;
  private HttpServer server;

  GatewayVerticle(Gateway gateway, int port) {
    this.gateway = gateway;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    new QrCodes(gateway).mount(router);
    new HttpApi(gateway).mount(router);
    new WebSocketEndpoint(gateway, context).mount(router);
    router.get("/").handler(ctx -> page(ctx, "index.html", SAME_ORIGIN_FRAMES));
    router.get("/organize").handler(ctx -> page(ctx, "organize.html", SAME_ORIGIN_FRAMES));
    router.get("/r/:slug").handler(ctx -> page(ctx, "room.html", SAME_ORIGIN_FRAMES));
    // The speaker's screen may be embedded anywhere (stream overlays, OBS scenes built from frames).
    router.get("/r/:slug/dashboard").handler(ctx -> page(ctx, "dashboard.html", ANY_FRAMES));
    // The stage screen goes on the projector, often as an OBS browser source or a frame in a scene.
    router.get("/r/:slug/screen").handler(ctx -> page(ctx, "screen.html", ANY_FRAMES));
    router.get("/r/:slug/moderate").handler(ctx -> page(ctx, "moderate.html", SAME_ORIGIN_FRAMES));
    router.route().handler(StaticHandler.create("webroot"));
    HttpServerOptions options = new HttpServerOptions()
        .setHost(gateway.config().host())
        .setMaxWebSocketFrameSize(gateway.config().maxFrameBytes())
        .setMaxWebSocketMessageSize(gateway.config().maxFrameBytes())
        // No compression: RSV bits then fail the connection as RFC 6455 says, and no client can make
        // the server inflate a small frame a thousandfold.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // A peer that ignores our close frame must not hold a shutdown for long.
        .setWebSocketClosingTimeout(CLOSING_TIMEOUT_SECONDS)
        // Every write happens on the connection's own loop here, so Vert.x can skip the queue it
        // keeps per connection for writes from other threads: about 4.8 KB less per idle socket.
        .setStrictThreadMode(true);
    if (gateway.config().socketSendBufferBytes() > 0) {
      options.setSendBufferSize(gateway.config().socketSendBufferBytes());
    }
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen(port);
  }

  int actualPort() {
    return server.actualPort();
  }

  /**
   * Pages run only the server's own scripts and styles (no inline script, so injected markup can
   * never run), talk only to their own origin, and are not sniffed as another type.
   */
  private static void page(RoutingContext ctx, String file, String frameAncestors) {
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", PAGE_POLICY + "; frame-ancestors " + frameAncestors)
        .putHeader("Referrer-Policy", "no-referrer")
        .sendFile("webroot/" + file)
        .onFailure(e -> {
          if (!ctx.response().headWritten()) {
            ctx.fail(404); // a page missing from the build: not_found, like any unknown path
          }
        });
  }
}
