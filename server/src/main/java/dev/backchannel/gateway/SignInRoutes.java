package dev.backchannel.gateway;

import dev.backchannel.config.OidcProvider;
import dev.backchannel.model.Access;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.store.JoinRequest;
import dev.backchannel.wire.Text;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Sign-in with OpenID Connect for rooms with {@code access: signin} (PROTOCOL.md "v2: who may
 * join"): {@code GET /api/rooms/{slug}/signin} sends the browser to the provider (authorization
 * code with PKCE, state and nonce), and {@code GET /api/signin/callback} takes it back, admits the
 * person as the room's one participant for their (issuer, subject) and sends the browser to the
 * room's page with a participant token in the fragment, which never reaches a server or a log.
 */
final class SignInRoutes {

  private static final String CALLBACK = "/api/signin/callback";
  /** Holds the browser id of the sign-in under way; sent only to the callback. */
  private static final String COOKIE = "backchannel_signin";
  private static final String COOKIE_PATH = "/api/signin";
  private static final Pattern SLUG = Pattern.compile("[a-z0-9_-]{2,64}");
  /** Provider error codes are ASCII words (RFC 6749 4.1.2.1); anything else is not echoed back. */
  private static final Pattern PROVIDER_ERROR = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final int MAX_NICK = 32;

  private final Gateway gateway;
  private final Replies replies;

  SignInRoutes(Gateway gateway) {
    this.gateway = gateway;
    this.replies = new Replies(gateway);
  }

  void mount(Router router) {
    router.get("/api/rooms/:slug/signin").handler(this::start);
    router.get(CALLBACK).handler(this::callback);
  }

  private void start(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    String asked = ctx.queryParams().get("nick");
    String nick = asked == null ? null : Text.nick(asked);
    if (nick != null && (nick.isEmpty() || Text.length(nick) > MAX_NICK)) {
      refuse(ctx, null, ErrorCode.INVALID.failure("nick must be 1-" + MAX_NICK + " characters"));
      return;
    }
    String origin = origin(ctx);
    if (origin == null) {
      refuse(ctx, null, ErrorCode.INVALID.failure("the request has no Host header"));
      return;
    }
    gateway.store().room(slug)
        .compose(room -> {
          if (room.settings().access() != Access.SIGNIN) {
            return Future.failedFuture(ErrorCode.FORBIDDEN.failure("this room does not use sign-in"));
          }
          OidcProvider provider = gateway.signIn().named(room.settings().provider()).orElse(null);
          if (provider == null) {
            return Future.failedFuture(ErrorCode.UNAVAILABLE.failure("no sign-in provider is configured for this room"));
          }
          SignInState state = SignInState.start(slug, provider.name(), nick, Instant.now());
          return gateway.signIn().authorizeUrl(provider, state, state.seal(gateway.sealer()), origin + CALLBACK)
              .map(url -> {
                ctx.response().addCookie(cookie(state.browser(), origin)
                    .setMaxAge(SignInState.LIFETIME.toSeconds()));
                return url;
              });
        })
        .onSuccess(url -> ctx.response().setStatusCode(302)
            .putHeader("Location", url)
            .putHeader("Cache-Control", "no-store")
            .end())
        .onFailure(e -> refuse(ctx, e instanceof Failure f && f.code() == ErrorCode.NOT_FOUND ? null : slug, e));
  }

