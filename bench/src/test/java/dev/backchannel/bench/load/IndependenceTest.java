package dev.backchannel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The load generator is written against PROTOCOL.md only: none of its sources may import a server
 * class (only the JMH micro-benchmarks may), so it works the same against any server of the contract.
 */
class IndependenceTest {

  @Test
  void loadGeneratorImportsNoServerClass() throws IOException {
    Path sources = Path.of("src/main/java/dev/backchannel/bench/load");
    List<String> offending;
    try (Stream<Path> files = Files.list(sources)) {
      offending = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
        try {
          return Files.readAllLines(f).stream()
              .filter(l -> l.matches("\\s*import\\s+(static\\s+)?dev\\.backchannel\\..*")
                  && !l.matches("\\s*import\\s+(static\\s+)?dev\\.backchannel\\.bench\\.load\\..*")
                  || l.contains("dev.backchannel.") && !l.contains("dev.backchannel.bench") && !l.trim().startsWith("*")
                      && !l.trim().startsWith("//") && !l.trim().startsWith("package"))
              .map(l -> f.getFileName() + ": " + l.trim());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
      assertThat(Files.list(sources).count()).isGreaterThan(5);
    }
    assertThat(offending).isEmpty();
  }
}
