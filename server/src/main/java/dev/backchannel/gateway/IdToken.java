package dev.backchannel.gateway;

import dev.backchannel.config.OidcProvider;
import dev.backchannel.wire.Text;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Who an ID token says signed in, once its claims passed the checks of OpenID Connect Core 3.1.3.7
 * that are left after the signature: vertx-auth-oauth2 verifies the signature against the
 * provider's keys, but checks {@code iss} and {@code aud} only when present, never {@code exp},
 * {@code iat} or {@code nonce}; those are checked here.
 *
 * @param issuer the provider's issuer, as the token names it
 * @param subject the provider's id of the person, stable across sign-ins
 * @param nick what the provider calls them ({@code preferred_username}, else {@code name}) as a
 *     nickname, or null when it has neither
 */
record IdToken(String issuer, String subject, String nick) {

  /** Clocks of providers and servers disagree a little; a minute covers it. */
  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final int MAX_NICK = 32;
  /** OpenID Connect Core 2: a subject is at most 255 ASCII characters. */
  private static final int MAX_SUBJECT = 255;

  /** The token of {@code claims} (signature already verified), or a refusal saying which check failed. */
  static IdToken verified(JsonObject claims, OidcProvider provider, String nonce, Instant now) {
    String issuer = string(claims, "iss");
    if (issuer == null || !withoutTrailingSlash(issuer).equals(provider.issuer())) {
      throw refused("issuer");
    }
    Object aud = claims.getValue("aud");
    JsonArray audiences = aud instanceof String one ? new JsonArray().add(one) : aud instanceof JsonArray many ? many : null;
    if (audiences == null || !audiences.contains(provider.clientId())) {
      throw refused("audience");
    }
    // Core 3.1.3.7 (4, 5): with other audiences too, the token must say it was issued to us.
    if (audiences.size() > 1 && !provider.clientId().equals(string(claims, "azp"))) {
      throw refused("audience");
    }
    Long exp = number(claims, "exp");
    if (exp == null || !now.minus(SKEW).isBefore(Instant.ofEpochSecond(exp))) {
      throw refused("expired");
    }
    Long iat = number(claims, "iat");
    if (iat == null || Instant.ofEpochSecond(iat).isAfter(now.plus(SKEW)) || iat > exp) {
      throw refused("issued_at");
    }
    String tokenNonce = string(claims, "nonce");
    if (tokenNonce == null || !MessageDigest.isEqual(tokenNonce.getBytes(StandardCharsets.UTF_8),
        nonce.getBytes(StandardCharsets.UTF_8))) {
      throw refused("nonce");
    }
    String subject = string(claims, "sub");
    if (subject == null || subject.isEmpty() || subject.length() > MAX_SUBJECT) {
      throw refused("subject");
    }
    String nick = asNick(string(claims, "preferred_username"));
    return new IdToken(issuer, subject, nick != null ? nick : asNick(string(claims, "name")));
  }

  /**
   * What binds this person to one participant per room ({@link dev.backchannel.store.JoinRequest#signin}):
   * the SHA-256 (hex) of issuer and subject, so the store never holds anyone's id at the provider.
   */
  String signin() {
    return HexFormat.of().formatHex(Secrets.hash(issuer + "\n" + subject));
  }

  /** A provider's name as a nickname: cleaned like a typed one, cut to its first 32 characters; null if empty. */
  private static String asNick(String raw) {
    if (raw == null) {
      return null;
    }
    String clean = Text.nick(raw);
    if (Text.length(clean) > MAX_NICK) {
      clean = Text.nick(clean.substring(0, clean.offsetByCodePoints(0, MAX_NICK)));
    }
    return clean.isEmpty() ? null : clean;
  }

  private static SignInRefusal refused(String check) {
    return SignInRefusal.forbidden("id_token_" + check,
        "The sign-in provider's answer could not be verified. Please try again from the room.");
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String string(JsonObject claims, String name) {
    return claims.getValue(name) instanceof String s ? s : null;
  }

  private static Long number(JsonObject claims, String name) {
    return claims.getValue(name) instanceof Number n ? n.longValue() : null;
  }
}
