package dev.backchannel.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a post shows as; when several apply, the first of hidden, highlighted, answered, collapsed, visible wins. */
public enum PostStatus {
  VISIBLE, COLLAPSED, HIDDEN, ANSWERED, HIGHLIGHTED;

  /** The status a post shows given the staff's mark and whether the room's ratings fold it. */
  public static PostStatus of(Mark mark, boolean collapsed) {
    return switch (mark) {
      case HIDDEN -> HIDDEN;
      case HIGHLIGHTED -> HIGHLIGHTED;
      case ANSWERED -> ANSWERED;
      case VISIBLE -> collapsed ? COLLAPSED : VISIBLE;
    };
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
