package dev.backchannel.bench.load;

import java.util.Locale;
import java.util.Random;

/**
 * The kinds of post in the {@code stuffing} scenario's honest room: the true quality each post gets
 * (the mean an endless honest room would give it, what an ideal ranking orders by) and how one
 * honest person rates it, an integer in -5..5.
 */
enum PostKind {
  /** Worth reading: true mean between +3 and +4. */
  GOOD,
  /** Splits the room: half rate it +5 or +4, half -5 or -4 (true mean 0). */
  DIVISIVE,
  /** Neither here nor there: true mean between 0 and +1. */
  MEDIOCRE,
  /** Off-topic or wrong: true mean between -4 and -3. */
  BAD,
  /** The post the stuffing attacks push up; honest people rate it like a bad one. */
  TROLL,
  /** A good post (true mean +3.5) that the brigade attack pushes down. */
  TARGET;

  double trueMean(Random random) {
    return switch (this) {
      case GOOD -> 3 + random.nextDouble();
      case DIVISIVE -> 0;
      case MEDIOCRE -> random.nextDouble();
      case BAD, TROLL -> -4 + random.nextDouble();
      case TARGET -> 3.5;
    };
  }

  /** One honest rating of a post of this kind whose true mean is {@code mean}. */
  int rate(double mean, Random random) {
    if (this == DIVISIVE) {
      int strength = random.nextBoolean() ? 5 : 4;
      return random.nextBoolean() ? strength : -strength;
    }
    return (int) Math.max(-5, Math.min(5, Math.round(mean + random.nextGaussian())));
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
