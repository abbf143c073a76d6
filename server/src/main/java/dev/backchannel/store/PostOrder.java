package dev.backchannel.store;

import dev.backchannel.model.Post;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** The orders posts are listed in; ties go to the newer post so every order is total. */
public enum PostOrder {
  TOP(Comparator.comparingDouble(Post::score).reversed()),
  DIVERGENT(Comparator.comparingDouble(Post::divergence).reversed()),
  NEW((a, b) -> 0);

  private final Comparator<Post> comparator;

  PostOrder(Comparator<Post> primary) {
    this.comparator = primary.thenComparing(Comparator.comparingLong(Post::number).reversed());
  }

  public Comparator<Post> comparator() {
    return comparator;
  }

  /** Parses the {@code sort} query parameter. */
  public static Optional<PostOrder> parse(String wire) {
    for (PostOrder o : values()) {
      if (o.name().toLowerCase(Locale.ROOT).equals(wire)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
