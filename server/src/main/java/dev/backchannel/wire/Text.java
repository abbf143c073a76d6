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

  /**
   * A nickname: like {@link #clean}, on one line, with runs of spaces made one, and without
   * invisible format characters (bidi overrides and isolates, zero-width spaces), which would let
   * a name pose as another or flip the text around it. The zero-width joiners that emoji and some
   * scripts need stay.
   */
  public static String nick(String raw) {
    StringBuilder out = new StringBuilder();
    clean(raw).codePoints().forEach(cp -> {
      if (Character.getType(cp) != Character.FORMAT || cp == ZERO_WIDTH_JOINER || cp == ZERO_WIDTH_NON_JOINER) {
        out.appendCodePoint(Character.isWhitespace(cp) ? ' ' : cp);
      }
    });
    return out.toString().replaceAll(" {2,}", " ").strip();
  }

  private static final int ZERO_WIDTH_JOINER = 0x200D;
  private static final int ZERO_WIDTH_NON_JOINER = 0x200C;

  /** Length in characters (code points), as the limits count them. */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }
}
