package dev.backchannel.wire;

import java.nio.charset.StandardCharsets;

/**
 * A server message serialised once, as the UTF-8 bytes of its JSON text. A room broadcast writes
 * the same instance to thousands of sockets, so nothing is encoded per socket; the bytes are
 * never changed after construction.
 */
public final class TextFrame {

  private final byte[] utf8;

  TextFrame(byte[] utf8) {
    this.utf8 = utf8;
  }

  /** The UTF-8 bytes; shared, so callers must not modify them. */
  public byte[] utf8() {
    return utf8;
  }

  /** The message as text (tests and logs; the write path uses {@link #utf8()}). */
  public String text() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return text();
  }
}
