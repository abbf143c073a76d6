package dev.backchannel.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code stuffing}: can scripted identities outvote an honest room (DESIGN.md, "v2: one network
 * cannot outvote the room")? For each seed and each attack, a fresh room gets the same honest room
 * ({@link HonestRoom}: people on a venue NAT and on home networks, posts of known kinds, 30-40
 * honest ratings each), is measured ({@link Standing}), attacked by {@link Sybils} and measured
 * again ({@link StuffedRoom}); {@link StuffingReport} gives the means over the seeds.
 *
 * <p>The generator cannot switch the server between v1 and v2: it measures whatever it talks to,
 * and {@code --label} only names that in the output.
 */
final class StuffingScenario {

  private StuffingScenario() {}

  static Report run(Run run) {
    Options o = run.options;
    HonestRoom.Shape shape = new HonestRoom.Shape(o.integer("people", 300), o.integer("posts", 120),
        o.decimal("venue-share", 0.4), o.integer("venue-addresses", 3), o.integer("venue-networks", 1),
        o.integer("min-raters", 30), o.integer("max-raters", 40));
    List<Integer> sizes = integers(o.string("sybils", "200,1000"), "--sybils");
    List<Integer> spreads = integers(o.string("networks", "1,30"), "--networks");
    List<Sybils.Mode> modes = modes(o.string("modes", "naive,mimic,brigade"));
    StuffedRoom.Settings settings = new StuffedRoom.Settings(o.integer("mimic-posts", 5),
        o.number("rating-pause-ms", 110), o.decimal("settle", 1));
    long firstSeed = o.number("seed", 1);
    int seeds = o.integer("seeds", 3);
    String label = o.string("label", "unlabelled");
    o.requireAllRead();
    if (seeds < 1) {
      throw new IllegalArgumentException("--seeds must be at least 1");
    }
    List<Sybils> attacks = new ArrayList<>();
    for (Sybils.Mode mode : modes) {
      for (int size : sizes) {
        for (int networks : spreads) {
          attacks.add(new Sybils(mode, size, networks));
        }
      }
    }

    List<StuffedRoom> rooms = new ArrayList<>();
    for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
      HonestRoom honest = HonestRoom.plan(seed, shape);
      for (Sybils attack : attacks) {
        long start = System.nanoTime();
        StuffedRoom room = StuffedRoom.run(run, honest, attack, settings);
        rooms.add(room);
        // A full run takes minutes: say how far it got.
        System.err.printf(Locale.ROOT, "stuffing: seed %d, %s: %s rank %s -> %s, top-10 precision %.2f -> %.2f (%.1f s)%n",
            seed, attack.name(), attack.target().label(),
            Objects.toString(room.before().rank(attack.target()), "absent"),
            Objects.toString(room.after().rank(attack.target()), "absent"),
            room.before().topPrecision(), room.after().topPrecision(), (System.nanoTime() - start) / 1e9);
      }
    }
    StuffingReport.write(run.report, label, attacks, rooms, run.lanes.merged());
    return run.report;
  }

  private static List<Integer> integers(String list, String option) {
    return parse(list, option, s -> {
      try {
        return Integer.parseInt(s.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " must be a comma-separated list of integers, got '" + list + "'");
      }
    });
  }

  private static List<Sybils.Mode> modes(String list) {
    return parse(list, "--modes", s -> {
      try {
        return Sybils.Mode.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--modes takes naive, mimic and brigade, got '" + s + "'");
      }
    });
  }

  private static <T> List<T> parse(String list, String option, Function<String, T> item) {
    List<T> out = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(item).toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException(option + " must name at least one value");
    }
    return out;
  }
}
