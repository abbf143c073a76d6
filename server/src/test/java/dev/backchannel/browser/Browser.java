package dev.backchannel.browser;

import dev.backchannel.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium, driven through Debian's chromedriver, with a profile of its own (so
 * each browser is a different person: its own localStorage). Selenium Manager is never asked for
 * anything: both binaries are given explicitly.
 */
public final class Browser implements AutoCloseable {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Dimension PHONE = new Dimension(390, 844);
  public static final Dimension DESKTOP = new Dimension(1366, 900);
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /**
   * Selenium warns on every start that it ships no CDP bindings for this Chromium's version; the
   * tests use WebDriver only (and the network conditions chromedriver itself implements).
   */
  private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

  static {
    SELENIUM_LOG.setLevel(Level.SEVERE);
  }

  private final ChromeDriver driver;
  private final Path profile;
  private final Path downloads;

  private Browser(ChromeDriver driver, Path profile, Path downloads) {
    this.driver = driver;
    this.profile = profile;
    this.downloads = downloads;
  }

  /**
   * Skips the calling test when there is no Chromium on this machine. scripts/test installs it, so
   * this only happens on a developer machine without it; chromedriver missing next to it fails.
   */
  public static void assumeChromium() {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "browser tests skipped: /usr/bin/chromium is absent (apt-get install chromium chromium-driver, as scripts/test does)");
  }

  /** Starts a browser with a fresh profile and the given window size. */
  /**
   * Closes browsers, servers and providers of a test class, each even when another fails to, and
   * then the Vert.x instance they ran on (null ones are skipped).
   */
  public static void closeAll(io.vertx.core.Vertx vertx, AutoCloseable... all) {
    for (AutoCloseable c : all) {
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

  public static Browser open(Dimension size) {
    assumeChromium();
    // Belt and braces: with the driver named here too, no code path falls back to Selenium Manager.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    try {
      Path profile = Files.createTempDirectory("backchannel-chromium-");
      Path downloads = Files.createDirectories(profile.resolve("downloads"));
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--no-default-browser-check", "--disable-extensions", "--lang=en-US", "--hide-scrollbars",
          "--window-size=" + size.width + "," + size.height, "--user-data-dir=" + profile.resolve("profile"));
      options.setExperimentalOption("prefs", Map.of(
          "download.default_directory", downloads.toString(),
          "download.prompt_for_download", false));
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile())
          .usingAnyFreePort()
          .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(TestServer.TIMEOUT);
      Browser browser = new Browser(driver, profile, downloads);
      browser.resize(size);
      return browser;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  public Path downloads() {
    return downloads;
  }

  public void get(String url) {
    driver.get(url);
  }

  /** Waits (bounded by TestServer.TIMEOUT) until the condition holds and returns its value. */
  public <T> T until(Function<WebDriver, T> condition) {
    // Live pages replace what they show: an element read a moment ago may be gone; look again.
    return new WebDriverWait(driver, TestServer.TIMEOUT, Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  public WebElement find(String css) {
    return until(d -> d.findElement(By.cssSelector(css)));
  }

  public List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Whether an element matching {@code css} has exactly this textContent, read in one step. */
  public boolean showsText(String css, String text) {
    Boolean shown = js("return [...document.querySelectorAll(arguments[0])].some(e => e.textContent === arguments[1]);",
        css, text);
    return Boolean.TRUE.equals(shown);
  }

  /**
   * Fails, listing every violation, when axe-core finds the page as it is now (open dialogs and
   * panels included) short of WCAG 2.1 A/AA; {@code where} names that state in the message.
   */
  public void assertAccessible(String where) {
    Axe.check(this, where);
  }

  /**
   * Makes the page see {@code prefers-color-scheme: light} or {@code dark}, as the reader's system
   * setting would (through chromedriver's own CDP endpoint, which needs no version-bound bindings).
   */
  public void colorScheme(String scheme) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  @SuppressWarnings("unchecked")
  public <T> T js(String script, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Sets the viewport to {@code size}. Headless Chromium still counts some window decoration, so the
   * window is grown by whatever the viewport lacks, then checked. On a busy machine the viewport can
   * lag behind the window: it is read only after two frames, and corrected again until it fits.
   */
  public void resize(Dimension size) {
    driver.manage().window().setSize(size);
    until(d -> {
      List<Long> inner = settledViewport();
      int dw = size.width - inner.get(0).intValue();
      int dh = size.height - inner.get(1).intValue();
      if (dw == 0 && dh == 0) {
        return true;
      }
      Dimension outer = driver.manage().window().getSize();
      driver.manage().window().setSize(new Dimension(outer.width + dw, outer.height + dh));
      return null;
    });
  }

  /** The viewport's size once two frames have passed (a resize has then reached layout). */
  @SuppressWarnings("unchecked")
  private List<Long> settledViewport() {
    return (List<Long>) driver.executeAsyncScript("const done = arguments[0];"
        + " requestAnimationFrame(() => requestAnimationFrame(() => done([window.innerWidth, window.innerHeight])));");
  }

  /**
   * How many CSS pixels the page sticks out sideways at this viewport width (0: it reflows). A
   * 1366 px screen at 200 % zoom lays out like a 683 px one; WCAG's reflow check is 320 px.
   */
  public long overflowAt(int width, int height) {
    List<Long> viewport = js("return [window.innerWidth, window.innerHeight];");
    resize(new Dimension(width, height));
    Long overflow = js("return document.documentElement.scrollWidth - window.innerWidth;");
    resize(new Dimension(viewport.get(0).intValue(), viewport.get(1).intValue()));
    return overflow;
  }

  /**
   * Saves what a person would see, as {@code <name>-phone.png} (390x844) and
   * {@code <name>-desktop.png} (1366x900) under target/screenshots, then restores the size.
   */
  public void screenshots(String name) {
    screenshots(name, null);
  }

  /** As {@link #screenshots(String)}, with the element matching {@code css} scrolled into view. */
  public void screenshots(String name, String css) {
    List<Long> viewport = js("return [window.innerWidth, window.innerHeight];");
    Dimension before = new Dimension(viewport.get(0).intValue(), viewport.get(1).intValue());
    try {
      Files.createDirectories(SCREENSHOTS);
      for (Map.Entry<String, Dimension> shot : List.of(Map.entry("phone", PHONE), Map.entry("desktop", DESKTOP))) {
        resize(shot.getValue());
        if (css != null) {
          js("document.querySelector(arguments[0]).scrollIntoView({block: 'start'});", css);
        }
        // Two frames: layout and paint of the new size, before the capture.
        driver.executeAsyncScript("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
        Files.write(SCREENSHOTS.resolve(name + "-" + shot.getKey() + ".png"), driver.getScreenshotAs(OutputType.BYTES));
      }
      resize(before);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // A leftover temp directory is harmless.
      }
    }
  }
}
