package dev.backchannel.store;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes opaque ids: random ones for participants, short ones from the creation order for posts. */
public final class Ids {

  private final SecureRandom random = new SecureRandom();

  /** 96 random bits, URL-safe: participant ids appear in tokens and exports. */
  public String participant() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** 128 random bits, URL-safe: a room's salt for the labels of networks. */
  public String secret() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The id of a room's {@code number}-th post. */
  public String post(long number) {
    return "p" + Long.toString(number, 36);
  }
}
