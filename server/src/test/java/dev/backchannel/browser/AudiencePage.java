package dev.backchannel.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** What a person does on the audience page /r/{slug}, in the words of the page. */
final class AudiencePage {

  private final Browser browser;
  private final String base;

  AudiencePage(Browser browser, String base) {
    this.browser = browser;
    this.base = base;
  }

  Browser browser() {
    return browser;
  }

  void open(String slug) {
    browser.get(base + "/r/" + slug);
  }

  /** Joins with a nickname (null: anonymous) and waits until the page is live. */
  void join(String nick) {
    submitJoin(nick);
    waitState("online");
  }

  /**
   * Fills in the nickname (null: none) and presses Join, once the form is shown: it waits for the
   * room's description, which says what the room asks for.
   */
  void submitJoin(String nick) {
    WebElement field = browser.until(d -> visible("#nick"));
    if (nick != null) {
      field.sendKeys(nick);
    }
    browser.find("#join-submit").click();
  }

  /** The element matching {@code css} once it is displayed, else null (for {@link Browser#until}). */
  WebElement visible(String css) {
    return browser.findAll(css).stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
  }

  /** Waits until the join form shows exactly this error. */
  void waitJoinError(String text) {
    browser.until(d -> {
      WebElement error = visible("#join-error");
      return error != null && text.equals(error.getText()) ? true : null;
    });
  }

  /** The id of the focused element. */
  String focused() {
    return browser.js("return document.activeElement && document.activeElement.id;");
  }

  void waitState(String state) {
    browser.until(d -> state.equals(connectionState()) ? true : null);
  }

  String connectionState() {
    return browser.find("#conn").getDomAttribute("data-state");
  }

  String connectionText() {
    return browser.find("#conn .conn-text").getText();
  }

  /** Types a post and sends it; waits until it is in the list (acknowledged). */
  void post(String text) {
    type(text);
    browser.find("#composer-send").click();
    card(text);
  }

  void type(String text) {
    browser.find("#composer-text").sendKeys(text);
  }

  String composerText() {
    return browser.find("#composer-text").getDomProperty("value");
  }

  /** The card in the main list whose text is exactly {@code text} (compared as textContent). */
  WebElement card(String text) {
    return browser.until(d -> d.findElements(By.cssSelector("#posts > li.post")).stream()
        .filter(li -> li.findElements(By.cssSelector(".text")).stream()
            .anyMatch(t -> text.equals(t.getDomProperty("textContent"))))
        .findFirst().orElse(null));
  }

  String postId(String text) {
    return card(text).getDomAttribute("data-key");
  }

  /** Taps a rating and waits until the server acknowledged it (the button pressed, nothing unsent). */
  void rate(String text, int value) {
    card(text).findElement(By.cssSelector(".r[data-value='" + value + "']")).click();
    browser.until(d -> "true".equals(pressed(text, value)) && !card(text).getText().contains("sending") ? true : null);
  }

  String pressed(String text, int value) {
    return card(text).findElement(By.cssSelector(".r[data-value='" + value + "']")).getDomAttribute("aria-pressed");
  }

  /** The rating the page shows as mine for a post, or null. */
  Integer myRating(String text) {
    return card(text).findElements(By.cssSelector(".r[aria-pressed='true']")).stream()
        .map(b -> Integer.valueOf(b.getDomAttribute("data-value"))).findFirst().orElse(null);
  }

  String karma() {
    return browser.find("#karma").getText();
  }

  void tab(String name) {
    browser.find("#tab-" + name).click();
  }
}
