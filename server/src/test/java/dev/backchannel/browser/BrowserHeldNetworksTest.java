package dev.backchannel.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The network rule (DESIGN.md v2) on the staff pages, in real headless Chromium: twenty identities
 * from one network outvote twelve honest raters on two posts; the moderator sees both pairs held
 * live, releases one (its post's score changes on the page) and bans the network after a
 * confirmation; the speaker sees a "held" badge and, by keyboard, why a post is where it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserHeldNetworksTest {

  private static final String SYBILS = "198.51.100.";
  private static final String TROLL = "Buy the premium plan, best product ever!!!";
  private static final String BRIGADED = "Could the results be reproduced on smaller hardware?";

  private Vertx vertx;
  private TestServer server;
  private Browser desk;
  private Browser stage;

  @BeforeAll
  void start() {
    Browser.assumeChromium();
    vertx = Vertx.vertx();
    // Joins come "through a proxy" on 127.0.0.1, so X-Forwarded-For gives each person a network.
    server = TestServer.start(vertx, "--trusted-proxies=127.0.0.1", "--joins-per-minute=100000",
        "--broadcast-interval-ms=50", "--dashboard-interval-ms=50");
    desk = Browser.open(Browser.DESKTOP);
    stage = Browser.open(Browser.DESKTOP);
  }

  @AfterAll
  void stop() {
    Browser.closeAll(vertx, desk, stage, server);
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /**
   * Two posts by one author; twelve people from twelve networks rate the troll post -4..-2 and the
   * brigaded one +3..+5; twenty from one /24 rate them +5 and -5. Both pairs with that network are
   * held back completely (hold 0): the troll post scores -2.57, the brigaded one +3.43.
   */
  private void stuff(String slug) {
    String author = Crowd.joinFrom(server, slug, "203.0.113.1");
    String troll = Crowd.postAs(server, slug, author, TROLL);
    String brigaded = Crowd.postAs(server, slug, author, BRIGADED);
    for (int i = 0; i < 12; i++) {
      Crowd.rateAs(server, slug, Crowd.joinFrom(server, slug, "10." + (i + 1) + ".0.7"),
          Map.of(troll, -4 + i % 3, brigaded, 3 + i % 3));
    }
    for (int i = 0; i < 20; i++) {
      Crowd.rateAs(server, slug, Crowd.joinFrom(server, slug, SYBILS + (i + 1)), Map.of(troll, 5, brigaded, -5));
    }
  }

  private void openOnline(Browser browser, String url) {
    browser.get(url);
    browser.until(d -> "online".equals(browser.find("#conn").getDomAttribute("data-state")) ? true : null);
  }

  /** The held pair card whose post text is exactly {@code text}. */
  private WebElement heldCard(String text) {
    return desk.until(d -> d.findElements(By.cssSelector("#held > li")).stream()
        .filter(li -> text.equals(li.findElement(By.cssSelector(".htext")).getDomProperty("textContent")))
        .findFirst().orElse(null));
  }

  private boolean heldShows(String text) {
    return desk.showsText("#held .htext", text);
  }

  private String fact(WebElement card, String name) {
    return card.findElement(By.cssSelector("dd." + name)).getDomProperty("textContent");
  }

  private WebElement moderatorCard(String text) {
    return desk.until(d -> d.findElements(By.cssSelector("#posts > li")).stream()
        .filter(li -> text.equals(li.findElement(By.cssSelector(".mtext")).getDomProperty("textContent")))
        .findFirst().orElse(null));
  }

  private WebElement dashboardCard(String column, String text) {
    return stage.until(d -> d.findElements(By.cssSelector("#" + column + " > li")).stream()
        .filter(li -> text.equals(li.findElement(By.cssSelector(".dtext")).getDomProperty("textContent")))
        .findFirst().orElse(null));
  }

  @Test
  void theModeratorSeesHeldPairsLiveReleasesOneAndBansTheNetwork() {
    JsonObject room = server.createRoom("#held-panel-page");
    openOnline(desk, base() + room.getJsonObject("links").getString("moderate"));
    assertThat(desk.find("#held-empty").isDisplayed()).isTrue();
    assertThat(desk.find("#held-empty").getText()).startsWith("Nothing is held back");
    desk.assertAccessible("the moderator console with nothing held");

    stuff(room.getString("slug"));

    // Both pairs arrive live, with the figures a moderator decides on.
    WebElement troll = heldCard(TROLL);
    heldCard(BRIGADED);
    assertThat(desk.find("#held-empty").isDisplayed()).isFalse();
    assertThat(desk.find("#held-count").getText()).isEqualTo("2 to look at");
    assertThat(troll.getDomAttribute("data-state")).isEqualTo("held");
    assertThat(troll.findElement(By.cssSelector(".hstate")).getText()).isEqualTo("Held back: does not count");
    assertThat(troll.findElement(By.cssSelector(".hnet")).getText()).matches("Network n[0-9a-f]{10} \\(IPv4\\)");
    assertThat(fact(troll, "raters")).isEqualTo("20");
    assertThat(fact(troll, "mean")).isEqualTo("+5.00, the rest of the room \u22123.00");
    assertThat(fact(troll, "others")).isEqualTo("20 of 20");
    assertThat(fact(troll, "span")).startsWith("within ").endsWith(" of each other");
    assertThat(fact(troll, "score")).isEqualTo("\u22122.57 now, \u22122.57 without this network");
    assertThat(fact(troll, "decision")).isEqualTo("none yet");
    assertThat(Double.parseDouble(fact(troll, "z").split(":")[0])).isGreaterThan(3);
    assertThat(desk.js("return document.body.textContent.includes(arguments[0]);", SYBILS).toString()).isEqualTo("false");
    // The post's own card says that some of its ratings are held back.
    WebElement trollPost = moderatorCard(TROLL);
    assertThat(trollPost.findElement(By.cssSelector(".badge.held")).isDisplayed()).isTrue();
    assertThat(trollPost.findElement(By.cssSelector(".mfigures")).getText()).startsWith("score \u22122.57");
    assertThat(desk.overflowAt(320, 480)).isZero();
    desk.assertAccessible("the moderator console's held ratings");
    desk.colorScheme("dark");
    desk.assertAccessible("the moderator console's held ratings, dark scheme");
    desk.screenshots("moderate-held-dark", "#held-title");
    desk.colorScheme("light");
    desk.screenshots("moderate-held", "#held-title");
    desk.find(".held-help summary").click();
    assertThat(desk.find(".held-help dl").getText()).contains("Ban network");
    desk.assertAccessible("the moderator console's help on the held ratings");
    desk.find(".held-help summary").click();

    // Release: the ratings count in full again, and the post's score on the page follows.
    troll.findElement(By.cssSelector("button[data-decision='release']")).click();
    desk.until(d -> "released".equals(heldCard(TROLL).getDomAttribute("data-state")) ? true : null);
    assertThat(fact(heldCard(TROLL), "decision")).isEqualTo("released");
    assertThat(heldCard(TROLL).findElement(By.cssSelector("button[data-decision='release']")).isEnabled()).isFalse();
    desk.until(d -> moderatorCard(TROLL).findElement(By.cssSelector(".mfigures")).getText().startsWith("score +0.92")
        ? true : null);
    assertThat(desk.find("#held-status").getText()).startsWith("Released: the ratings of network n");

    // Ban network: nothing happens until the dialog is confirmed.
    WebElement ban = heldCard(BRIGADED).findElement(By.cssSelector("button[data-decision='ban']"));
    ban.click();
    WebElement dialog = desk.find("#confirm");
    desk.until(d -> dialog.isDisplayed() ? true : null);
    assertThat(desk.find("#confirm-title").getText()).matches("Ban network n[0-9a-f]{10}\\?");
    assertThat(desk.find("#confirm-text").getText()).contains("20 of them rated");
    desk.assertAccessible("the moderator console's ban-network dialog");
    desk.screenshots("moderate-ban-network-dialog");
    desk.find("#confirm-cancel").click();
    desk.until(d -> !dialog.isDisplayed() ? true : null);
    assertThat(heldShows(BRIGADED)).isTrue();
    heldCard(BRIGADED).findElement(By.cssSelector("button[data-decision='ban']")).click();
    desk.until(d -> dialog.isDisplayed() ? true : null);
    desk.find("#confirm-ok").click();

    desk.until(d -> !heldShows(BRIGADED) ? true : null);
    desk.until(d -> desk.find("#held-status").getText().contains("is banned") ? true : null);
    desk.until(d -> desk.find("#held-empty").isDisplayed() ? true : null);
    assertThat(desk.find("#held-count").getText()).isEmpty();
    // The released pair has no ratings left: the server may drop it or keep it with its decision.
    if (heldShows(TROLL)) {
      assertThat(heldCard(TROLL).getDomAttribute("data-state")).isEqualTo("empty");
      assertThat(heldCard(TROLL).findElement(By.cssSelector(".hnone")).getText())
          .startsWith("None of its ratings of this post are left").endsWith("The decision (released) stays in force for new ones.");
    }
    // Without the network's ratings the brigaded post counts its twelve honest raters only.
    desk.until(d -> moderatorCard(BRIGADED).findElement(By.cssSelector(".mfigures")).getText()
        .contains("12 ratings") ? true : null);
    desk.assertAccessible("the moderator console after banning a network");
    desk.screenshots("moderate-held-after-ban", "#held-title");
  }

  @Test
  void theDashboardMarksHeldPostsAndExplainsWhyByKeyboard() {
    JsonObject room = server.createRoom("#held-why-page");
    stuff(room.getString("slug"));
    openOnline(stage, base() + room.getJsonObject("links").getString("dashboard"));

    WebElement card = dashboardCard("top", BRIGADED);
    WebElement badge = card.findElement(By.cssSelector(".badge.held"));
    stage.until(d -> badge.isDisplayed() ? true : null);
    assertThat(badge.getText()).isEqualTo("Some ratings held back");
    WebElement why = card.findElement(By.cssSelector("button.why"));
    assertThat(why.getText()).isEqualTo("Why here?");
    assertThat(why.getDomAttribute("aria-label")).isEqualTo("Why here? " + BRIGADED);

    // Keyboard only: Tab to the post's "Why here?" button, Enter opens the dialog.
    stage.js("document.activeElement.blur();");
    Actions keys = new Actions(stage.driver());
    for (int i = 0; i < 40 && !Boolean.TRUE.equals(stage.js("return document.activeElement === arguments[0];", why)); i++) {
      keys.sendKeys(Keys.TAB).perform();
    }
    assertThat((Boolean) stage.js("return document.activeElement === arguments[0];", why)).isTrue();
    keys.sendKeys(Keys.ENTER).perform();

    WebElement dialog = stage.find(".why-dialog");
    stage.until(d -> dialog.isDisplayed() && !stage.findAll(".why-headline").isEmpty() ? true : null);
    assertThat(stage.find(".why-post").getText()).isEqualTo(BRIGADED);
    String text = dialog.getText();
    assertThat(text).contains("Score +3.43");
    assertThat(text).contains("32 ratings from 13 networks.");
    assertThat(stage.find(".why-held").getText())
        .startsWith("20 of them come from one network whose ratings are held back until a moderator decides");
    assertThat(text).contains("Together they weigh as much as 12 newcomers' ratings after caps and holds (32 before).");
    assertThat(text).contains("32 ratings, weight 32");
    assertThat(text).contains("Its author had no karma here when posting, so the post started at 0.00, which counts like 2 ratings.");
    assertThat(stage.find(".why-without").getText()).startsWith("Without the held or capped networks it would score +3.43");
    assertThat(stage.find(".why-networks tbody td:last-child").getText()).isEqualTo("held back, capped");
    stage.assertAccessible("the dashboard's why dialog");
    stage.screenshots("dashboard-why");

    keys.sendKeys(Keys.ESCAPE).perform();
    stage.until(d -> !dialog.isDisplayed() ? true : null);
    assertThat((Boolean) stage.js("return document.activeElement === arguments[0];", why)).isTrue();
    stage.assertAccessible("the dashboard with a held post");
    stage.screenshots("dashboard-held");

    // The moderator console explains the same way, from the post's own card.
    openOnline(desk, base() + room.getJsonObject("links").getString("moderate"));
    moderatorCard(TROLL).findElement(By.cssSelector("button.why")).click();
    WebElement onDesk = desk.find(".why-dialog");
    desk.until(d -> onDesk.isDisplayed() && !desk.findAll(".why-headline").isEmpty() ? true : null);
    assertThat(onDesk.getText()).contains("Score \u22122.57").contains("32 ratings from 13 networks.");
    desk.assertAccessible("the moderator console's why dialog");
    desk.screenshots("moderate-why");
    onDesk.findElement(By.cssSelector(".why-head button")).click();
    desk.until(d -> !onDesk.isDisplayed() ? true : null);
  }
}
