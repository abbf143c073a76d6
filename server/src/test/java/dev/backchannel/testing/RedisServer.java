package dev.backchannel.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} of the test's own, on a free port with its own data directory (AOF
 * on, fsync on every write), never the shared 6379. It can be killed with SIGKILL and started
 * again on the same directory, as a crashed Redis would be.
 */
public final class RedisServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a fresh server; fails with how to install Redis when {@code redis-server} is missing. */
  public static RedisServer start() {
    try {
      RedisServer server = new RedisServer(Files.createTempDirectory("backchannel-redis"), freePort());
      server.launch();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown, no final save, as in a crash. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port and data directory (its AOF). */
  public void restart() {
    launch();
  }

  @Override
  public void close() {
    if (process != null) {
      kill();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }

  private void launch() {
    List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
        "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString());
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run redis-server (" + e.getMessage() + "). Install it: "
          + "apt-get install redis-server (Debian/Ubuntu), brew install redis (macOS); scripts/test does this itself.", e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited at start; see " + dir.resolve("redis.log"));
      }
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        probe.getOutputStream().write("PING\r\n".getBytes());
        byte[] answer = new byte[7];
        if (probe.getInputStream().read(answer) > 0 && new String(answer).startsWith("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet, or still loading its AOF
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("redis-server did not answer PING within " + START_TIMEOUT);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
