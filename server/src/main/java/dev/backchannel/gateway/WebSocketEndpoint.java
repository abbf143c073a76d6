package dev.backchannel.gateway;

import dev.backchannel.model.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /ws}: checks that it is an upgrade, then the Origin (cross-site WebSocket hijacking),
 * then upgrades and hands the socket to a {@link SocketSession}.
 */
final class WebSocketEndpoint {

  private final Gateway gateway;
  private final Context loop;
  private final List<String> allowedOrigins;

  /**
   * {@code loop} is the gateway instance's own event-loop context. Sessions are keyed by it, not by
   * the per-request duplicate Vert.x hands to handlers, so a room view's fan-out posts one task per
   * event loop rather than one per socket.
   */
  WebSocketEndpoint(Gateway gateway, Context loop) {
    this.gateway = gateway;
    this.loop = loop;
    this.allowedOrigins = gateway.config().allowedOrigins().stream()
        .map(o -> o.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "")).toList();
  }

  void mount(Router router) {
    router.get("/ws").handler(this::upgrade);
  }

  private void upgrade(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (!req.canUpgradeToWebSocket()) {
      throw ErrorCode.INVALID.failure("this endpoint takes WebSocket upgrades only");
    }
    String origin = req.getHeader("Origin");
    if (origin != null && !allowed(origin, req.getHeader("Host"))) {
      throw ErrorCode.FORBIDDEN.failure("origin not allowed");
    }
    req.toWebSocket().onSuccess(ws -> new SocketSession(ws, loop, gateway).start());
  }

  /** Listed origins when configured; otherwise only the server's own origin (Origin host equals Host). */
  private boolean allowed(String origin, String host) {
    String normalized = origin.trim().toLowerCase(Locale.ROOT);
    if (!allowedOrigins.isEmpty()) {
      return allowedOrigins.contains(normalized);
    }
    try {
      URI uri = URI.create(normalized);
      if (uri.getHost() == null || host == null) {
        return false;
      }
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return authority.equals(host.trim().toLowerCase(Locale.ROOT))
          || (uri.getPort() < 0 && host.trim().toLowerCase(Locale.ROOT).equals(uri.getHost() + ":" + defaultPort(uri)));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int defaultPort(URI uri) {
    return "https".equals(uri.getScheme()) ? 443 : 80;
  }
}
