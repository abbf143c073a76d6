package dev.backchannel.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Participant tokens: {@code <room>.<participantId>.<HMAC-SHA256>} signed with the server secret,
 * so a token cannot be forged, and names its room, so it cannot be moved to another one.
 */
public final class Tokens {

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final List<SecretKeySpec> previous;

  public Tokens(String secret) {
    this(secret, List.of());
  }

  /** Signs with {@code secret}; also accepts tokens signed with any of {@code previous} (a rotation). */
  public Tokens(String secret, List<String> previous) {
    this.key = spec(secret);
    this.previous = previous.stream().map(Tokens::spec).toList();
  }

  private static SecretKeySpec spec(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  public String issue(String room, String participantId) {
    String payload = room + "." + participantId;
    return payload + "." + sign(payload, key);
  }

  /** The participant id the token names for {@code room}, or empty when it is not a valid token for it. */
  public Optional<String> verify(String token, String room) {
    int last = token.lastIndexOf('.');
    int first = token.indexOf('.');
    if (first <= 0 || last <= first + 1) {
      return Optional.empty();
    }
    String payload = token.substring(0, last);
    byte[] given = token.substring(last + 1).getBytes(StandardCharsets.US_ASCII);
    boolean signed = MessageDigest.isEqual(sign(payload, key).getBytes(StandardCharsets.US_ASCII), given);
    for (SecretKeySpec old : previous) {
      signed |= MessageDigest.isEqual(sign(payload, old).getBytes(StandardCharsets.US_ASCII), given);
    }
    if (!signed || !token.substring(0, first).equals(room)) {
      return Optional.empty();
    }
    return Optional.of(token.substring(first + 1, last));
  }

  private static String sign(String payload, SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }
}
