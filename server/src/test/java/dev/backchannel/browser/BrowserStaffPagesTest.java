package dev.backchannel.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The organizer's and the moderator's pages in real headless Chromium: creating a room gives three
 * absolute links and a QR code; moderating hides, unhides, bans (after a confirmation), closes the
 * room and downloads the export without the key ever entering a URL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserStaffPagesTest {

  private Vertx vertx;
  private TestServer server;
  private Browser desk;
  private Browser adaPhone;
  private Browser bobPhone;

  @BeforeAll
  void start() {
    Browser.assumeChromium();
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--broadcast-interval-ms=50", "--dashboard-interval-ms=50");
    desk = Browser.open(Browser.DESKTOP);
    adaPhone = Browser.open(Browser.PHONE);
    bobPhone = Browser.open(Browser.PHONE);
  }

  @AfterAll
  void stop() {
    Browser.closeAll(vertx, desk, adaPhone, bobPhone, server);
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private String linkValue(WebElement card, String label) {
    return card.findElements(By.cssSelector(".link-row")).stream()
        .filter(row -> row.findElement(By.tagName("h4")).getText().equals(label))
        .findFirst().orElseThrow()
        .findElement(By.cssSelector("a.link-url")).getText();
  }

  @Test
  void theStartPageLeadsToARoom() {
    desk.get(base() + "/");
    desk.find("#room");
    desk.assertAccessible("the start page");
  }

  @Test
  void theOrganizerCreatesARoomAndGetsAbsoluteLinksAndAQrCode() {
    desk.get(base() + "/organize");
    desk.find("#create-form");
    desk.assertAccessible("the organizer page");
    desk.find("#organizer-key").sendKeys("not-the-organizer-key");
    desk.find("#hashtag").sendKeys("#DevConf-Keynote");
    desk.find("#create-form button[type=submit]").click();
    // The error arrives with the server's answer: wait for it rather than read the empty element.
    Boolean refused = desk.until(d -> desk.find("#create-error").getText().contains("does not know this organizer key"));
    assertThat(refused).isTrue();
    desk.assertAccessible("the organizer page with a refused key");

    desk.find("#organizer-key").clear();
    desk.find("#organizer-key").sendKeys(server.organizerKey());
    desk.find("#title").sendKeys("Opening keynote");
    desk.find("#create-form button[type=submit]").click();

    WebElement card = desk.find("#room-list li[data-slug='devconf-keynote']");
    assertThat(card.findElement(By.tagName("h3")).getText()).isEqualTo("Opening keynote");
    assertThat(linkValue(card, "Audience link")).isEqualTo(base() + "/r/devconf-keynote");
    assertThat(linkValue(card, "Speaker link")).startsWith(base() + "/r/devconf-keynote/dashboard#key=");
    assertThat(linkValue(card, "Moderator link")).startsWith(base() + "/r/devconf-keynote/moderate#key=");
    WebElement qr = card.findElement(By.cssSelector(".qr img"));
    desk.until(d -> ((Number) desk.js("return arguments[0].naturalWidth;", qr)).intValue() > 0 ? true : null);
    // The organizer key lives in this tab's sessionStorage only.
    assertThat((String) desk.js("return sessionStorage.getItem('bc:organizer-key');")).contains(server.organizerKey());
    assertThat((String) desk.js("return JSON.stringify(localStorage);")).doesNotContain(server.organizerKey());
    assertThat(desk.overflowAt(683, 450)).isZero();
    assertThat(desk.overflowAt(320, 480)).isZero();
    desk.assertAccessible("the organizer page with a room's links");
    desk.screenshots("organize", "#rooms");

    // The moderator link works as handed out, and the key leaves the address bar.
    desk.get(linkValue(card, "Moderator link"));
    desk.until(d -> "online".equals(desk.find("#conn").getDomAttribute("data-state")) ? true : null);
    assertThat(desk.driver().getCurrentUrl()).isEqualTo(base() + "/r/devconf-keynote/moderate");
    assertThat(desk.find("#room-title").getText()).isEqualTo("Opening keynote");
  }

  @Test
  void theModeratorHidesBansClosesAndExports() throws Exception {
    JsonObject room = server.createRoom("#moderated");
    String slug = room.getString("slug");
    AudiencePage ada = new AudiencePage(adaPhone, base());
    AudiencePage bob = new AudiencePage(bobPhone, base());
    ada.open(slug);
    ada.join("Spammy Ada");
    bob.open(slug);
    bob.join("Bob");
    String spam = "BUY CHEAP WATCHES at <a href=x>watches.example</a>";
    String fine = "Can you say more about the failure modes?";
    ada.post(spam);
    bob.post(fine);
    bob.rate(spam, -5);

    desk.get(base() + room.getJsonObject("links").getString("moderate"));
    desk.until(d -> "online".equals(desk.find("#conn").getDomAttribute("data-state")) ? true : null);
    WebElement spamCard = moderatorCard(spam);
    moderatorCard(fine);

    spamCard.findElement(By.cssSelector("[data-action='toggle-hidden']")).click();
    desk.until(d -> "hidden".equals(moderatorCard(spam).getDomAttribute("data-status")) ? true : null);
    bob.browser().until(d -> !bob.browser().showsText("#posts .text", spam) ? true : null);
    desk.find("input[name=filter][value=hidden]").click();
    desk.until(d -> desk.findAll("#posts > li").size() == 1 ? true : null);
    desk.assertAccessible("the moderator console, hidden posts");
    desk.screenshots("moderate-hidden-filter");
    desk.find("input[name=filter][value=all]").click();

    moderatorCard(spam).findElement(By.cssSelector("[data-action='toggle-hidden']")).click();
    bob.card(spam);

    // Ban: nothing happens until the dialog is confirmed.
    moderatorCard(spam).findElement(By.cssSelector("[data-action='ban']")).click();
    WebElement dialog = desk.find("#confirm");
    desk.until(d -> dialog.isDisplayed() ? true : null);
    assertThat(desk.find("#confirm-title").getText()).isEqualTo("Ban Spammy Ada?");
    desk.assertAccessible("the moderator console's ban dialog");
    desk.screenshots("moderate-ban-dialog");
    desk.find("#confirm-cancel").click();
    assertThat(ada.connectionState()).isEqualTo("online");
    moderatorCard(spam).findElement(By.cssSelector("[data-action='ban']")).click();
    desk.find("#confirm-ok").click();
    ada.waitState("stopped");
    assertThat(adaPhone.find("#notice").getText()).contains("removed you");
    desk.until(d -> moderatorCard(spam).findElement(By.cssSelector(".banned")).isDisplayed() ? true : null);

    // Exports: fetched with the key in a header, saved through a Blob link.
    desk.find("#export-json").click();
    Path json = desk.downloads().resolve(slug + "-export.json");
    desk.until(d -> Files.exists(json) ? true : null);
    JsonObject export = new JsonObject(Files.readString(json));
    assertThat(export.getJsonArray("posts")).hasSize(2);
    assertThat(export.getJsonArray("participants").stream().map(p -> (JsonObject) p)
        .filter(p -> "Spammy Ada".equals(p.getString("nick"))).findFirst().orElseThrow().getBoolean("banned")).isTrue();
    desk.find("#export-csv").click();
    Path csv = desk.downloads().resolve(slug + "-export.csv");
    desk.until(d -> Files.exists(csv) ? true : null);
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows.get(0)).startsWith("id,createdAt");
    assertThat(rows).hasSize(3);

    // Closing: confirmed, then the audience can read but not post.
    desk.find("#close-room").click();
    desk.find("#confirm-ok").click();
    desk.until(d -> desk.find("#room-status").getText().startsWith("closed") ? true : null);
    bob.browser().until(d -> bob.browser().find("#composer-text").getDomProperty("disabled").equals("true") ? true : null);
    assertThat(bobPhone.find("#notice").getText()).contains("closed");
    assertThat(desk.overflowAt(683, 450)).isZero();
    assertThat(desk.overflowAt(320, 480)).isZero();
    desk.assertAccessible("the moderator console of a closed room");
    bobPhone.assertAccessible("the audience page of a closed room");
    desk.screenshots("moderate");
    bobPhone.screenshots("audience-closed");
  }

  private WebElement moderatorCard(String text) {
    return desk.until(d -> d.findElements(By.cssSelector("#posts > li")).stream()
        .filter(li -> text.equals(li.findElement(By.cssSelector(".mtext")).getDomProperty("textContent")))
        .findFirst().orElse(null));
  }
}
