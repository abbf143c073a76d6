package dev.backchannel.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Two people on their phones and a speaker's screen on one room, in real headless Chromium: what
 * the audience posts and rates reaches the dashboard, marks reach the audience, a reload keeps who
 * you are, and markup in a post stays text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserAudienceTest {

  private static final AtomicInteger ROOMS = new AtomicInteger();

  private Vertx vertx;
  private TestServer server;
  private Browser adaBrowser;
  private Browser bobBrowser;
  private Browser stage;
  private AudiencePage ada;
  private AudiencePage bob;

  @BeforeAll
  void start() {
    Browser.assumeChromium();
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--broadcast-interval-ms=50", "--dashboard-interval-ms=50");
    adaBrowser = Browser.open(Browser.PHONE);
    bobBrowser = Browser.open(Browser.PHONE);
    stage = Browser.open(Browser.DESKTOP);
    ada = new AudiencePage(adaBrowser, base());
    bob = new AudiencePage(bobBrowser, base());
  }

  @AfterAll
  void stop() {
    Browser.closeAll(vertx, adaBrowser, bobBrowser, stage, server);
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A fresh room with Ada and Bob in it and the speaker's dashboard open; returns the 201 body. */
  private JsonObject roomWithEveryone() {
    JsonObject room = server.createRoom("#talk-" + ROOMS.incrementAndGet());
    String slug = room.getString("slug");
    stage.get(base() + room.getJsonObject("links").getString("dashboard"));
    stage.until(d -> "online".equals(stage.find("#conn").getDomAttribute("data-state")) ? true : null);
    ada.open(slug);
    ada.join("Ada");
    bob.open(slug);
    bob.join("Bob");
    return room;
  }

  private WebElement dashboardCard(String column, String text) {
    return stage.until(d -> d.findElements(By.cssSelector("#" + column + " > li")).stream()
        .filter(li -> text.equals(li.findElement(By.cssSelector(".dtext")).getDomProperty("textContent")))
        .findFirst().orElse(null));
  }

  private boolean dashboardShows(String column, String text) {
    return stage.showsText("#" + column + " .dtext", text);
  }

  @Test
  void postsAndRatingsFromTheAudienceReachTheDashboard() {
    JsonObject room = roomWithEveryone();
    String slug = room.getString("slug");
    String question = "How does karma decay over a long conference?";

    ada.post(question);
    bob.rate(question, 5);

    // One +5 from a newcomer: score 5/3 (DESIGN.md's example), one rating, karma +1 for Ada.
    WebElement card = dashboardCard("top", question);
    stage.until(d -> "1".equals(card.findElement(By.cssSelector(".count b")).getText()) ? true : null);
    assertThat(card.findElement(By.cssSelector(".score b")).getText()).isEqualTo("+1.67");
    assertThat(card.findElement(By.cssSelector(".split")).getDomAttribute("aria-label")).contains("100% positive");
    ada.browser().until(d -> "+1.00".equals(ada.karma()) ? true : null);
    // Ada cannot rate her own post; Bob sees his rating pressed.
    assertThat(ada.card(question).findElement(By.cssSelector(".rate")).isDisplayed()).isFalse();
    assertThat(bob.myRating(question)).isEqualTo(5);

    // A room that is split on a second post: it shows in the divergent column.
    String split = "Tabs are better than spaces, and I will die on this hill.";
    bob.post(split);
    ada.rate(split, -5);
    Crowd.rate(server, slug, bob.postId(split), 5, 5, -5, 5, -5);
    WebElement divergent = dashboardCard("divergent", split);
    stage.until(d -> "6".equals(divergent.findElement(By.cssSelector(".count b")).getText()) ? true : null);
    Crowd.post(server, slug, "Grace", "Could you show the slide with the benchmark again?");
    Crowd.rate(server, slug, Crowd.post(server, slug, null, "Great talk so far!"), 4, 5, 3, 4);
    stage.until(d -> dashboardShows("top", "Great talk so far!") ? true : null);
    stage.until(d -> !stage.find("#mood-chart .mood-line").getDomAttribute("points").isEmpty() ? true : null);
    assertThat(stage.find("#pulse-online").getText()).isEqualTo("2");

    // 200 % zoom on a laptop, and WCAG's 320 px reflow width: nothing sticks out sideways.
    for (Browser b : List.of(adaBrowser, stage)) {
      assertThat(b.overflowAt(683, 450)).isZero();
      assertThat(b.overflowAt(320, 480)).isZero();
    }

    bob.tab("top");
    ada.tab("divergent");
    ada.card(split);
    ada.browser().assertAccessible("the audience page, divergent tab");
    bob.browser().assertAccessible("the audience page, top tab");
    stage.assertAccessible("the speaker dashboard");
    ada.browser().screenshots("audience-divergent");
    bob.browser().screenshots("audience");
    stage.screenshots("dashboard");
  }

  @Test
  void anAnsweredPostLeavesTheTopColumnAndTheAudienceSeesIt() {
    roomWithEveryone();
    String question = "Will the slides be online?";
    String other = "What about offline phones?";
    ada.post(question);
    bob.post(other);
    dashboardCard("top", question);
    WebElement highlight = dashboardCard("top", other).findElement(By.cssSelector(".mark-highlight"));
    highlight.click();
    bob.browser().until(d -> bob.browser().showsText("#pinned-list .text", other) ? true : null);
    assertThat(bob.browser().find("#pinned").isDisplayed()).isTrue();

    dashboardCard("top", question).findElement(By.cssSelector(".mark-answered")).click();

    stage.until(d -> !dashboardShows("top", question) ? true : null);
    assertThat(dashboardShows("top", other)).isTrue();
    WebElement badge = bob.card(question).findElement(By.cssSelector(".badge"));
    bob.browser().until(d -> "Answered".equals(badge.getText()) ? true : null);
    bob.browser().assertAccessible("the audience page with a highlighted and an answered post");
    bob.browser().screenshots("audience-answered-and-highlighted");
  }

  @Test
  void aReloadKeepsIdentityKarmaAndRatings() {
    JsonObject room = roomWithEveryone();
    String mine = "Is there a recording?";
    String theirs = "Which database did you use?";
    ada.post(mine);
    bob.post(theirs);
    // Bob rates first, as a newcomer (weight 1): Ada's karma becomes 4/5.
    bob.rate(mine, 4);
    ada.rate(theirs, 3);
    ada.browser().until(d -> "+0.80".equals(ada.karma()) ? true : null);
    String token = ada.browser().js("return localStorage.getItem(arguments[0]);", "bc:identity:" + room.getString("slug"));
    // Change of mind: withdraw by tapping the same value, then rate again.
    ada.card(theirs).findElement(By.cssSelector(".r[data-value='3']")).click();
    ada.browser().until(d -> ada.myRating(theirs) == null && !ada.card(theirs).getText().contains("Withdrawing") ? true : null);
    ada.rate(theirs, -2);

    ada.browser().driver().navigate().refresh();
    ada.waitState("online");

    assertThat(ada.browser().find("#join").isDisplayed()).isFalse();
    assertThat(ada.browser().find("#me-nick").getText()).isEqualTo("Ada");
    assertThat((String) ada.browser().js("return localStorage.getItem(arguments[0]);", "bc:identity:" + room.getString("slug")))
        .isEqualTo(token);
    assertThat(ada.karma()).isEqualTo("+0.80");
    assertThat(ada.myRating(theirs)).isEqualTo(-2);
    assertThat(ada.card(mine).getDomAttribute("data-mine")).isEqualTo("true");
  }

  @Test
  void markupInAPostIsShownAsTextEverywhere() {
    JsonObject room = roomWithEveryone();
    String markup = "<img src=x onerror=\"window.__pwned=1\"><b>bold</b> <script>window.__pwned=2</script>"
        + "<a href=\"javascript:window.__pwned=3\">click</a> & &amp; <!-- c -->";
    ada.post(markup);
    WebElement onBob = bob.card(markup);
    WebElement onStage = dashboardCard("top", markup);

    for (Browser b : List.of(adaBrowser, bobBrowser, stage)) {
      assertThat(b.findAll(".text img, .text b, .text script, .text a, .dtext img, .dtext b, .dtext script, .dtext a"))
          .as("no element injected from post text").isEmpty();
      assertThat((Object) b.js("return window.__pwned;")).isNull();
    }
    assertThat(onBob.findElement(By.cssSelector(".text")).getDomProperty("textContent")).isEqualTo(markup);
    assertThat(onStage.findElement(By.cssSelector(".dtext")).getDomProperty("textContent")).isEqualTo(markup);
    // The nickname is user text too.
    String nick = "<i>Eve</i>";
    AudiencePage eve = new AudiencePage(bobBrowser, base());
    bobBrowser.js("localStorage.clear();");
    eve.open(room.getString("slug"));
    bobBrowser.find("#join-form");
    bobBrowser.assertAccessible("the audience page's join form");
    eve.join(nick);
    eve.post("hello from " + nick);
    assertThat(bobBrowser.find("#me-nick").getText()).isEqualTo(nick);
    assertThat(bobBrowser.findAll("#me i, .author i")).isEmpty();
    bobBrowser.screenshots("audience-markup");
  }
}
