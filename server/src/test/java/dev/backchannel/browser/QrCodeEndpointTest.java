package dev.backchannel.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/rooms/{slug}/qr.svg}: an SVG that a QR decoder reads back as the absolute
 * audience URL, cacheable; an unknown room is the usual JSON not_found.
 */
class QrCodeEndpointTest {

  private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
  private static final Pattern RUN = Pattern.compile("<rect x=\"(\\d+)\" y=\"(\\d+)\" width=\"(\\d+)\" height=\"1\"/>");
  private static final int QUIET_ZONE = 4;

  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx);
  }

  @AfterEach
  void stop() {
    server.close();
    TestServer.await(vertx.close());
  }

  /** Reads the modules back from the SVG's runs and decodes them with ZXing's own decoder. */
  private static String decode(String svg) throws Exception {
    Matcher box = VIEW_BOX.matcher(svg);
    assertThat(box.find()).as("viewBox in " + svg).isTrue();
    int size = Integer.parseInt(box.group(1)) - 2 * QUIET_ZONE;
    assertThat(Integer.parseInt(box.group(2)) - 2 * QUIET_ZONE).isEqualTo(size);
    BitMatrix modules = new BitMatrix(size);
    Matcher run = RUN.matcher(svg);
    while (run.find()) {
      int x = Integer.parseInt(run.group(1)) - QUIET_ZONE;
      int y = Integer.parseInt(run.group(2)) - QUIET_ZONE;
      modules.setRegion(x, y, Integer.parseInt(run.group(3)), 1);
    }
    return new Decoder().decode(modules).getText();
  }

  @Test
  void theCodeHoldsTheAbsoluteAudienceUrl() throws Exception {
    server.createRoom("#DevConf-QR");

    TestServer.Response r = server.request(HttpMethod.GET, "/api/rooms/devconf-qr/qr.svg", null, null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("image/svg+xml");
    assertThat(r.body()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>");
    assertThat(decode(r.body())).isEqualTo("http://127.0.0.1:" + server.port() + "/r/devconf-qr");
  }

  @Test
  void theSlugIsCaseInsensitiveAndTheAnswerCacheable() throws Exception {
    server.createRoom("#cached");

    TestServer.Response r = server.request(HttpMethod.GET, "/api/rooms/CACHED/qr.svg", null, null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(decode(r.body())).endsWith("/r/cached");
    HttpResponse<String> again = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/rooms/cached/qr.svg")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.body()).isEqualTo(r.body());
    assertThat(again.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
    // The code embeds the Host the request named, so a shared cache must keep one per Host.
    assertThat(again.headers().firstValue("Vary")).hasValue("Host");
  }

  @Test
  void anUnknownRoomIsNotFoundInTheErrorShape() {
    TestServer.Response r = server.request(HttpMethod.GET, "/api/rooms/nowhere/qr.svg", null, null);

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.errorCode()).isEqualTo("not_found");
    assertThat(r.json().getJsonObject("error").getString("message")).isNotBlank();
  }
}
