package dev.backchannel.gateway;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * What a sign-in must remember between leaving for the provider and coming back, carried in the
 * OAuth {@code state} parameter sealed with the server secret ({@link Sealer}) instead of kept on
 * the node: the callback may reach any node, and nothing is stored for abandoned sign-ins.
 *
 * @param slug the room to join
 * @param provider the configured provider's name
 * @param verifier the PKCE code verifier (its S256 challenge went to the provider)
 * @param nonce the value the ID token must carry back
 * @param nick the nickname asked for, or null for the provider's
 * @param expires when the state stops opening
 * @param browser the id also set in the browser's sign-in cookie, so that the callback accepts only
 *     the state this browser started with (a state sent to someone else's browser is refused)
 */
record SignInState(String slug, String provider, String verifier, String nonce, String nick, Instant expires,
    String browser) {

  /** Long enough to type a password and answer a second factor; short enough that a leaked state is stale. */
  static final Duration LIFETIME = Duration.ofMinutes(10);
  private static final String PURPOSE = "signin-state";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh state for {@code slug} with new random verifier, nonce and browser id. */
  static SignInState start(String slug, String provider, String nick, Instant now) {
    return new SignInState(slug, provider, random(32), random(16), nick, now.plus(LIFETIME), random(16));
  }

  /** The S256 code challenge of the verifier (RFC 7636). */
  String challenge() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.hash(verifier));
  }

  String seal(Sealer sealer) {
    JsonObject json = new JsonObject().put("slug", slug).put("provider", provider).put("verifier", verifier)
        .put("nonce", nonce).put("expires", expires.getEpochSecond()).put("browser", browser);
    if (nick != null) {
      json.put("nick", nick);
    }
    return sealer.seal(PURPOSE, json.encode());
  }

  /**
   * The state {@code sealed} holds, or empty when this server did not seal it (or it was altered),
   * it is incomplete, or it expired at {@code now}.
   */
  static Optional<SignInState> open(Sealer sealer, String sealed, Instant now) {
    return sealer.open(PURPOSE, sealed).flatMap(SignInState::parse).filter(s -> now.isBefore(s.expires));
  }

  private static Optional<SignInState> parse(String text) {
    try {
      JsonObject json = new JsonObject(text);
      SignInState state = new SignInState(json.getString("slug"), json.getString("provider"),
          json.getString("verifier"), json.getString("nonce"), json.getString("nick"),
          Instant.ofEpochSecond(json.getLong("expires")), json.getString("browser"));
      boolean complete = state.slug != null && state.provider != null && state.verifier != null
          && state.nonce != null && state.browser != null;
      return complete ? Optional.of(state) : Optional.empty();
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
