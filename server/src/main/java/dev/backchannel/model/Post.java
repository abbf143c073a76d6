package dev.backchannel.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;

/**
 * The state of one post as the wire shows it (PROTOCOL.md "The Post object"). Immutable: every
 * change makes a new one, so the same instance can sit in orderings, batches and history at once.
 *
 * @param number the post's creation order in its room (not on the wire; ties in orderings)
 * @param mine the reader's own rating, only in frames meant for one participant
 * @param held how many networks' ratings of it are held back (v2; staff see only that some are)
 */
@JsonPropertyOrder({"id", "author", "text", "replyTo", "createdAt", "score", "divergence", "ratings", "status", "mine"})
public record Post(
    String id,
    @JsonIgnore long number,
    Author author,
    String text,
    String replyTo,
    Instant createdAt,
    @JsonSerialize(using = TwoDecimals.class) double score,
    @JsonSerialize(using = TwoDecimals.class) double divergence,
    int ratings,
    PostStatus status,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer mine,
    @JsonIgnore int held) {

  /** The same post as one participant sees it, with their own rating. */
  public Post withMine(Integer value) {
    return new Post(id, number, author, text, replyTo, createdAt, score, divergence, ratings, status, value, held);
  }

  /** What participants get of a hidden post: its id and status, never its text. */
  public Post redacted() {
    return status == PostStatus.HIDDEN
        ? new Post(id, number, author, "", replyTo, createdAt, score, divergence, ratings, status, null, held)
        : this;
  }

  /** Whether {@code other} (the same post) shows the same numbers, status and holds as this one. */
  public boolean sameNumbers(Post other) {
    return other != null && score == other.score && divergence == other.divergence && ratings == other.ratings
        && status == other.status && held == other.held && author.equals(other.author);
  }

  @JsonIgnore
  public boolean hidden() {
    return status == PostStatus.HIDDEN;
  }
}
