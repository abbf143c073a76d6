package dev.backchannel.gateway;

/**
 * The page a browser sees when sign-in is refused: sign-in happens by navigation, so a JSON error
 * would leave a person in front of raw text. No script; the site's own stylesheet, so it looks
 * like the page the person came from.
 */
final class SignInPage {

  /** Nothing to run, nothing but the site's stylesheet to load, no forms, not framed. */
  static final String POLICY =
      "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private SignInPage() {}

  /** The page saying {@code message}, with a link back to the room when {@code slug} is known (else null). */
  static String refused(String message, String slug) {
    String back = slug == null ? "" : "\n<p><a href=\"/r/" + escape(slug) + "\">Back to the room</a></p>";
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign-in failed – Backchannel</title>
        <link rel="stylesheet" href="/assets/css/base.css">
        </head>
        <body>
        <main class="signin-refused">
        <div class="panel">
        <h1>Sign-in failed</h1>
        <p>%s</p>%s
        </div>
        </main>
        </body>
        </html>
        """.formatted(escape(message), back);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
