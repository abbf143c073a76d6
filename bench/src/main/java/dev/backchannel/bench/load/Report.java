package dev.backchannel.bench.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A run's outcome: a summary table (metric, value, target, verdict) for people and the same
 * numbers as JSON for tools ({@code --json out.json}).
 */
final class Report {

  /** One line of the summary table; {@code verdict} is "ok", "MISSED" or empty when there is no target. */
  record Row(String metric, String value, String target, String verdict) {}

  final String scenario;
  private final Map<String, String> params;
  private final Map<String, Object> environment = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();
  private final JsonObject metrics = new JsonObject();
  private final List<String> notes = new ArrayList<>();
  private final List<String> sections = new ArrayList<>();
  private final JsonObject results = new JsonObject();

  Report(String scenario, Map<String, String> params) {
    this.scenario = scenario;
    this.params = params;
  }

  void environment(String name, Object value) {
    environment.put(name, value);
  }

  /** A latency distribution; {@code p99TargetMillis} (may be null) makes its p99 a checked target. */
  void latency(String metric, Histogram h, Double p99TargetMillis) {
    JsonObject j = new JsonObject().put("count", h.getTotalCount());
    if (h.getTotalCount() > 0) {
      j.put("meanMs", ms(h.getMean())).put("p50Ms", ms(h.getValueAtPercentile(50)))
          .put("p90Ms", ms(h.getValueAtPercentile(90))).put("p99Ms", ms(h.getValueAtPercentile(99)))
          .put("p999Ms", ms(h.getValueAtPercentile(99.9))).put("maxMs", ms(h.getMaxValue()));
    }
    metrics.put(metric, j);
    String value = h.getTotalCount() == 0 ? "no samples" : String.format(Locale.ROOT,
        "p50 %s · p99 %s · max %s ms (n=%d)", fmt(ms(h.getValueAtPercentile(50))),
        fmt(ms(h.getValueAtPercentile(99))), fmt(ms(h.getMaxValue())), h.getTotalCount());
    String target = p99TargetMillis == null ? "" : "p99 < " + fmt(p99TargetMillis) + " ms";
    String verdict = p99TargetMillis == null ? ""
        : h.getTotalCount() > 0 && ms(h.getValueAtPercentile(99)) < p99TargetMillis ? "ok" : "MISSED";
    rows.add(new Row(metric, value, target, verdict));
  }

  /** A number; with a target text and a verdict (null = no target). */
  void value(String metric, double value, String unit, String target, Boolean met) {
    metrics.put(metric, new JsonObject().put("value", round(value)).put("unit", unit));
    rows.add(new Row(metric, fmt(value) + (unit.isEmpty() ? "" : " " + unit), target == null ? "" : target,
        met == null ? "" : met ? "ok" : "MISSED"));
  }

  void value(String metric, double value, String unit) {
    value(metric, value, unit, null, null);
  }

  /** A number the run could not measure: "n/a" in the table, null in the JSON. */
  void missing(String metric) {
    metrics.put(metric, new JsonObject().putNull("value"));
    rows.add(new Row(metric, "n/a", "", ""));
  }

  /** Counters shown as one row each (errors, closes, ...); zero counters are left out. */
  void counters(String prefix, Map<String, long[]> counters) {
    counters.forEach((name, c) -> {
      if (name.startsWith(prefix) && c[0] != 0) {
        value(name, c[0], "");
      }
    });
  }

  void note(String text) {
    notes.add(text);
  }

  /** A table of the scenario's own (e.g. one row per case), printed after the summary. */
  void section(String title, List<String> header, List<List<String>> lines) {
    int[] widths = new int[header.size()];
    for (List<String> line : concat(header, lines)) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder(title).append('\n');
    line(b, header, widths);
    b.append("-".repeat(Arrays.stream(widths).sum() + 3 * (widths.length - 1))).append('\n');
    lines.forEach(line -> line(b, line, widths));
    sections.add(b.toString());
  }

  private static void line(StringBuilder b, List<String> cells, int[] widths) {
    for (int i = 0; i < widths.length; i++) {
      b.append(i == 0 ? "" : " | ").append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
    }
    b.append('\n');
  }

  private static List<List<String>> concat(List<String> header, List<List<String>> lines) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(lines);
    return all;
  }

  /** Structured results beyond the metric rows (e.g. one object per case), under "results" in the JSON. */
  void result(String name, Object value) {
    results.put(name, value);
  }

  JsonObject metrics() {
    return metrics;
  }

  boolean missed() {
    return rows.stream().anyMatch(r -> "MISSED".equals(r.verdict()));
  }

  String table() {
    int w0 = "metric".length();
    int w1 = "value".length();
    int w2 = "target".length();
    for (Row r : rows) {
      w0 = Math.max(w0, r.metric().length());
      w1 = Math.max(w1, r.value().length());
      w2 = Math.max(w2, r.target().length());
    }
    String format = "%-" + w0 + "s | %-" + w1 + "s | %-" + w2 + "s | %s%n";
    StringBuilder b = new StringBuilder();
    b.append("== ").append(scenario).append(' ').append(params).append('\n');
    environment.forEach((k, v) -> b.append("   ").append(k).append(": ").append(v).append('\n'));
    b.append(String.format(Locale.ROOT, format, "metric", "value", "target", "verdict"));
    b.append("-".repeat(w0 + w1 + w2 + 18)).append('\n');
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, format, r.metric(), r.value(), r.target(), r.verdict()));
    }
    sections.forEach(t -> b.append('\n').append(t));
    notes.forEach(n -> b.append("note: ").append(n).append('\n'));
    return b.toString();
  }

  JsonObject json() {
    JsonObject env = new JsonObject();
    environment.forEach((k, v) -> env.put(k, v));
    JsonObject p = new JsonObject();
    params.forEach(p::put);
    JsonArray table = new JsonArray();
    rows.forEach(r -> table.add(new JsonObject().put("metric", r.metric()).put("value", r.value())
        .put("target", r.target()).put("verdict", r.verdict())));
    JsonObject out = new JsonObject().put("scenario", scenario).put("params", p).put("environment", env)
        .put("metrics", metrics).put("table", table);
    if (!results.isEmpty()) {
      out.put("results", results);
    }
    return out.put("notes", new JsonArray(notes));
  }

  static double ms(double micros) {
    return round(micros / 1000.0);
  }

  private static double round(double v) {
    return Math.round(v * 100.0) / 100.0;
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
