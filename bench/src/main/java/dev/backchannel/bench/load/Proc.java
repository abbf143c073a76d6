package dev.backchannel.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Linux tells about a process (CPU time and RSS from {@code /proc}) and what {@code jcmd} tells
 * about a JVM's heap. Used on the server's pid when it runs on this machine, and on the generator.
 */
final class Proc {

  private static final Pattern HISTO_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
  private static final Pattern LISTENER_PID = Pattern.compile("pid=(\\d+)");
  private static final Pattern HISTO_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static volatile long clockTicks;

  private Proc() {}

  /** User + system CPU time of a process, in nanoseconds. */
  static long cpuNanos(long pid) {
    String stat = read(Path.of("/proc/" + pid + "/stat"));
    // Fields after the command name (which may hold spaces) start after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    return ticks * (1_000_000_000L / clockTicks());
  }

  /** CPU time (nanoseconds) of each thread of a process, by "tid name". */
  static Map<String, Long> threadCpuNanos(long pid) {
    Map<String, Long> out = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(t -> {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          out.put(t.getFileName() + " " + name, ticks * (1_000_000_000L / clockTicks()));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      });
    } catch (IOException e) {
      // no such process
    }
    return out;
  }

  /** System (kernel) CPU time of a process, in nanoseconds. */
  static long systemCpuNanos(long pid) {
    String stat = read(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return Long.parseLong(f[12]) * (1_000_000_000L / clockTicks());
  }

  /** Resident set size in KiB. */
  static long rssKib(long pid) {
    for (String line : read(Path.of("/proc/" + pid + "/status")).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static long self() {
    return ProcessHandle.current().pid();
  }

  /** {@code /proc/loadavg}'s three load averages, as uptime shows them. */
  static String loadAverage() {
    try {
      String[] f = read(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (RuntimeException e) {
      return "n/a";
    }
  }

  static long memTotalKib() {
    try {
      for (String line : read(Path.of("/proc/meminfo")).split("\n")) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  static boolean exists(long pid) {
    return Files.exists(Path.of("/proc/" + pid + "/stat"));
  }

  /** The pid listening on a local TCP port, from {@code ss -ltnp}; empty when it cannot be told. */
  static OptionalLong listener(int port) {
    try {
      String out = run(List.of("ss", "-ltnpH", "sport = :" + port));
      Matcher m = LISTENER_PID.matcher(out);
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    } catch (RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The bytes of live objects in the JVM {@code pid}, in KiB: the total of {@code jcmd
   * GC.class_histogram}, which runs a full GC first. Unlike a heap summary it reads the same under
   * every collector (G1, Parallel, ZGC).
   */
  static long heapUsedAfterGcKib(long pid) {
    String histogram = run(List.of(jcmd(), Long.toString(pid), "GC.class_histogram"));
    Matcher m = HISTO_TOTAL.matcher(histogram);
    if (!m.find()) {
      throw new IllegalStateException("cannot read the live heap from jcmd GC.class_histogram");
    }
    return Long.parseLong(m.group(1)) / 1024;
  }

  /** Live objects by class after a full GC ({@code jcmd GC.class_histogram}): class → {instances, bytes}. */
  static Map<String, long[]> classHistogram(long pid) {
    Map<String, long[]> out = new HashMap<>();
    for (String line : run(List.of(jcmd(), Long.toString(pid), "GC.class_histogram")).split("\n")) {
      Matcher m = HISTO_ROW.matcher(line);
      if (m.find()) {
        out.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    return out;
  }

  /** The Java version a process runs, from {@code jcmd VM.version}'s last line; "n/a" when unknown. */
  static String javaVersion(long pid) {
    try {
      String[] lines = run(List.of(jcmd(), Long.toString(pid), "VM.version")).trim().split("\n");
      for (String line : lines) {
        if (line.startsWith("JDK ")) {
          return line.trim();
        }
      }
      return lines[lines.length - 1].trim();
    } catch (RuntimeException e) {
      return "n/a";
    }
  }

  private static long clockTicks() {
    if (clockTicks == 0) {
      long ticks = 100;
      try {
        ticks = Long.parseLong(run(List.of("getconf", "CLK_TCK")).trim());
      } catch (RuntimeException e) {
        // 100 is the Linux default
      }
      clockTicks = ticks;
    }
    return clockTicks;
  }

  /** The jcmd next to the java running this generator, else the one on the PATH. */
  private static String jcmd() {
    return ProcessHandle.current().info().command()
        .map(java -> Path.of(java).resolveSibling("jcmd"))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .orElse("jcmd");
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
