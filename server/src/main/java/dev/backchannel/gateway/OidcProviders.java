package dev.backchannel.gateway;

import dev.backchannel.config.OidcProvider;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The configured OpenID Connect providers, each discovered (endpoints and signing keys) through
 * vertx-auth-oauth2 at its first use rather than at start, so a provider that is down then does
 * not stop the server; a failed discovery is forgotten and the next sign-in tries again. Shared by
 * every gateway instance; every future it returns completes on the caller's context.
 */
final class OidcProviders {

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  /** A provider that stops answering mid-request fails the sign-in instead of holding it open. */
  private static final int IDLE_TIMEOUT_SECONDS = 10;
  /** A token signed with a key we do not know refetches the provider's keys (it rotated them), at most this often. */
  private static final long KEY_REFRESH_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Vertx vertx;
  private final List<OidcProvider> configured;
  /** One entry per configured provider at most: bounded by the configuration. */
  private final Map<String, Future<OAuth2Auth>> discovered = new ConcurrentHashMap<>();

  OidcProviders(Vertx vertx, List<OidcProvider> configured) {
    this.vertx = vertx;
    this.configured = List.copyOf(configured);
  }

  /** The provider called {@code name}, or the first one for null; empty when there is no such provider. */
  Optional<OidcProvider> named(String name) {
    return configured.stream().filter(p -> name == null || p.name().equals(name)).findFirst();
  }

  /**
   * Where to send the browser: the provider's authorization endpoint asking for a code (with the
   * state's PKCE challenge and nonce, and {@code sealedState} as the OAuth state) to be sent back to
   * {@code redirectUri}.
   */
  Future<String> authorizeUrl(OidcProvider provider, SignInState state, String sealedState, String redirectUri) {
    return client(provider).map(auth -> auth.authorizeURL(new OAuth2AuthorizationURL()
        .setRedirectUri(redirectUri)
        .setScopes(List.of("openid", "profile"))
        .setState(sealedState)
        .setCodeChallenge(state.challenge())
        .setCodeChallengeMethod("S256")
        .putAdditionalParameter("nonce", state.nonce())));
  }

  /**
   * Trades the code (with the PKCE verifier and the same redirect URI) for tokens and answers the
   * ID token's claims once its signature checked out against the provider's keys. The library
   * leaves a token whose signature, issuer or audience fails out of the user it answers instead of
   * failing, so a missing ID token is the refusal here.
   */
  Future<JsonObject> idToken(OidcProvider provider, String code, String verifier, String redirectUri) {
    return client(provider).compose(auth -> onCaller(auth.authenticate(new Oauth2Credentials()
            .setFlow(OAuth2FlowType.AUTH_CODE)
            .setCode(code)
            .setCodeVerifier(verifier)
            .setRedirectUri(redirectUri)))
        .recover(e -> Future.failedFuture(SignInRefusal.forbidden("exchange",
            "The sign-in provider did not confirm the sign-in. Please try again from the room.")))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("idToken");
          return claims != null ? Future.succeededFuture(claims) : Future.failedFuture(SignInRefusal.forbidden(
              "id_token_rejected", "The sign-in provider's answer could not be verified. Please try again from the room."));
        }));
  }

  /** The provider's client, discovered once; {@code unavailable} while discovery fails. */
  private Future<OAuth2Auth> client(OidcProvider provider) {
    Future<OAuth2Auth> client = discovered.computeIfAbsent(provider.name(), name -> discover(provider));
    client.onFailure(e -> discovered.remove(provider.name(), client));
    return onCaller(client).recover(e -> Future.failedFuture(SignInRefusal.unavailable("discovery",
        "The sign-in provider cannot be reached right now. Please try again in a moment.")));
  }

  private Future<OAuth2Auth> discover(OidcProvider provider) {
    OAuth2Options options = new OAuth2Options()
        .setSite(provider.issuer())
        .setClientId(provider.clientId())
        .setClientSecret(provider.clientSecret())
        .setHttpClientOptions(new HttpClientOptions()
            .setConnectTimeout(CONNECT_TIMEOUT_MS)
            .setIdleTimeout(IDLE_TIMEOUT_SECONDS));
    return OpenIDConnectAuth.discover(vertx, options).map(auth -> {
      AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - KEY_REFRESH_NANOS);
      return auth.missingKeyHandler(kid -> {
        long now = System.nanoTime();
        long last = lastRefresh.get();
        if (now - last >= KEY_REFRESH_NANOS && lastRefresh.compareAndSet(last, now)) {
          auth.jWKSet(); // when this fails, the next unknown key tries again
        }
      });
    });
  }

  /** {@code future}, completing on the calling event loop (HTTP responses are written only from their own). */
  private static <T> Future<T> onCaller(Future<T> future) {
    Context caller = Vertx.currentContext();
    return caller == null ? future : Future.fromCompletionStage(future.toCompletionStage(), caller);
  }
}
