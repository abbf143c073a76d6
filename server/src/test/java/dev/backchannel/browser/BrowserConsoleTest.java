package dev.backchannel.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The organizer's console in real headless Chromium: the event's rooms with their figures (paged,
 * refreshed without a reload), every room's links recovered at any time, new keys that make the old
 * speaker link fail and the new one work, close and reopen, and delete after typing the hashtag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserConsoleTest {

  private Vertx vertx;
  private TestServer server;
  private Browser desk;
  private Browser speaker;

  @BeforeAll
  void start() {
    Browser.assumeChromium();
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--broadcast-interval-ms=50", "--dashboard-interval-ms=50");
    desk = Browser.open(Browser.DESKTOP);
    speaker = Browser.open(Browser.DESKTOP);
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {desk, speaker, server}) {
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

  /** Waits longer than {@link Browser#until}: the console refreshes its figures every 10 s. */
  private <T> T slowly(Function<WebDriver, T> condition) {
    return new WebDriverWait(desk.driver(), Duration.ofSeconds(30), Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class).until(condition);
  }

  private WebElement card(String slug) {
    return desk.find("#room-list > li[data-slug='" + slug + "']");
  }

  private String figure(String slug, String name) {
    return card(slug).findElement(By.cssSelector(".fig-" + name)).getText();
  }

  private String linkValue(WebElement card, String label) {
    return card.findElements(By.cssSelector(".link-row")).stream()
        .filter(row -> row.findElement(By.tagName("h4")).getText().equals(label))
        .findFirst().orElseThrow(() -> new AssertionError("no " + label))
        .findElement(By.cssSelector("a.link-url")).getText();
  }

  private String post(TestSocket socket, String cid, String text) {
    socket.send(new JsonObject().put("type", "post").put("cid", cid).put("text", text));
    return socket.next(f -> "ack".equals(f.getString("type")) && cid.equals(f.getString("cid")), "ack " + cid)
        .getJsonObject("post").getString("id");
  }

  @Test
  void theConsoleListsRecoversRotatesClosesReopensAndDeletes() {
    for (int i = 1; i <= 21; i++) {
      server.createRoom(String.format("#side-%02d", i));
    }
    TestServer.Response created = server.request(HttpMethod.POST, "/api/rooms", server.organizerKey(),
        new JsonObject().put("hashtag", "#main-hall").put("title", "Main hall keynote").encode());
    assertThat(created.status()).isEqualTo(201);
    String ada = server.join("main-hall", "Ada").getString("token");
    String bob = server.join("main-hall", "Bob").getString("token");
    TestSocket adaSocket = server.socket();
    adaSocket.helloToken("main-hall", ada);
    TestSocket bobSocket = server.socket();
    bobSocket.helloToken("main-hall", bob);
    String first = post(adaSocket, "a1", "First question");
    bobSocket.send(new JsonObject().put("type", "rate").put("cid", "r1").put("post", first).put("value", 4));
    bobSocket.next("ack");

    desk.get(base() + "/organize");
    desk.find("#organizer-key").sendKeys(server.organizerKey());
    desk.find("#key-submit").click();
    card("main-hall");
    assertThat(desk.findAll("#room-list > li")).hasSize(20);
    assertThat(desk.findAll("#room-list > li").get(0).getDomAttribute("data-slug")).isEqualTo("main-hall");
    assertThat(card("main-hall").findElement(By.tagName("h3")).getText()).isEqualTo("Main hall keynote");
    desk.until(d -> "2".equals(figure("main-hall", "online")) ? true : null);
    assertThat(figure("main-hall", "posts")).isEqualTo("1");
    assertThat(figure("main-hall", "ratings")).isEqualTo("1");
    assertThat(figure("main-hall", "status")).isEqualTo("open");
    assertThat(desk.find("#more-rooms").isDisplayed()).isTrue();
    // The Redis store is shared by the test classes, so the event may hold other classes' rooms too (older).
    for (int page = 1; desk.findAll("#room-list > li[data-slug='side-01']").isEmpty(); page++) {
      assertThat(page).as("pages needed to reach the oldest room of this test").isLessThan(20);
      int before = desk.findAll("#room-list > li").size();
      desk.find("#more-rooms").click();
      desk.until(d -> desk.findAll("#room-list > li").size() > before ? true : null);
    }
    java.util.List<String> slugs = desk.findAll("#room-list > li").stream().map(li -> li.getDomAttribute("data-slug")).toList();
    assertThat(slugs).doesNotHaveDuplicates();
    assertThat(slugs.indexOf("side-01")).isEqualTo(21);
    desk.assertAccessible("the console's list of rooms");

    // The figures follow the room without a reload.
    post(bobSocket, "b1", "Second question");
    slowly(d -> "2".equals(figure("main-hall", "posts")) ? true : null);

    // Links, recovered at any time: the same keys the server keeps.
    JsonObject kept = server.request(HttpMethod.GET, "/api/rooms/main-hall/links", server.organizerKey(), null).json();
    card("main-hall").findElement(By.cssSelector(".act-links")).click();
    desk.until(d -> !card("main-hall").findElements(By.cssSelector(".link-row")).isEmpty() ? true : null);
    String oldDashboard = linkValue(card("main-hall"), "Speaker link");
    assertThat(oldDashboard).isEqualTo(base() + "/r/main-hall/dashboard#key=" + kept.getString("speakerKey"));
    assertThat(linkValue(card("main-hall"), "Audience link")).isEqualTo(base() + "/r/main-hall");
    assertThat(linkValue(card("main-hall"), "Moderator link")).isEqualTo(base() + "/r/main-hall/moderate#key=" + kept.getString("moderatorKey"));
    assertThat(linkValue(card("main-hall"), "Stage screen link")).isEqualTo(base() + "/r/main-hall/screen#key=" + kept.getString("speakerKey"));
    WebElement qr = card("main-hall").findElement(By.cssSelector(".qr img"));
    desk.until(d -> ((Number) desk.js("return arguments[0].naturalWidth;", qr)).intValue() > 0 ? true : null);
    assertThat(desk.overflowAt(683, 450)).isZero();
    assertThat(desk.overflowAt(390, 844)).isZero();
    assertThat(desk.overflowAt(320, 480)).isZero();
    desk.assertAccessible("the console with a room's links");
    desk.screenshots("console-links", "#room-list > li[data-slug='main-hall']");

    // New keys: asked first (cancel changes nothing), then the old speaker link fails, the new one works.
    card("main-hall").findElement(By.cssSelector(".act-keys")).click();
    desk.until(d -> desk.find("#confirm").isDisplayed() ? true : null);
    assertThat(desk.find("#confirm-title").getText()).isEqualTo("New staff links for Main hall keynote?");
    desk.assertAccessible("the console's new keys dialog");
    desk.screenshots("console-new-keys-dialog");
    desk.find("#confirm-cancel").click();
    assertThat(linkValue(card("main-hall"), "Speaker link")).isEqualTo(oldDashboard);
    card("main-hall").findElement(By.cssSelector(".act-keys")).click();
    desk.until(d -> desk.find("#confirm").isDisplayed() ? true : null);
    desk.find("#confirm-ok").click();
    String newDashboard = desk.until(d -> {
      String shown = linkValue(card("main-hall"), "Speaker link");
      return shown.equals(oldDashboard) ? null : shown;
    });
    assertThat(card("main-hall").findElement(By.cssSelector(".room-status")).getText()).startsWith("New links made.");
    speaker.get(oldDashboard);
    speaker.until(d -> speaker.find("#notice").getText().contains("not valid") ? true : null);
    speaker.get("about:blank"); // the same page with another fragment would not load again
    speaker.get(newDashboard);
    speaker.until(d -> "online".equals(speaker.find("#conn").getDomAttribute("data-state")) ? true : null);

    // Close (with the moderator key the console fetched) and reopen.
    card("main-hall").findElement(By.cssSelector(".act-close")).click();
    desk.until(d -> desk.find("#confirm").isDisplayed() ? true : null);
    desk.find("#confirm-ok").click();
    desk.until(d -> "closed".equals(figure("main-hall", "status")) ? true : null);
    assertThat(server.request(HttpMethod.GET, "/api/rooms/main-hall", null, null).json().getString("status")).isEqualTo("closed");
    assertThat(card("main-hall").findElement(By.cssSelector(".act-close")).getText()).isEqualTo("Reopen room");
    desk.assertAccessible("the console with a closed room");
    card("main-hall").findElement(By.cssSelector(".act-close")).click();
    desk.until(d -> "open".equals(figure("main-hall", "status")) ? true : null);
    assertThat(server.request(HttpMethod.GET, "/api/rooms/main-hall", null, null).json().getString("status")).isEqualTo("open");

    // Delete: only once the hashtag is typed; then the room is gone from the list and the server.
    card("main-hall").findElement(By.cssSelector(".act-delete")).click();
    desk.until(d -> desk.find("#confirm").isDisplayed() ? true : null);
    assertThat(desk.find("#confirm-ok").isEnabled()).isFalse();
    desk.find("#confirm-input").sendKeys("#main");
    assertThat(desk.find("#confirm-ok").isEnabled()).isFalse();
    desk.assertAccessible("the console's delete dialog");
    desk.screenshots("console-delete-dialog");
    desk.find("#confirm-input").sendKeys("-hall");
    assertThat(desk.find("#confirm-ok").isEnabled()).isTrue();
    desk.find("#confirm-ok").click();
    desk.until(d -> desk.findAll("#room-list > li[data-slug='main-hall']").isEmpty() ? true : null);
    assertThat(desk.find("#rooms-status").getText()).isEqualTo("Deleted #main-hall.");
    assertThat(server.request(HttpMethod.GET, "/api/rooms/main-hall", null, null).status()).isEqualTo(404);
    speaker.until(d -> speaker.find("#notice").getText().contains("does not exist") ? true : null);
    assertThat(desk.findAll("#room-list > li")).hasSize(slugs.size() - 1);
    desk.assertAccessible("the console after a deletion");
    desk.screenshots("console-list", "#rooms");
    adaSocket.close();
    bobSocket.close();
  }
}
