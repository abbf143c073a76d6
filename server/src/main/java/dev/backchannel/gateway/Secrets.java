package dev.backchannel.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random keys, their SHA-256 hashes, and constant-time comparison against a stored hash. */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A new key of 192 random bits, URL-safe. */
  public static String newKey() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** Whether {@code key} hashes to {@code storedHash}, in time independent of where they differ. */
  public static boolean matches(String key, byte[] storedHash) {
    return key != null && storedHash != null && MessageDigest.isEqual(hash(key), storedHash);
  }
}
