package dev.backchannel.wire;

import java.text.Normalizer;

/** Normalises user text: Unicode NFC, control characters other than newline removed, trimmed. */
public final class Text {

  private Text() {}

  public static String clean(String raw) {
    // Removal first, normalisation last: what is stored is NFC, and cleaning it again changes nothing.
    StringBuilder out = new StringBuilder(raw.length());
    raw.codePoints().forEach(cp -> {
      if ((cp == '\n' || !Character.isISOControl(cp)) && !isLoneSurrogate(cp)) {
        out.appendCodePoint(cp);
      }
    });
    return Normalizer.normalize(out, Normalizer.Form.NFC).strip();
  }

  /** Whether a string holds half a surrogate pair: not Unicode text, and not encodable as UTF-8. */
  public static boolean hasLoneSurrogate(String s) {
    return s.codePoints().anyMatch(Text::isLoneSurrogate);
  }

  /** codePoints() yields an unpaired surrogate as itself; a paired one never appears alone. */
  private static boolean isLoneSurrogate(int cp) {
    return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
  }

  /**
   * A nickname: like {@link #clean}, on one line, with runs of spaces made one, and without
   * invisible format characters (bidi overrides and isolates, zero-width spaces), which would let
   * a name pose as another or flip the text around it. The zero-width joiners that emoji and some
   * scripts need stay.
   */
  public static String nick(String raw) {
    StringBuilder out = new StringBuilder();
    raw.codePoints().forEach(cp -> {
      if (Character.getType(cp) != Character.FORMAT || cp == ZERO_WIDTH_JOINER || cp == ZERO_WIDTH_NON_JOINER) {
        out.appendCodePoint(Character.isWhitespace(cp) ? ' ' : cp);
      }
    });
    return clean(out.toString()).replaceAll(" {2,}", " ");
  }

  private static final int ZERO_WIDTH_JOINER = 0x200D;
  private static final int ZERO_WIDTH_NON_JOINER = 0x200C;

  /** Length in characters (code points), as the limits count them. */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }
}
