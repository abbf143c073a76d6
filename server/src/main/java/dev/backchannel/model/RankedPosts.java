package dev.backchannel.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The posts that pass a filter, kept sorted: replacing one post's state is O(log n), reading the
 * first {@code k} is O(k + log n), independent of the room's size.
 */
public final class RankedPosts {

  private final TreeSet<Post> ranked;
  private final Predicate<Post> member;

  public RankedPosts(Comparator<Post> order, Predicate<Post> member) {
    this.ranked = new TreeSet<>(order);
    this.member = member;
  }

  /** Moves a post from its previous state (null when new) to its current one. */
  public void replace(Post previous, Post current) {
    if (previous != null) {
      ranked.remove(previous);
    }
    if (current != null && member.test(current)) {
      ranked.add(current);
    }
  }

  /** The first {@code limit} posts in order. */
  public List<Post> first(int limit) {
    List<Post> out = new ArrayList<>(Math.min(limit, ranked.size()));
    for (Post p : ranked) {
      if (out.size() == limit) {
        break;
      }
      out.add(p);
    }
    return out;
  }

  public int size() {
    return ranked.size();
  }
}
