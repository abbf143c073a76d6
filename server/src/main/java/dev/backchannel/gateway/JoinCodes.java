package dev.backchannel.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Room codes and invitations: how they are made, written down (hashed, and sealed for staff) and
 * compared. Both are case-insensitive, because people type them on phones.
 */
final class JoinCodes {

  /** Without 0/O and 1/I, which people read off a projector wrongly. All of them are in [A-Z0-9]. */
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{6,12}");
  static final int CODE_LENGTH = 8;
  /** 16 characters of 32: 80 bits, out of reach of guessing even without the limit on wrong ones. */
  static final int INVITE_LENGTH = 16;
  static final String SEAL_CODE = "join code";
  static final String SEAL_INVITE = "invitation";

  private JoinCodes() {}

  static String newCode() {
    return random(CODE_LENGTH);
  }

  static String newInvite() {
    return random(INVITE_LENGTH);
  }

  /** The form codes and invitations are stored, hashed and compared in. */
  static String normal(String typed) {
    return typed.trim().replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
  }

  /** SHA-256 (hex) of the normal form: what the store keeps and a join is looked up by. */
  static String hash(String code) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(normal(code).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** Whether {@code typed} is the code hashed to {@code storedHash}, in time independent of where they differ. */
  static boolean matches(String typed, String storedHash) {
    if (typed == null || storedHash == null) {
      return false;
    }
    return MessageDigest.isEqual(hash(typed).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  private static String random(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
