package dev.backchannel.bench.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The {@code stuffing} scenario's results: summary rows for the honest room without an attack
 * (every room before its attack), one table row per attack with means over the seeds, and the
 * same as JSON with every room. Held networks are "n/a" when the server never sent a {@code held}
 * frame: then nothing held cannot be told from a server that does not hold.
 */
final class StuffingReport {

  private StuffingReport() {}

  static void write(Report report, String label, List<Sybils> attacks, List<StuffedRoom> rooms, Metrics metrics) {
    boolean heldSeen = rooms.stream().anyMatch(StuffedRoom::heldSeen);
    report.environment("server mode (--label, as given)", label);
    report.result("label", label);
    report.result("heldFramesSeen", heldSeen);
    noAttack(report, rooms, heldSeen);
    attacks(report, attacks, rooms, heldSeen);
    report.counters("errors.", metrics.counters());
    report.counters("retries.", metrics.counters());
    report.counters("setup.", metrics.counters());
    if (!heldSeen) {
      report.note("no held frame came from the server (v1, --network-weighting=false or an older server): held is n/a");
    }
    report.note("addresses are X-Forwarded-For values: the server must run with --trusted-proxies=127.0.0.1, or"
        + " everyone is on one network (127.0.0.0/24)");
  }

  private static void noAttack(Report report, List<StuffedRoom> rooms, boolean heldSeen) {
    List<Standing> before = rooms.stream().map(StuffedRoom::before).toList();
    report.value("rooms (seeds × attacks)", rooms.size(), "");
    int planned = rooms.stream().mapToInt(r -> r.honest().ratingsPlanned()).sum();
    int acked = rooms.stream().mapToInt(r -> r.honest().ratingsAcked()).sum();
    report.value("honest ratings planned", planned, "");
    report.value("honest ratings acked", acked, "", "all", acked == planned);
    value(report, "no attack: troll rank in top (mean)", mean(before, s -> rank(s.trollRank())));
    value(report, "no attack: target rank in top (mean)", mean(before, s -> rank(s.targetRank())));
    value(report, "no attack: top-10 precision (mean)", mean(before, Standing::topPrecision));
    value(report, "no attack: divergent-10 precision (mean)", mean(before, Standing::divergentPrecision));
    value(report, "no attack: honest networks held (mean)", heldSeen ? mean(before, Standing::heldNetworks) : Double.NaN);
    value(report, "no attack: honest networks flagged, held or not (mean)",
        heldSeen ? mean(before, Standing::flaggedNetworks) : Double.NaN);
    report.result("noAttack", new JsonObject()
        .put("trollRank", json(mean(before, s -> rank(s.trollRank()))))
        .put("targetRank", json(mean(before, s -> rank(s.targetRank()))))
        .put("topPrecision", json(mean(before, Standing::topPrecision)))
        .put("divergentPrecision", json(mean(before, Standing::divergentPrecision)))
        .put("heldNetworks", heldSeen ? json(mean(before, Standing::heldNetworks)) : null)
        .put("flaggedNetworks", heldSeen ? json(mean(before, Standing::flaggedNetworks)) : null));
  }

