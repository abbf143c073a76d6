package dev.backchannel.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latency histograms (microseconds) and counters of one lane: touched only on that lane's event
 * loop, so recording takes no lock; lanes are merged once a run is over.
 */
final class Metrics {

  /** Latencies above ten minutes are clamped: nothing in a benchmark run should take that long. */
  static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final Map<String, Histogram> histograms = new TreeMap<>();
  private final Map<String, long[]> counters = new TreeMap<>();

  static Histogram newHistogram() {
    return new Histogram(MAX_MICROS, 3);
  }

  /** Records a latency given in nanoseconds; negative values (clock order across sockets) count as 0. */
  void recordNanos(String name, long nanos) {
    long micros = Math.min(MAX_MICROS, Math.max(0, nanos / 1000));
    histograms.computeIfAbsent(name, n -> newHistogram()).recordValue(micros);
  }

  void count(String name, long delta) {
    counters.computeIfAbsent(name, n -> new long[1])[0] += delta;
  }

  void count(String name) {
    count(name, 1);
  }

  long counter(String name) {
    long[] c = counters.get(name);
    return c == null ? 0 : c[0];
  }

  Histogram histogram(String name) {
    Histogram h = histograms.get(name);
    return h == null ? newHistogram() : h;
  }

  Map<String, long[]> counters() {
    return counters;
  }

  Map<String, Histogram> histograms() {
    return histograms;
  }

  void addAll(Metrics other) {
    other.histograms.forEach((name, h) -> histograms.computeIfAbsent(name, n -> newHistogram()).add(h));
    other.counters.forEach((name, c) -> count(name, c[0]));
  }
}
