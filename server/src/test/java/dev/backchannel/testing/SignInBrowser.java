package dev.backchannel.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * What a browser does during sign-in, step by step: follows redirects only when asked, and keeps
 * the sign-in cookie as a browser would (sent to the server's {@code /api/signin} paths only,
 * dropped when the server expires it), so a test can look at, alter or drop every step.
 */
public final class SignInBrowser {

  public static final String COOKIE = "backchannel_signin";

  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(TestServer.TIMEOUT)
      .build();
  private final String server;
  private final String accept;
  private volatile String cookie;

  /** A client that asks for JSON (as scripts do). */
  public SignInBrowser(TestServer server) {
    this(server, "application/json");
  }

  /** A client with the given Accept header (browsers navigating send text/html). */
  public SignInBrowser(TestServer server, String accept) {
    this.server = "http://127.0.0.1:" + server.port();
    this.accept = accept;
  }

  /** One answer: status, Location (null when none), body and headers. */
  public record Step(int status, String location, String body, HttpHeaders headers) {
    public List<String> setCookies() {
      return headers.allValues("Set-Cookie");
    }
  }

  /** {@code GET /api/rooms/{slug}/signin}, with {@code query} appended when not empty. */
  public Step start(String slug, String query) {
    return get("/api/rooms/" + slug + "/signin" + (query.isEmpty() ? "" : "?" + query));
  }

  /** Start, the provider, then the callback, each step a redirect; stops at the first answer that is not one. */
  public Step signIn(String slug) {
    return signIn(slug, "");
  }

  public Step signIn(String slug, String query) {
    Step start = start(slug, query);
    if (start.status() != 302) {
      return start;
    }
    Step provider = follow(start);
    return provider.status() != 302 ? provider : follow(provider);
  }

  /** Follows a redirect to where its Location points. */
  public Step follow(Step redirect) {
    return get(redirect.location());
  }

  /** The sign-in cookie's value, or null when the browser has none. */
  public String cookie() {
    return cookie;
  }

  /** Replaces the sign-in cookie (null: none), as a second browser or an attacker would have it. */
  public SignInBrowser cookie(String value) {
    cookie = value;
    return this;
  }

  /** GETs an absolute URL or a path of the server. */
  public Step get(String target) {
    URI uri = URI.create(target.startsWith("/") ? server + target : target);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TestServer.TIMEOUT).header("Accept", accept);
    boolean ours = target.startsWith("/") || target.startsWith(server + "/");
    if (ours && uri.getPath().startsWith("/api/signin") && cookie != null) {
      request.header("Cookie", COOKIE + "=" + cookie);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (ours) {
        keep(response.headers().allValues("Set-Cookie"));
      }
      return new Step(response.statusCode(), response.headers().firstValue("Location").orElse(null),
          response.body(), response.headers());
    } catch (IOException e) {
      throw new AssertionError("GET " + target + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void keep(List<String> setCookies) {
    for (String header : setCookies) {
      String first = header.split(";", 2)[0];
      if (!first.startsWith(COOKIE + "=")) {
        continue;
      }
      String value = first.substring(COOKIE.length() + 1);
      boolean expired = header.toLowerCase().contains("max-age=0") || value.isEmpty();
      cookie = expired ? null : value;
    }
  }
}
