package dev.backchannel.browser;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * axe-core, the accessibility engine, run inside a page: every state of a page that a browser test
 * reaches can be checked against WCAG 2.1 A and AA. The script comes from the axe-core webjar on
 * the test classpath, so a check needs no network.
 */
final class Axe {

  /** The rule sets checked: WCAG 2.0 and 2.1, levels A and AA. */
  private static final String TAGS = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";

  private static final String RUN = """
      const done = arguments[arguments.length - 1];
      axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
        .then((result) => done(JSON.stringify(result.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
        })))))
        .catch((error) => done(JSON.stringify({error: String(error)})));
      """.formatted(TAGS);

  private Axe() {}

  /**
   * Runs axe on the page {@code browser} shows now and fails, listing every violation with the
   * elements concerned, when there is any. {@code where} names the page state in the message.
   */
  static void check(Browser browser, String where) {
    // A page load forgets the script: inject it whenever this document has not got it yet.
    if (!Boolean.TRUE.equals(browser.js("return typeof window.axe === 'object';"))) {
      browser.js(Script.SOURCE);
    }
    String answer = (String) browser.driver().executeAsyncScript(RUN);
    if (answer.startsWith("{")) {
      throw new AssertionError("axe could not run on " + where + ": " + new JsonObject(answer).getString("error"));
    }
    JsonArray violations = new JsonArray(answer);
    if (violations.isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder()
        .append(violations.size()).append(" WCAG 2.1 A/AA violation(s) on ").append(where).append(':');
    for (Object o : violations) {
      JsonObject v = (JsonObject) o;
      report.append("\n- ").append(v.getString("id")).append(" (").append(v.getString("impact")).append("): ")
          .append(v.getString("help"));
      for (Object n : v.getJsonArray("nodes")) {
        JsonObject node = (JsonObject) n;
        report.append("\n    at ").append(node.getString("target")).append("  ").append(node.getString("html"))
            .append("\n      ").append(node.getString("summary", "").replace("\n", "\n      "));
      }
    }
    throw new AssertionError(report.toString());
  }

  /** axe.min.js, read once from the webjar (its version from the webjar's own pom.properties). */
  private static final class Script {

    static final String SOURCE = read();

    private static String read() {
      ClassLoader loader = Axe.class.getClassLoader();
      try (InputStream pom = loader.getResourceAsStream("META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
        if (pom == null) {
          throw new IllegalStateException("the axe-core webjar is not on the test classpath (server/pom.xml)");
        }
        Properties properties = new Properties();
        properties.load(pom);
        String path = "META-INF/resources/webjars/axe-core/" + properties.getProperty("version") + "/axe.min.js";
        try (InputStream script = loader.getResourceAsStream(path)) {
          if (script == null) {
            throw new IllegalStateException("no " + path + " in the axe-core webjar");
          }
          return new String(script.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
