package dev.backchannel.gateway;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/rooms/{slug}/qr.svg} (public): the room's absolute audience URL as a QR code in
 * SVG, for the organizer's page and for slides. ZXing does the encoding; this class only draws the
 * module matrix, one {@code rect} per horizontal run of dark modules.
 */
final class QrCodes {

  /** Medium error correction survives a smudged projector or a phone held at an angle. */
  private static final Map<EncodeHintType, Object> HINTS = Map.of(
      EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
      EncodeHintType.MARGIN, 4,
      EncodeHintType.CHARACTER_SET, "UTF-8");
  /** A room's code never changes for one origin; a day of caching spares the encoder on reloads. */
  private static final String CACHE = "public, max-age=86400";

  private final Gateway gateway;

  QrCodes(Gateway gateway) {
    this.gateway = gateway;
  }

  /** Must be mounted before {@link HttpApi}, whose {@code /api/*} catch-all answers not_found. */
  void mount(Router router) {
    router.get("/api/rooms/:slug/qr.svg").handler(this::qr);
  }

  private void qr(RoutingContext ctx) {
    String slug = ctx.pathParam("slug").toLowerCase(Locale.ROOT);
    gateway.store().room(slug)
        .onSuccess(room -> ctx.response().setStatusCode(200)
            .putHeader("Content-Type", "image/svg+xml; charset=utf-8")
            .putHeader("Cache-Control", CACHE)
            // The code holds the origin the request came to, so caches must keep one per Host.
            .putHeader("Vary", "Host")
            .putHeader("X-Content-Type-Options", "nosniff")
            .end(svg(origin(ctx.request()) + "/r/" + room.slug())))
        .onFailure(e -> {
          Failure f = e instanceof Failure failure ? failure : ErrorCode.UNAVAILABLE.failure("the store did not answer");
          ctx.response().setStatusCode(f.code().httpStatus())
              .putHeader("Content-Type", "application/json")
              .putHeader("Cache-Control", "no-store")
              .end(gateway.codec().errorBody(f));
        });
  }

  /**
   * The origin as the client addressed it. Through a proxy this is the proxy's view only when the
   * router is told to trust forwarded headers (vertx-web {@code Router.allowForward}).
   */
  static String origin(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    String scheme = request.scheme() == null ? "http" : request.scheme();
    if (authority == null) {
      return scheme + "://localhost";
    }
    int port = authority.port();
    boolean defaultPort = port < 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
    return scheme + "://" + authority.host() + (defaultPort ? "" : ":" + port);
  }

  /** Draws the QR code of {@code text} as SVG, one unit per module, quiet zone included. */
  static String svg(String text) {
    BitMatrix matrix;
    try {
      // Width and height 0: one pixel per module, so the matrix is the code itself.
      matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, HINTS);
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot encode " + text, e);
    }
    int width = matrix.getWidth();
    int height = matrix.getHeight();
    StringBuilder out = new StringBuilder(64 * height)
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" width=\"").append(width * 8).append("\" height=\"").append(height * 8)
        .append("\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><g fill=\"#000\">");
    for (int y = 0; y < height; y++) {
      int x = 0;
      while (x < width) {
        if (!matrix.get(x, y)) {
          x++;
          continue;
        }
        int start = x;
        while (x < width && matrix.get(x, y)) {
          x++;
        }
        out.append("<rect x=\"").append(start).append("\" y=\"").append(y)
            .append("\" width=\"").append(x - start).append("\" height=\"1\"/>");
      }
    }
    return out.append("</g></svg>").toString();
  }
}
