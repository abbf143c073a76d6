package dev.backchannel.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/**
 * The stage screen /r/{slug}/screen#key=... in real headless Chromium at projector sizes: the room's
 * title, the QR code, the join address and the room code; the top three posts, or the highlighted
 * post in large type as soon as the speaker highlights it; the last picture stays while the network
 * or the server is away, and the screen catches up when it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserScreenTest {

  static final Dimension HD = new Dimension(1280, 720);
  static final Dimension FULL_HD = new Dimension(1920, 1080);

  private Vertx vertx;
  private TestServer server;
  private Browser projector;

  @BeforeAll
  void start() {
    Browser.assumeChromium();
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--broadcast-interval-ms=50", "--dashboard-interval-ms=50");
    projector = Browser.open(HD);
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {projector, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    if (vertx != null) {
      TestServer.await(vertx.close());
    }
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Saves the page at 1280x720 and 1920x1080, the two sizes a projector or OBS source is set to. */
  static void projectorShots(Browser browser, String name) {
    try {
      Files.createDirectories(Browser.SCREENSHOTS);
      for (Dimension size : List.of(FULL_HD, HD)) {
        browser.resize(size);
        browser.driver().executeAsyncScript(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
        assertThat(nothingCutOff(browser)).as("everything on screen at " + size).isEmpty();
        Files.write(Browser.SCREENSHOTS.resolve(name + "-" + size.height + "p.png"),
            browser.driver().getScreenshotAs(OutputType.BYTES));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ids / classes of visible screen parts that stick out of the viewport (empty: none). */
  static List<String> nothingCutOff(Browser browser) {
    return browser.js("const out = [];"
        + " for (const e of document.querySelectorAll('#room-title, .screen-figures, #highlight-text, .top-post, #qr, #join-url, #join-code')) {"
        + "   if (!e.offsetParent && getComputedStyle(e).position !== 'fixed') continue;"
        + "   const r = e.getBoundingClientRect();"
        + "   if (r.width && (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)) out.push(e.id || e.className);"
        + " }"
        + " return out;");
  }

  private TestSocket participant(String slug, String nick, String code) {
    TestServer.Response joined = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null,
        new JsonObject().put("nick", nick).put("code", code).encode());
    assertThat(joined.status()).as(joined.body()).isEqualTo(201);
    String token = joined.json().getString("token");
    TestSocket socket = server.socket();
    socket.helloToken(slug, token);
    return socket;
  }

  private static String post(TestSocket socket, String cid, String text) {
    socket.send(new JsonObject().put("type", "post").put("cid", cid).put("text", text));
    return socket.next(f -> "ack".equals(f.getString("type")) && cid.equals(f.getString("cid")), "ack " + cid)
        .getJsonObject("post").getString("id");
  }

  private static void rate(TestSocket socket, String cid, String post, int value) {
    socket.send(new JsonObject().put("type", "rate").put("cid", cid).put("post", post).put("value", value));
    socket.next(f -> "ack".equals(f.getString("type")) && cid.equals(f.getString("cid")), "ack " + cid);
  }

  private static void mark(TestSocket speaker, String cid, String post, String status) {
    speaker.send(new JsonObject().put("type", "mark").put("cid", cid).put("post", post).put("status", status));
    speaker.next(f -> "ack".equals(f.getString("type")) && cid.equals(f.getString("cid")), "ack " + cid);
  }

  private boolean topShows(List<String> texts) {
    List<String> shown = projector.js("return [...document.querySelectorAll('#top .top-text')].map(e => e.textContent);");
    return shown.equals(texts);
  }

  @Test
  void theScreenShowsTheRoomTheTopThreeAndAHighlightedPostLive() {
    TestServer.Response created = server.request(HttpMethod.POST, "/api/rooms", server.organizerKey(),
        new JsonObject().put("hashtag", "#stage").put("title", "Scaling WebSockets to a full hall").put("access", "code").encode());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject room = created.json();
    String code = room.getJsonObject("settings").getString("joinCode");
    String screenLink = room.getJsonObject("links").getString("screen");
    assertThat(screenLink).startsWith("/r/stage/screen#key=");

    TestSocket ada = participant("stage", "Ada", code);
    TestSocket bob = participant("stage", "Bob", code);
    String best = "How do you keep reconnecting phones from stampeding the server after a Wi-Fi outage?";
    String second = "Which store do you run in production?";
    String third = "Does the backoff have jitter?";
    String fourth = "Slides online?";
    String p1 = post(ada, "a1", best);
    String p2 = post(ada, "a2", second);
    String p3 = post(bob, "b1", third);
    String p4 = post(bob, "b2", fourth);
    rate(bob, "r1", p1, 5);
    rate(bob, "r2", p2, 3);
    rate(ada, "r3", p3, 1);
    rate(ada, "r4", p4, -2);

    projector.get(base() + screenLink);
    projector.until(d -> "Scaling WebSockets to a full hall".equals(projector.find("#room-title").getText()) ? true : null);
    // The key leaves the address bar at once.
    assertThat(projector.driver().getCurrentUrl()).isEqualTo(base() + "/r/stage/screen");
    projector.until(d -> ((Number) projector.js("return document.getElementById('qr').naturalWidth;")).intValue() > 0 ? true : null);
    assertThat(projector.find("#join-url").getText()).isEqualTo("127.0.0.1:" + server.port() + "/r/stage");
    projector.until(d -> code.equals(projector.find("#join-code").getText()) ? true : null);
    projector.until(d -> topShows(List.of(best, second, third)) ? true : null);
    assertThat(projector.find("#stage-title").getDomProperty("textContent")).isEqualTo("Top questions");
    assertThat(projector.find("#online").getText()).isEqualTo("2");
    assertThat(projector.find("#highlight").isDisplayed()).isFalse();
    projector.assertAccessible("the stage screen with the top three");
    projectorShots(projector, "screen-top");

    // The speaker highlights a post: it takes the stage, in large type, without a reload.
    TestSocket speaker = server.socket();
    speaker.helloKey("stage", room.getString("speakerKey"));
    mark(speaker, "m1", p3, "highlighted");
    projector.until(d -> third.equals(projector.find("#highlight-text").getText()) ? true : null);
    assertThat(projector.find("#highlight-author").getText()).isEqualTo("— Bob");
    assertThat(projector.find("#stage-title").getDomProperty("textContent")).isEqualTo("Highlighted question");
    assertThat(projector.findAll("#top > li")).isEmpty();
    double large = Double.parseDouble(projector.find("#highlight-text").getCssValue("font-size").replace("px", ""));
    double body = Double.parseDouble(projector.find("body").getCssValue("font-size").replace("px", ""));
    assertThat(large).isGreaterThanOrEqualTo(2 * body);
    projector.assertAccessible("the stage screen with a highlighted post");
    projectorShots(projector, "screen-highlight");

    // For OBS: a transparent background, the text still on its own dark panels.
    projector.get(base() + "/r/stage/screen?transparent=1");
    projector.until(d -> third.equals(projector.find("#highlight-text").getText()) ? true : null);
    assertThat(projector.find("body").getCssValue("background-color")).isEqualTo("rgba(0, 0, 0, 0)");
    projectorShots(projector, "screen-transparent");

    // A network blip: the last picture stays (no blank frame), then the screen catches up.
    ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
    offline.setOffline(true);
    projector.driver().setNetworkConditions(offline);
    projector.until(d -> "offline".equals(projector.find("#conn").getDomAttribute("data-state")) ? true : null);
    mark(speaker, "m2", p3, "visible");
    assertThat(projector.find("#highlight-text").getText()).isEqualTo(third);
    assertThat(projector.find("#room-title").getText()).isEqualTo("Scaling WebSockets to a full hall");
    assertThat(projector.find("#conn").isDisplayed()).isTrue();
    projector.assertAccessible("the stage screen while offline");
    projectorShots(projector, "screen-offline");
    projector.driver().deleteNetworkConditions();
    projector.until(d -> "online".equals(projector.find("#conn").getDomAttribute("data-state")) ? true : null);
    projector.until(d -> topShows(List.of(best, second, third)) ? true : null);
    assertThat(projector.find("#highlight").isDisplayed()).isFalse();

    // A phone opening the link still sees everything, in one column.
    projector.resize(Browser.PHONE);
    assertThat(projector.overflowAt(390, 844)).isZero();
    projector.resize(HD);
    for (TestSocket s : List.of(ada, bob, speaker)) {
      s.close();
    }
  }

  @Test
  void theScreenMayBeFramedAnywhereAndThePagesHaveAnIconAndAManifest() {
    TestServer.Response page = server.request(HttpMethod.GET, "/r/anything/screen", null, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().get("Content-Security-Policy")).contains("frame-ancestors *").contains("script-src 'self'");
    assertThat(page.headers().get("Referrer-Policy")).isEqualTo("no-referrer");
    TestServer.Response icon = server.request(HttpMethod.GET, "/favicon.svg", null, null);
    assertThat(icon.status()).isEqualTo(200);
    assertThat(icon.contentType()).startsWith("image/svg+xml");
    TestServer.Response manifest = server.request(HttpMethod.GET, "/manifest.json", null, null);
    assertThat(manifest.status()).isEqualTo(200);
    assertThat(manifest.json().getString("theme_color")).isEqualTo("#1d5bb8");
    assertThat(server.request(HttpMethod.GET, "/r/anything", null, null).body())
        .contains("<link rel=\"manifest\" href=\"/manifest.json\">").contains("name=\"theme-color\"");
  }

  @Test
  void theScreenKeepsItsPictureWhileTheServerRestarts() throws Exception {
    Path data = Files.createTempDirectory("backchannel-screen-");
    RestartableServer restartable = RestartableServer.start(vertx, "--broadcast-interval-ms=50",
        "--dashboard-interval-ms=50", "--store=embedded", "--data-dir=" + data);
    Browser wall = Browser.open(HD);
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      String base = restartable.base();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      JsonObject room = new JsonObject(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/rooms"))
          .header("Authorization", "Bearer test-organizer-key-0123").header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("hashtag", "#restart-screen")
              .put("title", "After the break").encode())).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      String token = new JsonObject(http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(base + "/api/rooms/restart-screen/participants")).header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"nick\":\"Ada\"}")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body()).getString("token");
      WebSocket ws = TestServer.await(client.connect(restartable.port(), "127.0.0.1", "/ws"));
      ws.writeTextMessage(new JsonObject().put("type", "hello").put("room", "restart-screen").put("token", token).encode());
      ws.writeTextMessage(new JsonObject().put("type", "post").put("cid", "p1").put("text", "Will the slides be shared?").encode());

      wall.get(base + room.getJsonObject("links").getString("screen"));
      wall.until(d -> wall.showsText("#top .top-text", "Will the slides be shared?") ? true : null);

      restartable.stop(); // every socket gets 1001
      wall.until(d -> List.of("reconnecting", "offline").contains(wall.find("#conn").getDomAttribute("data-state")) ? true : null);
      assertThat(wall.showsText("#top .top-text", "Will the slides be shared?")).isTrue();
      assertThat(wall.find("#room-title").getText()).isEqualTo("After the break");
      wall.assertAccessible("the stage screen while the server is away");
      projectorShots(wall, "screen-reconnecting");

      restartable.restart();
      // The page retries with backoff (at most 30 s apart), so a server away for a while is found within that.
      new org.openqa.selenium.support.ui.WebDriverWait(wall.driver(), java.time.Duration.ofSeconds(40), java.time.Duration.ofMillis(100))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(d -> "online".equals(wall.find("#conn").getDomAttribute("data-state")) ? true : null);
      assertThat(wall.showsText("#top .top-text", "Will the slides be shared?")).isTrue();
      assertThat(wall.find("#conn").getCssValue("visibility")).isEqualTo("hidden");
    } finally {
      client.close();
      wall.close();
      restartable.close();
    }
  }
}
