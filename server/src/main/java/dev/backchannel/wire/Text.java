package dev.backchannel.wire;

import java.text.Normalizer;

/** Normalises user text: Unicode NFC, control characters other than newline removed, trimmed. */
public final class Text {

  private Text() {}

  public static String clean(String raw) {
    String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
    nfc.codePoints().forEach(cp -> {
      if (cp == '\n' || !Character.isISOControl(cp)) {
        out.appendCodePoint(cp);
      }
    });
    return out.toString().strip();
  }

  /** Length in characters (code points), as the limits count them. */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }
}
