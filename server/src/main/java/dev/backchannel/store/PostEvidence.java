package dev.backchannel.store;

import dev.backchannel.model.Post;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the store holds about one post's ratings, for staff's questions about it ("why is this
 * here", the held networks): each engine reads it, {@link NetworkReport} makes the answers, so the
 * engines cannot disagree about them.
 *
 * @param priorUnits the author's prior {@code m0}, fixed-point
 * @param salt the room's secret salt for network labels
 * @param ratings every counted rating of the post
 * @param decisions moderators' hold factors by network (1 released, 0 confirmed)
 * @param venue the room's venue prefixes
 * @param roomRatings by network of this post: its ratings in the whole room
 * @param postsInRoom how many posts the room has
 */
public record PostEvidence(
    Post post,
    long priorUnits,
    String salt,
    List<Rater> ratings,
    Map<String, Double> decisions,
    List<String> venue,
    Map<String, Long> roomRatings,
    int postsInRoom) {

  /**
   * One rating with who gave it.
   *
   * @param ratedOthers whether the rater rated any other post of the room
   */
  public record Rater(String participant, String network, int value, long weightUnits, Instant joinedAt,
      boolean ratedOthers) {}
}
