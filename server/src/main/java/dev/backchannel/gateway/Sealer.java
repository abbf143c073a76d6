package dev.backchannel.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption (AES-256-GCM) under a key derived from the server secret, for what the
 * server must read back but the store must not hold in the clear: a room's join code and its
 * invitations (so that staff can see and print them again), and the sign-in {@code state}, which
 * carries the PKCE verifier and nonce through the provider to whichever node gets the callback.
 * Sealed text from a previous secret still opens during a rotation.
 */
public final class Sealer {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Looking a cipher up costs more than using it; listing 20,000 invitations opens 20,000 seals. */
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JVM", e);
    }
  });

  private final SecretKeySpec key;
  private final List<SecretKeySpec> keys;

  public Sealer(String secret, List<String> previous) {
    this.key = derive(secret);
    List<SecretKeySpec> all = new ArrayList<>();
    all.add(key);
    previous.forEach(p -> all.add(derive(p)));
    this.keys = List.copyOf(all);
  }

  /** {@code plain} encrypted with a fresh nonce; {@code purpose} must be given again to open it. */
  public String seal(String purpose, String plain) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JVM", e);
    }
  }

  /** The plain text, or empty when {@code sealed} was not sealed for {@code purpose} by this server. */
  public Optional<String> open(String purpose, String sealed) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(sealed);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (bytes.length <= NONCE_BYTES) {
      return Optional.empty();
    }
    for (SecretKeySpec k : keys) {
      try {
        Cipher cipher = CIPHERS.get();
        cipher.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
        cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
        byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        return Optional.of(new String(plain, StandardCharsets.UTF_8));
      } catch (GeneralSecurityException e) {
        // Not this key (or tampered with): try the next one.
      }
    }
    return Optional.empty();
  }

  private static SecretKeySpec derive(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return new SecretKeySpec(mac.doFinal("backchannel sealing key v1".getBytes(StandardCharsets.UTF_8)), "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }
}