  private static void attacks(Report report, List<Sybils> attacks, List<StuffedRoom> rooms, boolean heldSeen) {
    List<List<String>> rows = new ArrayList<>();
    JsonArray cases = new JsonArray();
    for (Sybils attack : attacks) {
      List<StuffedRoom> mine = rooms.stream().filter(r -> r.attack().equals(attack)).toList();
      PostKind post = attack.target();
      List<Standing> before = mine.stream().map(StuffedRoom::before).toList();
      List<Standing> after = mine.stream().map(StuffedRoom::after).toList();
      rows.add(List.of(attack.name(), post.label(),
          meanRank(before, post) + " → " + meanRank(after, post),
          inTop(before, post) + "/" + mine.size() + " → " + inTop(after, post) + "/" + mine.size(),
          two(mean(before, Standing::topPrecision)) + " → " + two(mean(after, Standing::topPrecision)),
          two(mean(before, Standing::divergentPrecision)) + " → " + two(mean(after, Standing::divergentPrecision)),
          heldSeen ? one(mean(after, Standing::heldNetworks)) + " (" + one(mean(mine, StuffedRoom::honestHeldAfter)) + ")"
              : "n/a",
          one(mean(mine, r -> r.outcome().joined())) + " · " + one(mean(mine, r -> r.outcome().ratingsAcked()))));

      JsonArray each = new JsonArray();
      mine.forEach(r -> each.add(new JsonObject().put("seed", r.seed())
          .put("before", standing(r.before(), post, r.honest()))
          .put("after", standing(r.after(), post, r.honest())
              .put("honestHeldAtLeast", heldSeen ? r.honestHeldAfter() : null))
          .put("sybilsJoined", r.outcome().joined()).put("sybilRatingsAcked", r.outcome().ratingsAcked())));
      cases.add(new JsonObject().put("mode", attack.mode().name().toLowerCase(Locale.ROOT)).put("sybils", attack.size())
          .put("networks", attack.networks()).put("post", post.label())
          .put("before", means(before, post))
          .put("after", means(after, post)
              .put("heldNetworks", heldSeen ? json(mean(after, Standing::heldNetworks)) : null)
              .put("honestHeldAtLeast", heldSeen ? json(mean(mine, StuffedRoom::honestHeldAfter)) : null))
          .put("sybilsJoined", json(mean(mine, r -> r.outcome().joined())))
          .put("sybilRatingsAcked", json(mean(mine, r -> r.outcome().ratingsAcked())))
          .put("rooms", each));
    }
    report.section("attacks: means over the seeds, without → with the attack; held: networks held after the attack"
        + " (in brackets: honest ones, at least)", List.of("attack", "post", "rank in top", "in top 10",
        "top-10 precision", "divergent-10 precision", "held networks", "sybils joined · ratings acked"), rows);
    report.result("cases", cases);
  }

  private static void value(Report report, String metric, double v) {
    if (Double.isNaN(v)) {
      report.missing(metric);
    } else {
      report.value(metric, v, "");
    }
  }

  private static JsonObject means(List<Standing> standings, PostKind post) {
    List<Standing> listed = standings.stream().filter(s -> s.rank(post) != null).toList();
    return new JsonObject()
        .put("rank", json(mean(listed, s -> s.rank(post))))
        .put("absent", standings.size() - listed.size())
        .put("inTop10", inTop(standings, post))
        .put("topPrecision", json(mean(standings, Standing::topPrecision)))
        .put("divergentPrecision", json(mean(standings, Standing::divergentPrecision)));
  }

  private static JsonObject standing(Standing s, PostKind post, HonestRoom.Opened room) {
    JsonArray held = new JsonArray();
    s.held().forEach(h -> held.add(new JsonObject().put("post", h.post())
        .put("postKind", Optional.ofNullable(room.kindOf(h.post())).map(PostKind::label).orElse(null))
        .put("network", h.network())
        .put("raters", h.raters()).put("mean", json(h.mean())).put("hold", json(h.hold()))));
    return new JsonObject().put("rank", s.rank(post)).put("topPrecision", json(s.topPrecision()))
        .put("divergentPrecision", json(s.divergentPrecision())).put("held", held);
  }

  private static String meanRank(List<Standing> standings, PostKind post) {
    List<Standing> listed = standings.stream().filter(s -> s.rank(post) != null).toList();
    if (listed.isEmpty()) {
      return "absent";
    }
    int absent = standings.size() - listed.size();
    return one(mean(listed, s -> s.rank(post))) + (absent == 0 ? "" : " (absent in " + absent + ")");
  }

  private static long inTop(List<Standing> standings, PostKind post) {
    return standings.stream().map(s -> s.rank(post)).filter(Objects::nonNull).filter(r -> r <= Standing.K).count();
  }

  private static double rank(Integer rank) {
    return rank == null ? Double.NaN : rank;
  }

  /** The mean of the values that are numbers; NaN when none is. */
  private static <T> double mean(List<T> items, ToDoubleFunction<T> value) {
    return items.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }

  private static Double json(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 1000.0) / 1000.0;
  }

  private static String one(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.1f", v);
  }

  private static String two(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }
}
