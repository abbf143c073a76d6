package dev.backchannel.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table of when a client that last saw {@code since} can be caught up from held history. */
class ResumePointTest {

  @ParameterizedTest(name = "since={0} floor={1} seq={2} -> {3}")
  @CsvSource(textBlock = """
      # since, floor, seq, resumable
      # fresh room: nothing happened, nothing dropped
      0,  0,  0,  true
      # nothing dropped yet: every since up to seq resumes
      0,  0,  5,  true
      3,  0,  5,  true
      5,  0,  5,  true
      # above seq: the store lost history the client saw
      6,  0,  5,  false
      1,  0,  0,  false
      11, 3,  10, false
      # floor is the newest dropped event, so since = floor still has every event after it
      3,  3,  10, true
      2,  3,  10, false
      0,  3,  10, false
      # caught up at seq, even when everything before was dropped
      10, 3,  10, true
      10, 10, 10, true
      9,  10, 10, false
      # a negative since is never a point of the room's history
      -1, 0,  5,  false
      """)
  void resumable(long since, long floor, long seq, boolean expected) {
    assertThat(ResumePoint.resumable(since, floor, seq)).isEqualTo(expected);
  }
}
