package dev.backchannel.bench.load;

import java.util.List;
import java.util.Set;

/** How a room's orderings compare with what the scenario knows to be true. */
final class Precision {

  private Precision() {}

  /** The 1-based place of {@code id} in {@code ordered}, or null when it is not listed. */
  static Integer rank(List<String> ordered, String id) {
    int i = ordered.indexOf(id);
    return i < 0 ? null : i + 1;
  }

  /** The share of the first {@code k} listed (fewer when fewer are listed) that are {@code relevant}; NaN when none is. */
  static double atK(List<String> ordered, Set<String> relevant, int k) {
    List<String> first = ordered.subList(0, Math.min(k, ordered.size()));
    if (first.isEmpty()) {
      return Double.NaN;
    }
    return first.stream().filter(relevant::contains).count() / (double) first.size();
  }
}