  private void callback(RoutingContext ctx) {
    // The URL holds the code and state: no page of ours may pass it on in a Referer, nor be cached.
    ctx.response().putHeader("Referrer-Policy", "no-referrer").putHeader("Cache-Control", "no-store");
    String origin = origin(ctx);
    if (origin == null) {
      refuse(ctx, null, ErrorCode.INVALID.failure("the request has no Host header"));
      return;
    }
    Cookie browser = ctx.request().getCookie(COOKIE);
    if (browser != null) {
      // One sign-in, one callback: the cookie is spent whatever happens next.
      ctx.response().addCookie(cookie("", origin).setMaxAge(0));
    }
    String sealed = ctx.queryParams().get("state");
    SignInState state = sealed == null ? null
        : SignInState.open(gateway.sealer(), sealed, Instant.now()).filter(s -> SLUG.matcher(s.slug()).matches())
            .orElse(null);
    if (state == null) {
      refuse(ctx, null, SignInRefusal.forbidden("state",
          "This sign-in link is not valid or has expired. Please start again from the room."));
      return;
    }
    if (browser == null || !MessageDigest.isEqual(browser.getValue().getBytes(StandardCharsets.UTF_8),
        state.browser().getBytes(StandardCharsets.UTF_8))) {
      refuse(ctx, state.slug(), SignInRefusal.forbidden(browser == null ? "cookie_missing" : "cookie_mismatch",
          "This sign-in was not started in this browser, or the browser blocked its cookie. "
              + "Please start again from the room."));
      return;
    }
    String error = ctx.queryParams().get("error");
    String code = ctx.queryParams().get("code");
    if (error != null || code == null || code.isEmpty()) {
      String shown = error != null && PROVIDER_ERROR.matcher(error).matches() ? " (" + error + ")" : "";
      refuse(ctx, state.slug(), SignInRefusal.forbidden("provider_error",
          "The sign-in provider did not sign you in" + shown + ". You can try again from the room."));
      return;
    }
    OidcProvider provider = gateway.signIn().named(state.provider()).orElse(null);
    if (provider == null) {
      refuse(ctx, state.slug(), SignInRefusal.unavailable("provider_gone",
          "This room's sign-in provider is no longer configured."));
      return;
    }
    String address = ClientAddress.of(ctx, gateway.config());
    if (!gateway.joins().allow(address)) {
      refuse(ctx, state.slug(), ErrorCode.RATE_LIMITED.failure("too many joins from this address; try again in a minute"));
      return;
    }
    String network = ClientAddress.network(address, gateway.config());
    String slug = state.slug();
    gateway.signIn().idToken(provider, code, state.verifier(), origin + CALLBACK)
        .map(claims -> IdToken.verified(claims, provider, state.nonce(), Instant.now()))
        .compose(token -> gateway.store().join(slug,
            JoinRequest.signedIn(state.nick() != null ? state.nick() : token.nick(), network, token.signin())))
        .onSuccess(admission -> {
          gateway.log().event("participant.signed_in", "room", slug, "created", Boolean.toString(admission.created()));
          ctx.response().setStatusCode(302)
              .putHeader("Location", "/r/" + slug + "#token=" + gateway.tokens().issue(slug, admission.participant().id()))
              .end();
        })
        .onFailure(e -> refuse(ctx, slug, e));
  }

  /**
   * Where browsers reach this server: the configured public URL, else the request's scheme and Host
   * (a forged Host only misdirects its own sender: the provider accepts registered redirect URIs only).
   */
  private String origin(RoutingContext ctx) {
    if (gateway.config().publicUrl() != null) {
      return gateway.config().publicUrl();
    }
    HostAndPort authority = ctx.request().authority();
    if (authority == null) {
      return null;
    }
    return ctx.request().scheme() + "://" + authority.host() + (authority.port() > 0 ? ":" + authority.port() : "");
  }

  /**
   * The sign-in cookie: unreadable by scripts, sent back on the provider's top-level redirect
   * (Lax) but not on cross-site subrequests, only to the callback, and only over TLS when the
   * server is reached over TLS.
   */
  private static Cookie cookie(String value, String origin) {
    return Cookie.cookie(COOKIE, value)
        .setPath(COOKIE_PATH)
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX)
        .setSecure(origin.startsWith("https://"));
  }

  /**
   * Answers a refusal: a short page for browsers (sign-in happens by navigation) with a link back to
   * the room when {@code slug} is known, the JSON error shape for everyone else. Every refusal of a
   * callback, and an unreachable provider, is logged with a short reason, never with the state,
   * code or token.
   */
  private void refuse(RoutingContext ctx, String slug, Throwable e) {
    Failure failure = e instanceof SignInRefusal refusal ? refusal.failure()
        : e instanceof Failure f ? f : ErrorCode.UNAVAILABLE.failure("the store did not answer");
    if (e instanceof SignInRefusal || CALLBACK.equals(ctx.request().path())) {
      String reason = e instanceof SignInRefusal refusal ? refusal.reason() : failure.code().wire();
      gateway.log().event("signin.refused", "room", slug == null ? "?" : slug, "reason", reason);
    }
    String accept = ctx.request().getHeader("Accept");
    if (accept == null || !accept.contains("text/html")) {
      replies.fail(ctx, failure.code().httpStatus(), failure);
    } else if (!ctx.response().ended()) {
      gateway.metrics().error(failure.code());
      ctx.response().setStatusCode(failure.code().httpStatus())
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", SignInPage.POLICY)
          .end(SignInPage.refused(failure.getMessage(), slug));
    }
  }
}
