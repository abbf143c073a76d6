package dev.backchannel.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What happened, one line per event, as {@code key=value} text or one JSON object per line. Callers
 * pass names and ids only: keys, tokens and user text never reach it.
 */
public final class EventLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean json;
  private final Clock clock;
  private final Consumer<String> sink;

  public EventLog(String format, Clock clock, Consumer<String> sink) {
    this.json = "json".equals(format);
    this.clock = clock;
    this.sink = sink;
  }

  /** Lines to standard output, as a container platform collects them. */
  public static EventLog stdout(String format) {
    return new EventLog(format, Clock.systemUTC(), System.out::println);
  }

  /** Logs {@code event} with alternating keys and values. */
  public void event(String event, String... keysAndValues) {
    String at = clock.instant().toString();
    if (json) {
      ObjectNode line = JSON.createObjectNode().put("at", at).put("event", event);
      for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
        line.put(keysAndValues[i], keysAndValues[i + 1]);
      }
      sink.accept(line.toString());
      return;
    }
    StringBuilder line = new StringBuilder(at).append(" event=").append(event);
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      line.append(' ').append(keysAndValues[i]).append('=').append(quoted(keysAndValues[i + 1]));
    }
    sink.accept(line.toString());
  }

  private static String quoted(String value) {
    if (value == null) {
      return "-";
    }
    boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && c < 127);
    return plain ? value : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
