package dev.backchannel.room;

/**
 * The rating activity of a room over the last five minutes, in one-second buckets: how many ratings
 * per minute, and the mood (weighted mean of the ratings given). Fixed size, O(1) to record.
 */
final class Pulse {

  private static final int SECONDS = 300;
  private static final int MINUTE = 60;

  private final long[] second = new long[SECONDS];
  private final int[] count = new int[SECONDS];
  private final long[] weighted = new long[SECONDS];
  private final long[] weights = new long[SECONDS];

  void record(long nowSecond, int value, long weight) {
    int i = slot(nowSecond);
    count[i]++;
    weighted[i] += weight * value;
    weights[i] += weight;
  }

  double ratingsPerMinute(long nowSecond) {
    int total = 0;
    for (long s = nowSecond - MINUTE + 1; s <= nowSecond; s++) {
      int i = Math.floorMod(s, SECONDS);
      if (second[i] == s) {
        total += count[i];
      }
    }
    return total;
  }

  double mood(long nowSecond) {
    long wr = 0;
    long w = 0;
    for (int i = 0; i < SECONDS; i++) {
      if (second[i] > nowSecond - SECONDS && second[i] <= nowSecond) {
        wr += weighted[i];
        w += weights[i];
      }
    }
    return w == 0 ? 0.0 : (double) wr / w;
  }

  private int slot(long nowSecond) {
    int i = Math.floorMod(nowSecond, SECONDS);
    if (second[i] != nowSecond) {
      second[i] = nowSecond;
      count[i] = 0;
      weighted[i] = 0;
      weights[i] = 0;
    }
    return i;
  }
}
